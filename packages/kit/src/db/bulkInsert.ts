import type { Queryable } from './Database.js';

/**
 * Inserts many rows in few statements (one per `batchSize`), through
 * json_to_recordset: the same SQL on PostgreSQL and PGlite, no COPY needed.
 * `columns` maps column name to SQL type; row keys are the column names.
 */
export async function bulkInsert(
  db: Queryable,
  table: string,
  columns: Record<string, string>,
  rows: Iterable<Record<string, unknown>>,
  batchSize = 5000,
): Promise<number> {
  const names = Object.keys(columns);
  const recordType = names.map((n) => `${n} ${columns[n]}`).join(', ');
  const sql = `INSERT INTO ${table} (${names.join(', ')}) SELECT ${names.join(', ')} FROM json_to_recordset($1::json) AS x(${recordType})`;
  let batch: Record<string, unknown>[] = [];
  let total = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await db.query(sql, [JSON.stringify(batch)]);
    total += batch.length;
    batch = [];
  };
  for (const row of rows) {
    batch.push(row);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return total;
}
