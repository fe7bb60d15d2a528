import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { quoteIdent, typeParsers, type Database, type Transaction } from './Database.js';
import { runStatement, type StatementObserver } from './statementTelemetry.js';
import { DatabaseUnavailable, isConnectionFailure } from './unavailable.js';

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    const parser = typeParsers[oid];
    if (parser && format !== 'binary') return parser;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export interface PostgresOptions {
  max?: number;
  applicationName?: string;
  /**
   * A statement without an answer after this long fails (and its connection is
   * dropped): a hung link fails requests instead of holding them and the pool.
   * 0 = no limit (bulk loads, migrations on large data).
   */
  queryTimeoutMs?: number;
  /** Opening a connection, or waiting for a free one in the pool, fails after this long. 0 = no limit. */
  connectTimeoutMs?: number;
  /**
   * How many distinct statement texts (with parameters) are kept prepared on
   * each connection, so PostgreSQL parses and plans them once per connection
   * rather than once per request. 0 = none (e.g. behind a transaction-pooling
   * PgBouncer older than 1.21).
   */
  preparedStatements?: number;
}

/**
 * Whether a statement text is kept prepared. A page (`LIMIT $n`) is not: once
 * prepared, PostgreSQL may settle on a plan made without knowing the page's
 * size or the owner rule's values (e.g. walking the date index and filtering,
 * where the rule's own index finds the permitted rows), so a page is planned
 * for its values every time.
 */
export const isKeptPrepared = (sql: string): boolean => !/\bLIMIT\s+\$\d+/i.test(sql);

/**
 * Names for the statements kept prepared: one per distinct text, derived from
 * the text (the same on every connection), up to a bound so that statements
 * built per request cannot grow every connection's cache without end.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();
  constructor(private readonly max: number) {}

  nameOf(sql: string): string | undefined {
    if (!isKeptPrepared(sql)) return undefined;
    const known = this.names.get(sql);
    if (known !== undefined || this.names.size >= this.max) return known;
    const name = `pg_${createHash('sha256').update(sql).digest('base64url').slice(0, 27)}`;
    this.names.set(sql, name);
    return name;
  }
}

/**
 * A statement issued on a transaction after its work function ended (one not
 * awaited inside it): refused, never run. A bug, not the caller's: it has no
 * GraphQL code, so a caller sees only the generic internal error.
 */
export class TransactionEnded extends Error {
  constructor() {
    super('A statement was issued on a transaction after its work had ended.');
    this.name = 'TransactionEnded';
  }
}

/**
 * A subgraph's own PostgreSQL database through a `pg` pool. A connection lost
 * while in use (failover, restart, `pg_terminate_backend`) fails the statement
 * or transaction with `DatabaseUnavailable` and is dropped from the pool; the
 * pool opens new connections as soon as the server answers again.
 */
