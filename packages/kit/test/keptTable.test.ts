import { afterEach, describe, expect, it } from 'vitest';
import { kitMigrations, migrate, readKeptCounts, suppressTable, type Database } from '../src/index.js';
import { createTestDatabase } from '../src/testing.js';

/**
 * Kept counts read as a table for suppression: a person counted under two
 * groups of an area is one person behind the area's total, however the
 * cells add up. On PostgreSQL (with TEST_DATABASE_URL) and on the embedded
 * default alike.
 */
const AREAS = ['north', 'south'];
const GROUPS = ['A', 'B'];

async function withKeptCounts(embedded: boolean): Promise<Database> {
  const db = await createTestDatabase('kept_table', { embedded });
  await migrate(db, kitMigrations());
  await db.exec(`CREATE TABLE events (id serial PRIMARY KEY, area_id text NOT NULL, grp text NOT NULL, person_id text NOT NULL);
                 SELECT kept_counts_install('events', 'event_counts', 'grp', 'person_id');`);
  return db;
}

async function add(db: Database, rows: Array<[area: string, group: string, person: string]>) {
  for (const [area, group, person] of rows) await db.query('INSERT INTO events (area_id, grp, person_id) VALUES ($1, $2, $3)', [area, group, person]);
}

/** North: three persons, each under both groups (3 and 3, a total of 6 rows of 3 persons). South: plenty. */
async function smallCellsTotal(db: Database) {
  await add(db, ['p1', 'p2', 'p3'].flatMap((p) => [['north', 'A', p], ['north', 'B', p]] as Array<[string, string, string]>));
  await add(db, Array.from({ length: 30 }, (_, i) => ['south', i % 2 ? 'A' : 'B', `s${i}`] as [string, string, string]));
  const statements: string[] = [];
  db.onStatement = (sql) => statements.push(sql);
  const kept = await readKeptCounts(db, { table: 'event_counts', group: 'grp', person: 'person_id' }, AREAS, GROUPS);
  expect(kept.counts).toEqual([[3, 3], [15, 15]]);
  expect(kept.persons).toEqual([[3, 3], [15, 15]]);
  // Only the unsettled total is counted: north's row (3 + 3 persons, none of 5).
  expect(kept.totalPersons).toEqual({ rows: [3, undefined], columns: [undefined, undefined], total: undefined });
  expect(statements).toHaveLength(2);
  const table = suppressTable(kept.counts, { persons: kept.persons, totalPersons: kept.totalPersons });
  expect(table.rowTotals[0]).toBeNull();
  expect(table.cells[0]).toEqual([null, null]);
}

describe('kept counts as a table, on PostgreSQL (TEST_DATABASE_URL)', () => {
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it('counts the distinct persons behind a total whose cells are all small, and hides it', async () => {
    db = await withKeptCounts(false);
    await smallCellsTotal(db);
  });

  it('publishes a total of small cells when enough distinct persons are behind it, and reads nothing more on a large table', async () => {
    db = await withKeptCounts(false);
    await add(db, [['north', 'A', 'p1'], ['north', 'A', 'p2'], ['north', 'A', 'p3'], ['north', 'B', 'p4'], ['north', 'B', 'p5'], ['north', 'B', 'p6']]);
    await add(db, Array.from({ length: 40 }, (_, i) => ['south', i % 2 ? 'A' : 'B', `s${i}`] as [string, string, string]));
    const kept = await readKeptCounts(db, { table: 'event_counts', group: 'grp', person: 'person_id' }, AREAS, GROUPS);
    expect(kept.totalPersons.rows).toEqual([6, undefined]);
    expect(suppressTable(kept.counts, { persons: kept.persons, totalPersons: kept.totalPersons }).rowTotals[0]).toBe(6);

    // Every cell settled by itself: one statement, the kept counts.
    await add(db, [['north', 'A', 'p7'], ['north', 'A', 'p8']]);
    const statements: string[] = [];
    db.onStatement = (sql) => statements.push(sql);
    const settled = await readKeptCounts(db, { table: 'event_counts', group: 'grp', person: 'person_id' }, AREAS, GROUPS);
    expect(settled.totalPersons).toEqual({ rows: [undefined, undefined], columns: [undefined, undefined], total: undefined });
    expect(statements).toHaveLength(1);
  });

});

// The embedded default once (it starts slowly): the same SQL on PGlite.
it('kept counts as a table, on the embedded default: the distinct persons behind a total of small cells', async () => {
  const db = await withKeptCounts(true);
  try {
    await smallCellsTotal(db);
  } finally {
    await db.close();
  }
});

it('refuses names that are not plain SQL names, before any statement', async () => {
  const sent: string[] = [];
  const db = { query: async (sql: string) => (sent.push(sql), []) };
  await expect(readKeptCounts(db, { table: 'event_counts; DROP TABLE events', group: 'grp', person: 'person_id' }, AREAS, GROUPS)).rejects.toThrow(/plain SQL name/);
  expect(sent).toEqual([]);
});
