import { randomBytes } from 'node:crypto';
import { createClient as createSseClient } from 'graphql-sse';
import pg from 'pg';
import type { Database } from './db/Database.js';
import { openDatabase } from './db/openDatabase.js';

/**
 * Throwaway databases for tests. With TEST_DATABASE_URL (an admin URL to a
 * real PostgreSQL server) each call creates a fresh database and drops it on
 * close; without it, an in-memory PGlite.
 */
export async function createTestDatabase(label: string, options: { embedded?: boolean } = {}): Promise<Database & { url?: string }> {
  const admin = options.embedded ? undefined : process.env['TEST_DATABASE_URL'];
  if (!admin) return openDatabase({});
  const name = `pgtest_${label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.href, applicationName: `test-${label}` });
  const close = db.close.bind(db);
  return Object.assign(db, {
    url: url.href,
    async close() {
      await close();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  });
}

export interface GraphQLResponse<Data = any> {
  status: number;
  body: { data?: Data; errors?: Array<{ message: string; path?: (string | number)[]; extensions?: Record<string, any> }> };
}

/** Signs persona tokens and posts GraphQL with the purpose header: what every access test needs. */
export function personaClient(url: string, sign: (persona: string) => Promise<string>) {
  return async function gql<Data = any>(
    persona: string | null,
    purpose: string | null,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<Data>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (persona) headers['authorization'] = `Bearer ${await sign(persona)}`;
    if (purpose) headers['x-purpose'] = purpose;
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return { status: res.status, body: (await res.json()) as GraphQLResponse<Data>['body'] };
  };
}

export interface EventStreamSubscription<Data = any> {
  /** Every result received so far. */
  results: Array<{ data?: Data | null; errors?: Array<{ message: string; extensions?: Record<string, any> }> }>;
  /** Resolves once `count` results have arrived (rejects after `timeoutMs`). */
  received(count: number, timeoutMs?: number): Promise<EventStreamSubscription<Data>['results']>;
  /** Resolves when the stream is accepted, rejects with the refusal (status and body) when it is not. */
  connected: Promise<void>;
  /** Set when the server ends the stream. */
  completed: Promise<void>;
  close(): void;
}

/** A subscription over server-sent events (graphql-sse), as a partner's own dashboard would hold one. */
export function subscribeOverEventStream<Data = any>(
  url: string,
  headers: Record<string, string>,
  payload: { query: string; variables?: Record<string, unknown>; operationName?: string; extensions?: Record<string, unknown> },
): EventStreamSubscription<Data> {
  const results: EventStreamSubscription<Data>['results'] = [];
  const waiters: Array<() => void> = [];
  let connect!: () => void;
  let refuse!: (error: unknown) => void;
  let complete!: () => void;
  const connected = new Promise<void>((resolve, reject) => ((connect = resolve), (refuse = reject)));
  const completed = new Promise<void>((resolve) => (complete = resolve));
  connected.catch(() => undefined);
  const client = createSseClient({ url, headers, retryAttempts: 0, fetchFn: fetch });
  const dispose = client.subscribe<Data>(
    { query: payload.query, ...(payload.variables ? { variables: payload.variables } : {}), ...(payload.operationName ? { operationName: payload.operationName } : {}), ...(payload.extensions ? { extensions: payload.extensions } : {}) },
    {
      next: (result) => {
        results.push(result as EventStreamSubscription<Data>['results'][number]);
        for (const wake of waiters.splice(0)) wake();
      },
      error: (error) => {
        // A refusal carries the server's answer: its status and JSON errors.
        const response = (error as { response?: Response }).response;
        if (response) {
          void response
            .text()
            .catch(() => '')
            .then((text) => refuse(new Error(`${response.status}: ${text}`)))
            .finally(complete);
          return;
        }
        refuse(error);
        complete();
      },
      complete: () => complete(),
    },
    { connected: () => connect() },
  );
  return {
    results,
    connected,
    completed,
    async received(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (results.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} events, got ${results.length}: ${JSON.stringify(results)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return results;
    },
    close() {
      dispose();
      client.dispose();
    },
  };
}
