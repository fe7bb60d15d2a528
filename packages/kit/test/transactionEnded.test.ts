import { errorMasker, INTERNAL_MESSAGE } from '@partnergraph/common';
import { afterEach, describe, expect, it } from 'vitest';
import type { Transaction } from '../src/db/Database.js';
import { PostgresDatabase, TransactionEnded } from '../src/db/PostgresDatabase.js';

const POSTGRES = process.env['TEST_DATABASE_URL'];

/**
 * A statement issued on a transaction after its work function ended (not
 * awaited inside it) would run on a connection already committed and back in
 * the pool, possibly inside the next request's transaction: it is refused.
 */
describe.skipIf(!POSTGRES)('a transaction after its work ended, on PostgreSQL', () => {
  const opened: PostgresDatabase[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close()));
  });
  // One connection: the next transaction gets the very client the ended one had.
  const open = () => {
    const db = new PostgresDatabase(POSTGRES!, { max: 1 });
    opened.push(db);
    return db;
  };
  const table = `tx_ended_${process.pid}`;

  it("refuses a statement issued after the work resolved: it never runs, not even inside the next transaction on the same connection", async () => {
    const db = open();
    await db.query(`CREATE TEMP TABLE ${table} (n int)`);
    let leaked: Transaction | undefined;
    await db.transaction(async (tx) => {
      leaked = tx;
      await tx.query(`INSERT INTO ${table} VALUES (1)`);
    });
    await expect(leaked!.query(`INSERT INTO ${table} VALUES (2)`)).rejects.toThrow(TransactionEnded);

    // The next request's transaction, on the same client, rolled back: a statement of the ended one must not be part of it.
    class Undo extends Error {}
    let inside: unknown;
    await db
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO ${table} VALUES (3)`);
        inside = await leaked!.query(`INSERT INTO ${table} VALUES (4)`).catch((e: unknown) => e);
        await leaked!.copyFrom(table, ['n'], (async function* () {
          yield '5\n';
        })()).catch((e: unknown) => (inside = [inside, e]));
        throw new Undo();
      })
      .catch((e: unknown) => {
        if (!(e instanceof Undo)) throw e;
      });
    expect(inside).toEqual([expect.any(TransactionEnded), expect.any(TransactionEnded)]);
    expect((await db.query<{ n: number }>(`SELECT n FROM ${table} ORDER BY n`)).map((r) => r.n)).toEqual([1]);
  });

  it('refuses it after the work failed (rolled back) too', async () => {
    const db = open();
    let leaked: Transaction | undefined;
    await expect(
      db.transaction(async (tx) => {
        leaked = tx;
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    await expect(leaked!.query('SELECT 1')).rejects.toThrow(TransactionEnded);
  });

  it('reaches a caller only as the generic internal error', () => {
    const logged: unknown[] = [];
    const error = new TransactionEnded();
    const masked = errorMasker({ error: (...args: unknown[]) => logged.push(args) })({ message: error.message }, error);
    expect(masked.message).toBe(INTERNAL_MESSAGE);
    expect(JSON.stringify(masked)).not.toContain('transaction');
    expect(logged).toHaveLength(1);
  });
});
