import { afterEach, describe, expect, it } from 'vitest';
import { kitMigrations, migrate, type Database } from '../src/index.js';
import { createTestDatabase } from '../src/testing.js';

const POSTGRES = process.env['TEST_DATABASE_URL'];

/** A source table of synthetic visits: per area and kind, counted with the persons behind them. */
const SOURCE = `CREATE TABLE visits (id text PRIMARY KEY, area_id text NOT NULL, kind text NOT NULL, person_id text NOT NULL, confirmed_at date)`;
const visit = (db: Pick<Database, 'query'>, id: string, area: string, person: string, confirmed: string | null = '2026-01-01') =>
  db.query(`INSERT INTO visits VALUES ($1, $2, 'walk', $3, $4)`, [id, area, person, confirmed]);
const kept = (db: Database, counts = 'visit_counts') =>
  db.query<{ area_id: string; total: number; persons: number }>(`SELECT area_id, total, persons FROM ${counts} WHERE total <> 0 OR persons <> 0 ORDER BY area_id`);
const drift = (db: Database, counts = 'visit_counts') => db.query(`SELECT * FROM kept_counts_drift($1)`, [counts]);

describe('kept counts on PostgreSQL (TEST_DATABASE_URL)', () => {
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it('reports drift from a recount, and none when the counts agree', async () => {
    db = await createTestDatabase('kept_counts');
    await migrate(db, kitMigrations());
    await db.query(SOURCE);
    for (const [id, person] of [['v1', 'p1'], ['v2', 'p1'], ['v3', 'p2']] as const) await visit(db, id, 'a1', person);
    await db.query(`SELECT kept_counts_install('visits', 'visit_counts', 'kind', 'person_id')`);
    await visit(db, 'v4', 'a2', 'p3');
    await db.query(`DELETE FROM visits WHERE id = 'v3'`);
    expect(await kept(db)).toEqual([
      { area_id: 'a1', total: 2, persons: 1 },
      { area_id: 'a2', total: 1, persons: 1 },
    ]);
    expect(await drift(db)).toEqual([]);
    // As a write the trigger missed would leave them.
    await db.query(`UPDATE visit_counts SET total = total + 1, persons = persons + 1 WHERE area_id = 'a1'`);
    await db.query(`DELETE FROM visit_counts WHERE area_id = 'a2'`);
    expect(await drift(db)).toEqual([
      { area_id: 'a1', group_value: 'walk', kept_total: 3, kept_persons: 2, counted_total: 2, counted_persons: 1 },
      { area_id: 'a2', group_value: 'walk', kept_total: null, kept_persons: null, counted_total: 1, counted_persons: 1 },
    ]);
    await expect(drift(db, 'no_such_counts')).rejects.toThrow(/no kept counts named/);
  });

  it('empties the counts with a TRUNCATE of the source, also for counts installed before the TRUNCATE trigger existed', async () => {
    db = await createTestDatabase('kept_counts');
    await emptiedByTruncate(db);
  });
});

// The functions are the same on both; this one on the embedded engine shows the migration applies there.
it('kept counts on the embedded default: a TRUNCATE of the source empties them, also for counts installed before the trigger existed', async () => {
  const db = await createTestDatabase('kept_counts', { embedded: true });
  try {
    await emptiedByTruncate(db);
  } finally {
    await db.close();
  }
});

/** Counts installed as the owners' migrations did before the TRUNCATE trigger, then upgraded, then a TRUNCATE. */
async function emptiedByTruncate(db: Database): Promise<void> {
  const migrations = kitMigrations();
  const before = migrations.filter((m) => !m.id.endsWith('_guarded'));
  expect(before).toHaveLength(migrations.length - 1);
  // Installed as the owners' migrations did before: a required column (counted once confirmed), no TRUNCATE trigger.
  await migrate(db, before);
  await db.query(SOURCE);
  await visit(db, 'v1', 'a1', 'p1');
  await visit(db, 'v2', 'a1', 'p2', null);
  await db.query(`SELECT kept_counts_install('visits', 'visit_counts', 'kind', 'person_id', 'confirmed_at')`);
  await migrate(db, migrations);
  await db.query(`CREATE TABLE talks (LIKE visits)`);
  await db.query(`SELECT kept_counts_install('talks', 'talk_counts', 'kind', 'person_id')`);
  await db.query(`INSERT INTO talks SELECT * FROM visits`);
  expect(await kept(db)).toEqual([{ area_id: 'a1', total: 1, persons: 1 }]);
  expect(await kept(db, 'talk_counts')).toEqual([{ area_id: 'a1', total: 2, persons: 2 }]);

  await db.query('TRUNCATE visits, talks');
  expect(await kept(db)).toEqual([]);
  expect(await kept(db, 'talk_counts')).toEqual([]);
  await visit(db, 'v3', 'a1', 'p3');
  expect(await kept(db)).toEqual([{ area_id: 'a1', total: 1, persons: 1 }]);
  expect(await drift(db)).toEqual([]);
  expect(await drift(db, 'talk_counts')).toEqual([]);
}

/**
 * The install and a writer in another session: a write committed while the
 * install runs is either in the fill or seen by the trigger, never neither.
 */
describe.skipIf(!POSTGRES)('kept counts installed while another session writes, on PostgreSQL', () => {
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it('counts a delete and an insert committed by another session while the install waits for it', async () => {
    db = await createTestDatabase('kept_counts_race', { embedded: false });
    const d = db;
    await migrate(d, kitMigrations());
    await d.query(SOURCE);
    for (const n of [1, 2, 3, 4, 5]) await visit(d, `v${n}`, 'a1', `p${n}`);

    // The writer: a transaction that has deleted one visit and added another, not yet committed.
    let commit!: () => void;
    const release = new Promise<void>((resolve) => (commit = resolve));
    let wrote!: () => void;
    const written = new Promise<void>((resolve) => (wrote = resolve));
    const writer = d.transaction(async (tx) => {
      await tx.query(`DELETE FROM visits WHERE id = 'v5'`);
      await visit(tx, 'v6', 'a2', 'p6');
      wrote();
      await release;
    });
    await written;

    // The install starts meanwhile; it must wait for the writer (before it reads the source) ...
    let installer = 0;
    const install = d.transaction(async (tx) => {
      installer = (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]!.pid;
      await tx.query(`SELECT kept_counts_install('visits', 'visit_counts', 'kind', 'person_id')`);
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [waiting] = installer
        ? await d.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'`, [installer])
        : [{ n: 0 }];
      if (waiting!.n) break;
      if (Date.now() > deadline) throw new Error('the install never waited for the writer');
      await new Promise((r) => setTimeout(r, 20));
    }
    // ... and the writer commits while it waits.
    commit();
    await writer;
    await install;

    // A cell of 4 persons is 4, not the 5 the source had when the install began; the insert is counted.
    expect(await kept(d)).toEqual([
      { area_id: 'a1', total: 4, persons: 4 },
      { area_id: 'a2', total: 1, persons: 1 },
    ]);
    // And the inserted visit can be removed again (a missed insert would drive its total below 0).
    await d.query(`DELETE FROM visits WHERE id = 'v6'`);
    expect(await kept(d)).toEqual([{ area_id: 'a1', total: 4, persons: 4 }]);
    expect(await drift(d)).toEqual([]);
  });
});
