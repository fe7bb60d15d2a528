import { randomBytes } from 'node:crypto';
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
