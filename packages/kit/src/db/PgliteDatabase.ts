import { PGlite } from '@electric-sql/pglite';
import { lockDataFolder } from './folderLock.js';
import { quoteIdent, typeParsers, type Database, type Transaction } from './Database.js';
import { runStatement, type StatementObserver } from './statementTelemetry.js';

/** PGlite reads COPY data from a blob: the stream is sent in pieces of about this many characters. */
const COPY_PIECE = 4 * 1024 * 1024;

/**
 * The embedded default: PostgreSQL compiled to wasm, file-backed under a data
 * folder (or in memory for tests). Same SQL as the server.
 */
export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  onStatement: ((sql: string) => void) | undefined;
  /** PGlite has one connection and no pool: statement times only (a statement's wait behind another is in its time). */
  observer: StatementObserver | undefined;

  private constructor(
    private readonly db: PGlite,
    private readonly unlock: () => void,
  ) {}

  /** A data folder is locked for this process while open (see `lockDataFolder`). */
  static async open(dataDir?: string): Promise<PgliteDatabase> {
    const unlock = dataDir ? lockDataFolder(dataDir) : () => undefined;
    try {
      const db = new PGlite({ ...(dataDir ? { dataDir } : {}), parsers: typeParsers });
      await db.waitReady;
      return new PgliteDatabase(db, unlock);
    } catch (error) {
      unlock();
      throw error;
    }
  }

  async query<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]> {
    this.onStatement?.(sql);
    const result = await runStatement(this, sql, () => this.db.query<Row>(sql, params as unknown[] | undefined));
    return result.rows;
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(async (transaction) =>
      fn({
        query: async <Row>(sql: string, params?: readonly unknown[]) => {
          this.onStatement?.(sql);
          return (await runStatement(this, sql, () => transaction.query<Row>(sql, params as unknown[] | undefined))).rows;
        },
        copyFrom: async (table, columns, data) => {
          const sql = `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM '/dev/blob'`;
          let pieces: string[] = [];
          let size = 0;
          const flush = async () => {
            if (size === 0) return;
            this.onStatement?.(sql);
            await transaction.query(sql, [], { blob: new Blob(pieces) });
            pieces = [];
            size = 0;
          };
          for await (const chunk of data) {
            pieces.push(chunk);
            size += chunk.length;
            if (size >= COPY_PIECE) await flush();
          }
          await flush();
        },
      }),
    );
  }

  async exec(sql: string): Promise<void> {
    this.onStatement?.(sql);
    await runStatement(this, sql, () => this.db.exec(sql));
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
    this.unlock();
  }
}
