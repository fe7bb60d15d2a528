import { randomBytes } from 'node:crypto';
import { createClient as createSseClient } from 'graphql-sse';
import { DEV_ISSUER, DevIssuer, PERSONAS, type RequestIdentity, type Role } from '@partnergraph/common';
import { organisationKind, PURPOSES, type OrganisationKind, type Purpose } from '@partnergraph/vocabulary';
import pg from 'pg';
import type { Database } from './db/Database.js';
import { openDatabase } from './db/openDatabase.js';
import type { Subgraph } from './defineSubgraph.js';

export { faultProxy, type FaultProxy } from './faultProxy.js';
export { freePort } from './freePort.js';

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

/** One owner's subgraph on a throwaway database, seeded, listening on a free port: what an owner's own tests start. */
export async function startOwnerForTest(
  subgraph: Subgraph,
  options: { seed?: (db: Database) => Promise<unknown>; label?: string; embedded?: boolean } = {},
): Promise<{ url: string; db: Database; issuer: DevIssuer; gql: ReturnType<typeof personaClient>; stop(): Promise<void> }> {
  const issuer = await DevIssuer.create();
  const db = await createTestDatabase(options.label ?? subgraph.name, { embedded: options.embedded ?? false });
  const server = await subgraph.create({ db, trust: issuer.trustConfig() });
  await options.seed?.(db);
  const { url } = await server.listen(0);
  return {
    url,
    db,
    issuer,
    gql: personaClient(url, (persona) => issuer.signPersona(persona)),
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/* ------------------------------------------------------------------------- */
/* Access expectations: each owner states its rules as expectations over the  */
/* synthetic data, in its own test/access.ts; its access test checks them at  */
/* its subgraph, the root access matrix through the gateway.                  */
/* ------------------------------------------------------------------------- */

/** What one persona under one purpose may see of a list: exactly these rows with these fields, or nothing. */
export type AccessExpectation = { rows: ReadonlySet<string>; fields: readonly string[] } | 'none';

/** One list of an owner's personal data, and who may see what of it. */
export interface AccessProbe {
  /** Plain words for messages: `criminal decisions`. */
  name: string;
  /** The root field, a connection: `criminalDecisions(first: 1000) { nodes { … } }`. */
  root: string;
  /** Every field of a node. */
  fields: readonly string[];
  /** Fields that are objects or lists of objects, selected as `{ id }`. */
  objectFields?: readonly string[];
  /** List fields among them: an empty list is an answer, so their visibility is not asserted. */
  listFields?: readonly string[];
  /** The expectation, written from the owner's rules as stated (not read back from its policies). */
  expect(persona: string, purpose: Purpose): AccessExpectation;
}

/** Asks every probe as the persona under the purpose; each problem found, labelled with the probe. */
export async function accessMatrixProblems(
  gql: ReturnType<typeof personaClient>,
  probes: readonly AccessProbe[],
  persona: string,
  purpose: Purpose,
): Promise<string[]> {
  const problems: string[] = [];
  for (const probe of probes) {
    const res = await gql(persona, purpose, accessQuery(probe));
    for (const problem of accessProblems(res, probe, persona, purpose)) problems.push(`${probe.name}: ${problem}`);
  }
  return problems;
}

/** Every persona under every purpose: what an access test walks. */
export const ACCESS_COMBOS: ReadonlyArray<readonly [string, Purpose]> = Object.keys(PERSONAS).flatMap((name) => PURPOSES.map((purpose) => [name, purpose] as const));

export function accessQuery(probe: AccessProbe): string {
  const objects = new Set([...(probe.objectFields ?? []), ...(probe.listFields ?? [])]);
  return `{ ${probe.root}(first: 1000) { nodes { ${probe.fields.map((f) => (objects.has(f) ? `${f} { id }` : f)).join(' ')} } } }`;
}

/**
 * What is wrong with an answer to `accessQuery(probe)`, given the expectation:
 * a purpose the persona may not invoke is refused outright; otherwise exactly
 * the permitted rows, the refused fields null with FORBIDDEN on exactly them,
 * the permitted ones present, and no other error. Empty when all is right.
 */
export function accessProblems(res: GraphQLResponse, probe: AccessProbe, persona: string, purpose: Purpose): string[] {
  const known = PERSONAS[persona];
  if (!known) return [`unknown persona ${persona}`];
  const errors = res.body.errors ?? [];
  if (!known.purposes.includes(purpose)) {
    const problems: string[] = [];
    if (errors[0]?.extensions?.['code'] !== 'PURPOSE_NOT_ALLOWED') problems.push(`expected PURPOSE_NOT_ALLOWED, got ${JSON.stringify(errors[0] ?? null)}`);
    if ((res.body.data ?? null) !== null) problems.push('data returned under a purpose the persona may not invoke');
    return problems;
  }
  const expected = probe.expect(persona, purpose);
  const list = res.body.data?.[probe.root] as { nodes: Array<Record<string, unknown>> } | null | undefined;
  if (expected === 'none') {
    const nodes = list?.nodes ?? [];
    return nodes.length ? [`${nodes.length} rows visible where none may be (${nodes.slice(0, 3).map((n) => n['id']).join(', ')}…)`] : [];
  }
  if (!list) return [`no list (${JSON.stringify(errors.slice(0, 2))})`];
  const problems: string[] = [];
  const ids = new Set(list.nodes.map((n) => String(n['id'])));
  const unexpected = [...ids].filter((id) => !expected.rows.has(id));
  const missing = [...expected.rows].filter((id) => !ids.has(id));
  if (unexpected.length) problems.push(`${unexpected.length} rows visible that may not be: ${unexpected.slice(0, 5).join(', ')}`);
  if (missing.length) problems.push(`${missing.length} permitted rows missing: ${missing.slice(0, 5).join(', ')}`);
  if (ids.size === 0) return problems;
  const refused = probe.fields.filter((f) => !expected.fields.includes(f));
  for (const field of refused) {
    if (!list.nodes.every((n) => n[field] === null)) problems.push(`${field} disclosed`);
  }
  const forbidden = new Set(errors.filter((e) => e.extensions?.['code'] === 'FORBIDDEN').map((e) => String(e.path?.[e.path.length - 1])));
  const forbiddenWrong = [...new Set([...forbidden, ...refused])].filter((f) => forbidden.has(f) !== refused.includes(f));
  if (forbiddenWrong.length) problems.push(`FORBIDDEN on [${[...forbidden].sort().join(', ')}], expected on [${[...refused].sort().join(', ')}]`);
  for (const field of expected.fields) {
    if (probe.listFields?.includes(field)) continue;
    if (!list.nodes.some((n) => n[field] !== null && n[field] !== undefined)) problems.push(`${field} withheld`);
  }
  const others = [...new Set(errors.map((e) => e.extensions?.['code']))].filter((c) => c !== 'FORBIDDEN');
  if (others.length) problems.push(`other errors: ${others.join(', ')}`);
  return problems;
}

const DAY = 86_400_000;
const todayUtc = () => new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);

/** Whole days from a 'YYYY-MM-DD' date to today (UTC). */
export const daysAgo = (date: string): number => Math.round((todayUtc().getTime() - Date.parse(`${date}T00:00:00Z`)) / DAY);

/** Age in whole years today of someone born on a 'YYYY-MM-DD' date. */
export function ageToday(birth: string): number {
  const today = todayUtc();
  const b = new Date(`${birth}T00:00:00Z`);
  let age = today.getUTCFullYear() - b.getUTCFullYear();
  if (today.getUTCMonth() < b.getUTCMonth() || (today.getUTCMonth() === b.getUTCMonth() && today.getUTCDate() < b.getUTCDate())) age--;
  return age;
}

/** Does the persona work for an organisation of this kind, in this role? */
export function personaHas(name: string, kind: OrganisationKind, role: Role): boolean {
  const persona = PERSONAS[name];
  return !!persona && organisationKind(persona.organisation) === kind && persona.roles.includes(role);
}

export { explainAnalyze, isQuery, planNodes, planScans, StatementRecorder, type PlanScan, type RecordedStatement } from './db/statementPlans.js';

/** A persona's verified identity under a purpose, for work done in-process (imports) in tests. */
export function personaIdentity(name: string, purpose: Purpose): RequestIdentity {
  const persona = PERSONAS[name];
  if (!persona) throw new Error(`No persona ${name}`);
  const { subject, organisation, roles, purposes, areas } = persona;
  return { principal: { subject, issuer: DEV_ISSUER, organisation, roles, purposes, areas }, purpose };
}
