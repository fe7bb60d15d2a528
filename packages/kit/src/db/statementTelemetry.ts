import { inSpan, tracingEnabled } from '@partnergraph/common';
import type { Database } from './Database.js';

/** Where a database reports its time: the owner's `/metrics` (see SubgraphMetrics). */
export interface StatementObserver {
  /** Time waited for a connection from the pool (PostgreSQL), in seconds. */
  waited(seconds: number): void;
  /** One statement's time in seconds, and whether it failed. */
  ran(seconds: number, failed: boolean): void;
}

/** The statement's verb (SELECT, INSERT, WITH …): names the span without any of the statement's values. */
function verb(sql: string): string {
  const match = /^\s*([A-Za-z]+)/.exec(sql);
  return match ? match[1]!.toUpperCase() : 'SQL';
}

/** Longer statement texts are cut: a span is not the place for a whole migration. */
const MAX_TEXT = 2000;

/**
 * Runs one statement timed for `/metrics` and, with tracing on, as a client
 * span under the request's. The statement text is parameterised (values go as
 * parameters, which are never recorded), so the span holds no personal data.
 * Written once for both drivers: PGlite has no instrumentation of its own,
 * and `pg` loaded as an ES module escapes the require hooks of
 * `@opentelemetry/instrumentation-pg`.
 */
export function runStatement<T>(db: Pick<Database, 'kind' | 'observer'>, sql: string, run: () => Promise<T>): Promise<T> {
  const observer = db.observer;
  const tracing = tracingEnabled();
  if (!observer && !tracing) return run();
  const timed = async () => {
    const start = performance.now();
    let failed = true;
    try {
      const result = await run();
      failed = false;
      return result;
    } finally {
      observer?.ran((performance.now() - start) / 1000, failed);
    }
  };
  if (!tracing) return timed();
  const operation = verb(sql);
  return inSpan(
    `${operation} ${db.kind}`,
    {
      'db.system.name': 'postgresql',
      'db.operation.name': operation,
      'db.query.text': sql.length > MAX_TEXT ? `${sql.slice(0, MAX_TEXT)}…` : sql,
      'partnergraph.db.driver': db.kind,
    },
    timed,
    'client',
  );
}

/** Times the wait for a pooled connection. */
export async function waitFor<T>(observer: StatementObserver | undefined, connect: () => Promise<T>): Promise<T> {
  if (!observer) return connect();
  const start = performance.now();
  try {
    return await connect();
  } finally {
    observer.waited((performance.now() - start) / 1000);
  }
}
