import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { quoteIdent, typeParsers, type Database, type Transaction } from './Database.js';

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    const parser = typeParsers[oid];
    if (parser && format !== 'binary') return parser;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** A subgraph's own PostgreSQL database through a `pg` pool. */
export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  onStatement: ((sql: string) => void) | undefined;
  private readonly pool: pg.Pool;

  constructor(connectionString: string, options: { max?: number; applicationName?: string } = {}) {
    this.pool = new pg.Pool({
      connectionString,
      max: options.max ?? 10,
      application_name: options.applicationName ?? 'partnergraph',
      types: types as pg.CustomTypesConfig,
      idleTimeoutMillis: 30_000,
    });
    // An idle client losing its connection must not crash the process.
    this.pool.on('error', () => undefined);
  }

  async query<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]> {
    this.onStatement?.(sql);
    const result = await this.pool.query(sql, params as unknown[] | undefined);
    return result.rows as Row[];
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tx: Transaction = {
      query: async <Row>(sql: string, params?: readonly unknown[]) => {
        this.onStatement?.(sql);
        return (await client.query(sql, params as unknown[] | undefined)).rows as Row[];
      },
      copyFrom: async (table, columns, data) => {
        const sql = `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM STDIN`;
        this.onStatement?.(sql);
        const stream = client.query(copyFromStdin(sql));
        const failed = new Promise<never>((_, reject) => stream.once('error', reject));
        failed.catch(() => undefined);
        for await (const chunk of data) {
          // Back-pressure: wait for the socket to drain, or fail as soon as the server refuses the data.
          if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), failed]);
        }
        stream.end();
        await Promise.race([finished(stream), failed]);
      },
    };
    try {
      await client.query('BEGIN');
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async exec(sql: string): Promise<void> {
    this.onStatement?.(sql);
    await this.pool.query(sql);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