export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  onStatement: ((sql: string) => void) | undefined;
  onAvailability: ((available: boolean, cause?: Error) => void) | undefined;
  observer: StatementObserver | undefined;
  private readonly pool: pg.Pool;
  private readonly queryTimeoutMs: number | undefined;
  private readonly statementNames: StatementNames;
  private available = true;

  constructor(connectionString: string, options: PostgresOptions = {}) {
    this.queryTimeoutMs = options.queryTimeoutMs || undefined;
    this.statementNames = new StatementNames(options.preparedStatements ?? 1000);
    this.pool = new pg.Pool({
      connectionString,
      max: options.max ?? 10,
      application_name: options.applicationName ?? 'partnergraph',
      types: types as pg.CustomTypesConfig,
      idleTimeoutMillis: 30_000,
      // A peer that vanished without a FIN (failover to another host) is noticed by the kernel.
      keepAlive: true,
      ...(options.connectTimeoutMs ? { connectionTimeoutMillis: options.connectTimeoutMs } : {}),
    });
    // An idle client losing its connection must not crash the process; the pool drops it.
    this.pool.on('error', (error) => this.failed(error));
    // Whoever holds a client handles its errors (the pool while idle, the statement or transaction in use);
    // this one listener for its whole life makes sure an error arriving between two holders never ends the process.
    this.pool.on('connect', (client) => client.on('error', () => undefined));
    this.timeConnections();
  }

  /**
   * Times each wait for a connection (an idle one, a new one, or one freed by
   * another request) for the owner's metrics: pool.query and transactions both
   * take theirs through connect, so wrapping it keeps pool.query's own handling.
   */
  private timeConnections(): void {
    type Callback = (error: Error | undefined, client?: unknown, done?: unknown) => void;
    const pool = this.pool as unknown as { connect: (callback?: Callback) => unknown };
    const connect = pool.connect.bind(pool);
    pool.connect = (callback?: Callback) => {
      const observer = this.observer;
      if (!observer) return connect(callback);
      const start = performance.now();
      const waited = () => observer.waited((performance.now() - start) / 1000);
      if (callback) {
        return connect((error, client, done) => {
          waited();
          callback(error, client, done);
        });
      }
      return (connect() as Promise<unknown>).finally(waited);
    };
  }

  async query<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]> {
    this.onStatement?.(sql);
    try {
      // pool.query drops a client whose statement failed on the connection.
      const result = await runStatement(this, sql, () => this.pool.query(this.statement(sql, params, this.timeout())));
      this.answered();
      return result.rows as Row[];
    } catch (error) {
      throw this.failed(error);
    }
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>, options: { untimed?: boolean } = {}): Promise<T> {
    const timeout = options.untimed ? {} : this.timeout();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.failed(error);
    }
    // While checked out, the pool does not listen on the client: a connection lost between
    // statements (idle in transaction) is emitted here, and unheard it would end the process.
    let lost: Error | undefined;
    const onLost = (error: Error) => {
      lost ??= error;
    };
    client.on('error', onLost);
    const run = async <R>(statement: () => Promise<R>): Promise<R> => {
      if (lost) throw new DatabaseUnavailable(lost);
      return statement();
    };
    // One statement at a time on the connection, in the order they were asked for: loaders of one
    // request may ask together, and pg stops queueing a second statement on a busy client in pg 9.
    let turn: Promise<unknown> = Promise.resolve();
    const inTurn = <R>(statement: () => Promise<R>): Promise<R> => {
      const result = turn.then(() => run(statement));
      turn = result.catch(() => undefined);
      return result;
    };
    // Once the work has ended, the client is committed, rolled back or back in the pool (maybe inside another
    // request's transaction): a statement still issued on this transaction must not reach it.
    let ended = false;
    const tx: Transaction = {
      query: async <Row>(sql: string, params?: readonly unknown[]) => {
        if (ended) throw new TransactionEnded();
        this.onStatement?.(sql);
        return inTurn(async () => (await runStatement(this, sql, () => client.query(this.statement(sql, params, timeout)))).rows as Row[]);
      },
      // Bulk loads have no statement timeout: their length is the data's. Nor a span: a COPY streams as long as its source does.
      copyFrom: async (table, columns, data) => {
        if (ended) throw new TransactionEnded();
        return inTurn(async () => {
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
        });
      },
    };
    let broken: Error | undefined;
    try {
      await run(() => client.query({ text: 'BEGIN', ...timeout }));
      let result: T;
      try {
        result = await fn(tx);
      } finally {
        ended = true;
      }
      await inTurn(() => client.query({ text: 'COMMIT', ...timeout }));
      this.answered();
      return result;
    } catch (error) {
      if (lost || isConnectionFailure(error)) {
        // No ROLLBACK on a lost link: the server rolls back an unfinished transaction itself.
        broken = lost ?? (error as Error);
        throw this.failed(error instanceof DatabaseUnavailable ? error : broken);
      }
      await inTurn(() => client.query('ROLLBACK')).catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      client.off('error', onLost);
      // A client released with an error is closed, never handed to the next request.
      client.release(broken);
    }
  }

  async exec(sql: string): Promise<void> {
    this.onStatement?.(sql);
    try {
      await runStatement(this, sql, () => this.pool.query(sql));
    } catch (error) {
      throw this.failed(error);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /**
   * A statement with parameters goes out prepared under its name (the
   * extended protocol it uses anyway); one without keeps the simple protocol,
   * which allows several statements in one text.
   */
  private statement(sql: string, params: readonly unknown[] | undefined, timeout: { query_timeout?: number }): pg.QueryConfig {
    const name = params ? this.statementNames.nameOf(sql) : undefined;
    return { text: sql, values: params as unknown[] | undefined, ...(name ? { name } : {}), ...timeout };
  }

  private timeout(): { query_timeout?: number } {
    return this.queryTimeoutMs ? { query_timeout: this.queryTimeoutMs } : {};
  }

  private answered(): void {
    if (this.available) return;
    this.available = true;
    this.onAvailability?.(true);
  }

  /** A connection failure becomes `DatabaseUnavailable` (reported once per outage); other errors pass unchanged. */
  private failed(error: unknown): unknown {
    if (!isConnectionFailure(error)) return error;
    const cause = error instanceof DatabaseUnavailable ? (error.cause as Error) : (error as Error);
    if (this.available) {
      this.available = false;
      this.onAvailability?.(false, cause);
    }
    return error instanceof DatabaseUnavailable ? error : new DatabaseUnavailable(error);
  }
}
