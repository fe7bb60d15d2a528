import { PostgresDatabase, StatementNames } from '../src/db/PostgresDatabase.js';
import { afterEach, describe, expect, it } from 'vitest';

const POSTGRES = process.env['TEST_DATABASE_URL'];

/**
 * Statements with parameters are kept prepared per connection, so PostgreSQL
 * parses and plans each text once per connection instead of once per request;
 * the number of texts kept is bounded, and 0 turns it off.
 */
describe.skipIf(!POSTGRES)('prepared statements on PostgreSQL', () => {
  const opened: PostgresDatabase[] = [];
  const open = (preparedStatements?: number) => {
    // One connection: what is prepared on it is what pg_prepared_statements shows.
    const db = new PostgresDatabase(POSTGRES!, { max: 1, ...(preparedStatements === undefined ? {} : { preparedStatements }) });
    opened.push(db);
    return db;
  };
  // Without parameters: the simple protocol, itself never prepared.
  const prepared = async (db: PostgresDatabase) =>
    (await db.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements ORDER BY prepare_time')).map((r) => r.statement);
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close()));
  });

  it('prepares a statement with parameters once and answers from it every time after', async () => {
    const db = open();
    const sql = 'SELECT $1::int + 1 AS n';
    for (const i of [1, 2, 3]) expect(await db.query<{ n: number }>(sql, [i])).toEqual([{ n: i + 1 }]);
    await db.query('SELECT 1 AS plain');
    expect(await prepared(db)).toEqual([sql]);
  });

  it('prepares statements inside a transaction on the same terms', async () => {
    const db = open();
    const sql = 'SELECT $1::text AS t';
    const rows = await db.transaction((tx) => tx.query<{ t: string }>(sql, ['a']));
    expect(rows).toEqual([{ t: 'a' }]);
    expect(await prepared(db)).toEqual([sql]);
  });

  it('keeps no more texts than its bound, and still answers the rest', async () => {
    const db = open(2);
    const texts = ['SELECT $1::int AS a', 'SELECT $1::int AS b', 'SELECT $1::int AS c'];
    for (const sql of texts) expect(Object.values((await db.query<Record<string, number>>(sql, [7]))[0]!)).toEqual([7]);
    expect(await prepared(db)).toEqual(texts.slice(0, 2));
  });

  it('plans a page for its values every time: a statement with LIMIT $n is not kept', async () => {
    const db = open();
    const page = 'SELECT g AS n FROM generate_series(1, 10) g WHERE g > $1 ORDER BY g LIMIT $2';
    expect(await db.query<{ n: number }>(page, [7, 2])).toEqual([{ n: 8 }, { n: 9 }]);
    expect(await prepared(db)).toEqual([]);
  });

  it('runs the statements of one transaction one at a time, in the order asked, when asked together', async () => {
    const db = open();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const answers = await db.transaction((tx) => Promise.all(Array.from({ length: 20 }, (_, i) => tx.query<{ n: number }>('SELECT $1::int AS n', [i]))));
      expect(answers.map((rows) => rows[0]!.n)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      // A failing statement ends its turn; the transaction fails as one.
      await expect(db.transaction((tx) => Promise.all([tx.query('SELECT 1/0'), tx.query('SELECT 1')]))).rejects.toThrow();
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.includes('already executing a query'))).toEqual([]);
  });

  it('prepares nothing when turned off', async () => {
    const db = open(0);
    expect(await db.query<{ n: number }>('SELECT $1::int AS n', [5])).toEqual([{ n: 5 }]);
    expect(await prepared(db)).toEqual([]);
  });
});

describe('statement names', () => {
  it('are the same for the same text in every process and differ between texts', () => {
    const a = new StatementNames(10);
    const b = new StatementNames(10);
    expect(a.nameOf('SELECT $1')).toBe(b.nameOf('SELECT $1'));
    expect(a.nameOf('SELECT $1')).not.toBe(a.nameOf('SELECT $2'));
    // PostgreSQL truncates identifiers at 63 bytes: a name must fit whole.
    expect(a.nameOf('SELECT $3')!.length).toBeLessThanOrEqual(63);
  });
});
