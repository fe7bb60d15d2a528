import { afterEach, describe, expect, it } from 'vitest';
import { DisclosureLog, kitMigrations, migrate, rowHash, type Database, type DisclosureEntry } from '../src/index.js';
import { createTestDatabase } from '../src/testing.js';

const entry = (i: number, at = new Date()): DisclosureEntry => ({
  at,
  requestId: `req-${i}`,
  principal: 'https://idp#user',
  organisation: 'fob',
  roles: ['caseworker'],
  purpose: 'CRIME_PREVENTION_63D',
  operation: 'query Q {criminalDecisions}',
  action: 'READ',
  entityType: 'CriminalDecision',
  entityIds: [`D000000${i}`],
  dataSubjects: [`P00000000${i % 10}`],
  fields: ['decidedOn', 'id'],
  criterion: null,
  dataOwner: 'police',
  decision: 'PERMITTED',
});

/** Tampering needs the append-only guard lifted, as a database superuser could. */
async function asSuperuser(db: Database, sql: string, params: unknown[] = []) {
  await db.transaction(async (tx) => {
    await tx.query('ALTER TABLE disclosure_log DISABLE TRIGGER disclosure_log_append_only');
    await tx.query(sql, params);
    await tx.query('ALTER TABLE disclosure_log ENABLE TRIGGER disclosure_log_append_only');
  });
}

describe.each([
  ['PostgreSQL', false],
  ['PGlite', true],
])('disclosure log on %s', (_name, embedded) => {
  let db: Database;
  afterEach(() => db?.close());

  async function logWith(n: number) {
    db = await createTestDatabase('log', { embedded });
    await migrate(db, kitMigrations());
    const log = new DisclosureLog(db);
    for (let i = 1; i <= n; i++) await log.append([entry(i)]);
    return log;
  }

  it('chains appends and verifies', async () => {
    const log = await logWith(5);
    await log.append([entry(6), entry(7)]);
    expect(await log.verify()).toMatchObject({ ok: true, checkedRows: 7 });
    const rows = await log.list({ subject: 'P000000003', limit: 10 });
    expect(rows.map((r) => r.requestId)).toEqual(['req-3']);
  });

  it('refuses updates and deletes through SQL', async () => {
    await logWith(2);
    await expect(db.query("UPDATE disclosure_log SET purpose = 'STATISTICS'")).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM disclosure_log')).rejects.toThrow(/append-only/);
  });

  it('detects a changed row', async () => {
    const log = await logWith(5);
    await asSuperuser(db, "UPDATE disclosure_log SET purpose = 'STATISTICS' WHERE seq = 3");
    expect(await log.verify()).toMatchObject({ ok: false, brokenAtSeq: 3, reason: 'row content changed' });
  });

  it('detects a deleted row', async () => {
    const log = await logWith(5);
    await asSuperuser(db, 'DELETE FROM disclosure_log WHERE seq = 2');
    expect(await log.verify()).toMatchObject({ ok: false, brokenAtSeq: 2, reason: 'missing row' });
  });

  it('detects a deleted tail', async () => {
    const log = await logWith(5);
    await asSuperuser(db, 'DELETE FROM disclosure_log WHERE seq = 5');
    expect(await log.verify()).toMatchObject({ ok: false, reason: 'chain end does not match the head' });
  });

  it('detects an inserted row', async () => {
    const log = await logWith(4);
    // Make room at seq 3 and put a copy of row 2 there, as a forger would.
    await asSuperuser(db, 'UPDATE disclosure_log SET seq = seq + 1000 WHERE seq >= 3');
    await asSuperuser(db, 'UPDATE disclosure_log SET seq = seq - 999 WHERE seq >= 1003');
    await asSuperuser(
      db,
      `INSERT INTO disclosure_log SELECT 3, at, request_id, principal, organisation, roles, purpose, operation, action, entity_type,
         entity_ids, data_subjects, fields, criterion, data_owner, decision, prev_hash, hash FROM disclosure_log WHERE seq = 2`,
    );
    const result = await log.verify();
    expect(result.ok).toBe(false);
    expect(result.brokenAtSeq).toBe(3);
  });

  it('prunes by retention and still verifies from the new anchor', async () => {
    db = await createTestDatabase('log', { embedded });
    await migrate(db, kitMigrations());
    const log = new DisclosureLog(db);
    const old = new Date(Date.now() - 200 * 86_400_000);
    for (let i = 1; i <= 3; i++) await log.append([entry(i, old)]);
    for (let i = 4; i <= 6; i++) await log.append([entry(i)]);
    expect(await log.prune(182)).toBe(3);
    expect(await log.verify()).toMatchObject({ ok: true, checkedRows: 3, firstSeq: 4 });
    await log.append([entry(7)]);
    expect(await log.verify()).toMatchObject({ ok: true, checkedRows: 4 });
  });

  it('keeps the trace id of the request in each row, hashed: rows from before the column still verify, a changed trace id does not', async () => {
    db = await createTestDatabase('log', { embedded });
    const migrations = kitMigrations();
    const withoutTraceId = migrations.filter((m) => !m.id.includes('trace_id'));
    expect(withoutTraceId.length).toBe(migrations.length - 1);
    // A log written before the trace id existed, then migrated: its rows keep their hashes.
    await migrate(db, withoutTraceId);
    const log = new DisclosureLog(db);
    await db.query(
      `INSERT INTO disclosure_log (seq, at, request_id, principal, organisation, roles, purpose, operation, action, entity_type, entity_ids, data_subjects, fields, criterion, data_owner, decision, prev_hash, hash)
       VALUES (1, $1, 'req-1', 'https://idp#user', 'fob', '{caseworker}', 'CRIME_PREVENTION_63D', 'query Q {criminalDecisions}', 'READ', 'CriminalDecision', '{D0000001}', '{P000000001}', '{decidedOn,id}', NULL, 'police', 'PERMITTED', 'genesis', $2)`,
      [entry(1, new Date('2026-01-01T00:00:00Z')).at, rowHash('genesis', 1, entry(1, new Date('2026-01-01T00:00:00Z')))],
    );
    await db.query("UPDATE disclosure_log_head SET last_seq = 1, last_hash = $1 WHERE id = 1", [rowHash('genesis', 1, entry(1, new Date('2026-01-01T00:00:00Z')))]);
    await migrate(db, migrations);
    const traceId = 'a'.repeat(31) + 'b';
    await log.append([{ ...entry(2), traceId }, entry(3)]);
    expect(await log.verify()).toMatchObject({ ok: true, checkedRows: 3 });
    const rows = await log.list({ limit: 10 });
    expect(rows.map((r) => r.traceId)).toEqual([null, traceId, null]);
    // The trace id is covered by the hash: re-pointing a disclosure to another request breaks the chain there.
    await asSuperuser(db, "UPDATE disclosure_log SET trace_id = 'c' || substr(trace_id, 2) WHERE seq = 2");
    expect(await log.verify()).toMatchObject({ ok: false, brokenAtSeq: 2, reason: 'row content changed' });
  });
});
