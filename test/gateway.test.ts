import { randomUUID } from 'node:crypto';
import { BoardOverviewDocument } from '@partnergraph/operations';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlledProxy } from './support/controlledProxy.js';
import { startSystem, type System } from './support/system.js';

const REDIS = process.env['TEST_REDIS_URL'];
const METRICS_TOKEN = 'scraper-token-for-tests';
const BOARD = print(BoardOverviewDocument);
const sha256 = async (text: string) => (await import('node:crypto')).createHash('sha256').update(text).digest('hex');

async function post(url: string, token: string, purpose: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': purpose, ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { data?: any; errors?: any[] } };
}

/**
 * The production gateway, against the real Redis (when TEST_REDIS_URL is set)
 * and against its in-process fallback: caching, sharing, limits, persisted
 * operations, rate limits, resilience and observability.
 */
describe.each([
  ['Redis', REDIS],
  ['in-process stores', undefined],
])('gateway with %s', (_label, redisUrl) => {
  let system: System;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(() => system?.stop());
  const prefix = () => `test-${randomUUID()}:`;
  const token = (persona: string) => system.issuer.signPersona(persona);

  it('caches answers the owners marked cacheable, per access scope, and never personal data', async () => {
    const gw = await system.extraGateway({ redisUrl, redisPrefix: prefix() });
    const coordinator = await token('secretariat-coordinator');
    const first = await post(gw.url, coordinator, 'STATISTICS', { query: BOARD });
    expect(first.body.errors).toBeUndefined();
    expect(first.headers.get('x-cache')).toBeNull();
    const second = await post(gw.url, coordinator, 'STATISTICS', { query: BOARD });
    expect(second.headers.get('x-cache')).toBe('hit');
    expect(second.body).toEqual(first.body);
    // Another scope (same query) is its own entry: rules may differ.
    const analyst = await post(gw.url, await token('analyst'), 'STATISTICS', { query: BOARD });
    expect(analyst.headers.get('x-cache')).toBeNull();
    const board = await post(gw.url, await token('board-member'), 'COORDINATION', { query: BOARD });
    expect(board.headers.get('x-cache')).toBeNull();
    // Personal data: never served from the cache.
    const investigator = await token('police-investigator');
    const personal = { query: '{ criminalDecisions(first: 5) { nodes { id court } } }' };
    await post(gw.url, investigator, 'CRIME_PREVENTION_63D', personal);
    const again = await post(gw.url, investigator, 'CRIME_PREVENTION_63D', personal);
    expect(again.headers.get('x-cache')).toBeNull();
    expect(again.body.data.criminalDecisions.nodes).toHaveLength(5);
  });

  it('never shares an execution between principals whose scopes differ', async () => {
    const gw = await system.extraGateway({ redisUrl, redisPrefix: prefix(), responseCache: false });
    const query = { query: '{ criminalDecisions(first: 1000) { nodes { id decidedOn } } }' };
    const [police, fob] = await Promise.all([
      post(gw.url, await token('police-investigator'), 'CRIME_PREVENTION_63D', query),
      post(gw.url, await token('housing-fob-caseworker'), 'CRIME_PREVENTION_63D', query),
    ]);
    expect(police.body.data.criminalDecisions.nodes.length).toBe(800);
    expect(fob.body.data.criminalDecisions.nodes.length).toBeLessThan(100);
    const inbound = await gw.gateway.metrics.dedup.get();
    expect(inbound.values.find((v) => v.labels.kind === 'inbound')?.value ?? 0).toBe(0);
    // The same principal asking twice at once: personal answers are each executed (and logged) on their own,
    // answers the owners marked non-personal are shared.
    const fobToken = await token('housing-fob-caseworker');
    const twins = await Promise.all([0, 1, 2].map(() => post(gw.url, fobToken, 'CRIME_PREVENTION_63D', query)));
    expect(twins[1]!.body).toEqual(twins[0]!.body);
    const personal = await gw.gateway.metrics.dedup.get();
    expect(personal.values.find((v) => v.labels.kind === 'inbound')?.value ?? 0).toBe(0);
    await Promise.all([0, 1, 2].map(() => post(gw.url, fobToken, 'COORDINATION', { query: '{ organisations { id name } }' })));
    const after = await gw.gateway.metrics.dedup.get();
    expect(after.values.find((v) => v.labels.kind === 'inbound')?.value ?? 0).toBeGreaterThanOrEqual(1);
  });

  it('limits operations: depth, aliases, cost, size, batching; introspection and suggestions only with a token', async () => {
    const gw = await system.extraGateway({ redisUrl, redisPrefix: prefix() });
    const t = await token('police-investigator');
    const deep = `{ areas { initiatives { nodes { areas { initiatives { nodes { areas { initiatives { nodes { areas { initiatives { nodes { id } } } } } } } } } } } } }`;
    const deepRes = await post(gw.url, t, 'COORDINATION', { query: deep });
    expect(deepRes.body.errors?.[0]?.message).toMatch(/depth/i);
    const aliases = `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: areas { id }`).join(' ')} }`;
    expect((await post(gw.url, t, 'COORDINATION', { query: aliases })).body.errors?.[0]?.message).toMatch(/alias/i);
    const costly = '{ criminalDecisions(first: 1000) { nodes { id person { criminalDecisions { id referrals { id decision { id } } } } } } }';
    expect((await post(gw.url, t, 'CRIME_PREVENTION_63D', { query: costly })).body.errors?.[0]?.message).toMatch(/cost/i);
    const huge = await post(gw.url, t, 'COORDINATION', { query: `{ areas { id } } #${'x'.repeat(100_000)}` });
    expect(huge.status).toBe(413);
    const batch = await post(gw.url, t, 'COORDINATION', [{ query: '{ areas { id } }' }, { query: '{ areas { id } }' }]);
    expect(batch.status).toBe(400);
    expect(batch.body.errors?.[0]?.extensions?.code).toBe('BATCHING_NOT_SUPPORTED');
    // The schema is for every verified token (issue 10): introspection and suggestions answer, and cost nothing.
    const introspection = await post(gw.url, t, 'COORDINATION', { query: '{ __schema { types { name } } }' });
    expect(introspection.body.data.__schema.types.length).toBeGreaterThan(10);
    expect(introspection.body.extensions.cost).toMatchObject({ total: 0 });
    const typo = await post(gw.url, t, 'COORDINATION', { query: '{ areaz { id } }' });
    expect(JSON.stringify(typo.body)).toMatch(/Did you mean/);
    const anonymous = await fetch(gw.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-purpose': 'COORDINATION' }, body: JSON.stringify({ query: '{ areaz { id } }' }) });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toMatch(/Did you mean/);
    const malformed = await post(gw.url, t, 'COORDINATION', { query: '{ areas { id ' });
    expect(malformed.body.errors?.[0]?.message).toMatch(/Syntax Error/);
    expect(malformed.body.data).toBeUndefined();
  });

  it('keeps persisted queries in the shared store, and enforces the safelist', async () => {
    const shared = prefix();
    const a = await system.extraGateway({ redisUrl, redisPrefix: shared });
    const b = redisUrl ? await system.extraGateway({ redisUrl, redisPrefix: shared }) : a;
    const t = await token('secretariat-coordinator');
    const query = '{ organisations { id name } }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: await sha256(query) } };
    const unknown = await post(b.url, t, 'COORDINATION', { extensions });
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await post(a.url, t, 'COORDINATION', { query, extensions });
    expect(registered.body.data.organisations).toHaveLength(8);
    const byHash = await post(b.url, t, 'COORDINATION', { extensions });
    expect(byHash.body.data).toEqual(registered.body.data);
    const forged = await post(a.url, t, 'COORDINATION', { query: '{ areas { id } }', extensions });
    expect(forged.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_HASH_MISMATCH');

    const safe = await system.extraGateway({ redisUrl, redisPrefix: prefix(), safelist: true });
    const adHoc = await post(safe.url, t, 'STATISTICS', { query: '{ areas { id } }' });
    expect(adHoc.status).toBe(403);
    expect(adHoc.body.errors?.[0]?.extensions?.code).toBe('OPERATION_NOT_REGISTERED');
    // The schema, though, is for every verified principal, safelist or not; data beside it is not.
    const schema = await post(safe.url, t, 'STATISTICS', { query: '{ __schema { queryType { name } } __type(name: "HousingArea") { name } }' });
    expect(schema.body.data).toEqual({ __schema: { queryType: { name: 'Query' } }, __type: { name: 'HousingArea' } });
    const smuggled = await post(safe.url, t, 'STATISTICS', { query: '{ __schema { queryType { name } } areas { id } }' });
    expect(smuggled.status).toBe(403);
    const boardHash = { persistedQuery: { version: 1, sha256Hash: await sha256(BOARD) } };
    const app = await post(safe.url, t, 'STATISTICS', { extensions: boardHash });
    expect(app.body.errors, JSON.stringify(app.body.errors)).toBeUndefined();
    expect(app.body.data.areas).toHaveLength(4);
    const analyst = await token('analyst');
    const analystAdHoc = await post(safe.url, analyst, 'STATISTICS', { query: '{ areas { id latestSafetyIndex { shareFeelingSafe } } }' });
    expect(analystAdHoc.body.data.areas).toHaveLength(4);
    const analystTooCostly = await post(safe.url, analyst, 'STATISTICS', {
      query: '{ areas { initiatives(first: 500) { nodes { id title areas { id name } responsibleOrganisation { id name } } } } }',
    });
    expect(analystTooCostly.body.errors?.[0]?.extensions?.code).toBe('COST_LIMIT');
  });

  it('rate-limits per principal and per organisation, with Retry-After, across gateway processes', async () => {
    const shared = prefix();
    const limit = { perPrincipal: 5, perOrganisation: 8, windowSeconds: 60 };
    const a = await system.extraGateway({ redisUrl, redisPrefix: shared, rateLimit: limit });
    const b = redisUrl ? await system.extraGateway({ redisUrl, redisPrefix: shared, rateLimit: limit }) : a;
    const t = await token('analyst');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(i % 2 ? b.url : a.url, t, 'STATISTICS', { query: '{ areas { id } }' })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const refused = await post(b.url, t, 'STATISTICS', { query: '{ areas { id } }' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // Another principal of the same organisation shares the organisation's budget.
    const coordinator = await token('secretariat-coordinator');
    const orgStatuses: number[] = [];
    for (let i = 0; i < 4; i++) orgStatuses.push((await post(a.url, coordinator, 'STATISTICS', { query: '{ areas { id } }' })).status);
    expect(orgStatuses).toEqual([200, 200, 200, 429]);
  });

  it('answers with partial data when a subgraph is down, opens the circuit, and recovers', async () => {
    const proxy = await controlledProxy(system.owners['police']!.url);
    try {
      const gw = await system.extraGateway({
        redisUrl,
        redisPrefix: prefix(),
        responseCache: false,
        subgraphUrls: { police: proxy.url },
        subgraphTimeoutMs: 500,
        circuit: { failureThreshold: 2, openMs: 300 },
        metricsToken: METRICS_TOKEN,
      });
      const t = await token('secretariat-coordinator');
      const query = { query: '{ areas { id name latestSafetyIndex { shareFeelingSafe } } }' };
      expect((await post(gw.url, t, 'STATISTICS', query)).body.errors).toBeUndefined();
      proxy.state.mode = 'down';
      const partial = await post(gw.url, t, 'STATISTICS', query);
      expect(partial.status).toBe(200);
      expect(partial.body.data.areas.map((a: any) => a.name)).toHaveLength(4);
      expect(partial.body.data.areas.every((a: any) => a.latestSafetyIndex === null)).toBe(true);
      expect(partial.body.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
      proxy.state.mode = 'slow';
      const slow = await post(gw.url, t, 'STATISTICS', query);
      expect(slow.body.errors?.[0]?.message).toMatch(/timeout|circuit/);
      // Two failures in a row: the circuit is open and refuses without calling.
      const police = gw.gateway.subgraphs.get('police')!;
      expect(police.breaker.state).toBe('open');
      const callsBefore = proxy.state.calls;
      const refused = await post(gw.url, t, 'STATISTICS', query);
      expect(refused.body.errors?.[0]?.message).toMatch(/circuit_open/);
      expect(proxy.state.calls).toBe(callsBefore);
      // After the open period one probe goes through; it succeeds and closes the circuit.
      proxy.state.mode = 'pass';
      await new Promise((r) => setTimeout(r, 350));
      const recovered = await post(gw.url, t, 'STATISTICS', query);
      expect(recovered.body.errors).toBeUndefined();
      expect(police.breaker.state).toBe('closed');
      const metrics = await (await fetch(gw.url.replace('/graphql', '/metrics'), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
      expect(metrics).toMatch(/gateway_subgraph_errors_total\{subgraph="police",reason="network"\} [1-9]/);
      expect(metrics).toMatch(/gateway_circuit_state\{subgraph="police"\} 0/);
    } finally {
      await proxy.close();
    }
  });

  it('propagates the trace to subgraphs and serves health, readiness and metrics', async () => {
    const proxy = await controlledProxy(system.owners['municipality']!.url);
    try {
      const gw = await system.extraGateway({ redisUrl, redisPrefix: prefix(), subgraphUrls: { municipality: proxy.url }, metricsToken: METRICS_TOKEN });
      const callerTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const answer = await post(gw.url, await token('analyst'), 'STATISTICS', { query: '{ areas { id } }' }, { traceparent: `00-${callerTraceId}-00f067aa0ba902b7-01`, 'x-request-id': 'chosen-by-caller' });
      // The gateway is the public edge: its own trace and request id, named in the answer, go to the owners.
      const traceId = /^00-([0-9a-f]{32})-[0-9a-f]{16}-01$/.exec(answer.headers.get('traceresponse') ?? '')?.[1];
      expect(traceId).toBeDefined();
      expect(traceId).not.toBe(callerTraceId);
      const sent = proxy.state.seen.at(-1)!;
      expect(sent['traceparent']).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      expect(sent['x-request-id']).toBe(answer.headers.get('x-request-id'));
      expect(sent['x-request-id']).not.toBe('chosen-by-caller');
      expect(sent['authorization']).toMatch(/^Bearer /);
      expect(sent['x-purpose']).toBe('STATISTICS');
      const base = gw.url.replace('/graphql', '');
      expect((await fetch(`${base}/health`)).status).toBe(200);
      const ready = await fetch(`${base}/ready`);
      expect(ready.status).toBe(200);
      // A subgraph that is down makes partial answers, not an unready gateway: reported, not gating.
      proxy.state.mode = 'down';
      await proxy.close();
      await post(gw.url, await token('analyst'), 'STATISTICS', { query: '{ areas { id } }' });
      const stillReady = await fetch(`${base}/ready`);
      expect(stillReady.status).toBe(200);
      expect(((await stillReady.json()) as { subgraphs: Record<string, string> }).subgraphs).toHaveProperty('municipality');
      // Not for the world: only the scraper with its token is served.
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer guess' } })).status).toBe(401);
      const metrics = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
      for (const name of ['gateway_requests_total', 'gateway_request_duration_seconds_bucket', 'gateway_subgraph_fetch_duration_seconds_bucket']) {
        expect(metrics).toContain(name);
      }
    } finally {
      await proxy.close().catch(() => undefined);
    }
  });

  it('drains in-flight requests on shutdown', async () => {
    const proxy = await controlledProxy(system.owners['municipality']!.url);
    try {
      const gw = await system.extraGateway({ redisUrl, redisPrefix: prefix(), subgraphUrls: { municipality: proxy.url } });
      proxy.state.mode = 'slow';
      proxy.state.slowMs = 400;
      const t = await token('analyst');
      const inFlight = post(gw.url, t, 'STATISTICS', { query: '{ areas { id } }' });
      await new Promise((r) => setTimeout(r, 100));
      const stopped = gw.gateway.stop();
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(answer.body.data.areas).toHaveLength(4);
      await stopped;
      await expect(post(gw.url, t, 'STATISTICS', { query: '{ areas { id } }' })).rejects.toThrow();
    } finally {
      await proxy.close();
    }
  });
});

describe('gateway when Redis goes away', () => {
  let system: System;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(() => system?.stop());

  it('keeps serving, from its in-process stores, with no client-visible errors', async () => {
    // A port where no Redis listens: as if Redis died.
    const gw = await system.extraGateway({ redisUrl: 'redis://127.0.0.1:1', redisPrefix: 'gone:', rateLimit: { perPrincipal: 100, perOrganisation: 100, windowSeconds: 60 } });
    const t = await system.issuer.signPersona('secretariat-coordinator');
    for (let i = 0; i < 3; i++) {
      const res = await post(gw.url, t, 'STATISTICS', { query: BOARD });
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
    }
    const res = await post(gw.url, t, 'STATISTICS', { query: BOARD });
    expect(res.headers.get('x-cache')).toBe('hit');
  });
});
