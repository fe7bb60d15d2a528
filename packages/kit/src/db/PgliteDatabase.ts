import { PGlite } from '@electric-sql/pglite';
import { typeParsers, type Database, type Queryable } from './Database.js';

/**
 * The embedded default: PostgreSQL compiled to wasm, file-backed under a data
 * folder (or in memory for tests). Same SQL as the server.
 */
export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  onStatement: ((sql: string) => void) | undefined;

  private constructor(private readonly db: PGlite) {}

  static async open(dataDir?: string): Promise<PgliteDatabase> {
    const db = new PGlite({ ...(dataDir ? { dataDir } : {}), parsers: typeParsers });
    await db.waitReady;
    return new PgliteDatabase(db);
  }

  async query<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]> {
    this.onStatement?.(sql);
    const result = await this.db.query<Row>(sql, params as unknown[] | undefined);
    return result.rows;
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(async (transaction) =>
      fn({
        query: async <Row>(sql: string, params?: readonly unknown[]) => {
          this.onStatement?.(sql);
          return (await transaction.query<Row>(sql, params as unknown[] | undefined)).rows;
        },
      }),
    );
  }

  async exec(sql: string): Promise<void> {
    this.onStatement?.(sql);
    await this.db.exec(sql);
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}
