import { randomUUID } from 'node:crypto';
import { BoardOverviewDocument } from '@partnergraph/operations';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlledProxy } from '../../test/support/controlledProxy.js';
import { startSystem, type System } from '../../test/support/system.js';

const BOARD = print(BoardOverviewDocument);
const SAFETY_INDEX = '{ safetyIndex(areaId: "motalavej") { year shareFeelingSafe } }';

async function post(url: string, token: string | null, purpose: string | null, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(purpose ? { 'x-purpose': purpose } : {}),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { data?: any; errors?: any[] } };
}

/** Variables nested `levels` deep, as raw JSON text (building them as objects would need recursion to serialise). */
const deepVariables = (query: string, levels: number) => `{"query":${JSON.stringify(query)},"variables":{"id":${'['.repeat(levels)}${']'.repeat(levels)}}}`;

/**
 * What production does to the gateway (issue 13): bad input, cache
 * invalidation, disclosures under in-flight sharing, readiness. Through the
 * real gateway and subgraphs.
 */
describe('gateway under faults', () => {
  let system: System;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(() => system?.stop());
  const token = (persona: string) => system.issuer.signPersona(persona);
  const prefix = () => `test-${randomUUID()}:`;

  it('answers bad input with 4xx, at the gateway and at each subgraph, and keeps serving', async () => {
    const t = await token('police-investigator');
    const targets = [system.gatewayUrl, system.owners['police']!.url, system.owners['municipality']!.url];
    for (const url of targets) {
      const syntax = await post(url, t, 'COORDINATION', '{"query":"{ areas { name "}');
      expect(syntax.status, url).toBe(400);
      expect(syntax.body.errors?.[0]?.message).toMatch(/Syntax Error/);
      const deep = await post(url, t, 'COORDINATION', deepVariables('query ($id: ID!) { area(id: $id) { id } }', 5000));
      expect(deep.status, url).toBe(400);
      expect(JSON.stringify(deep.body)).not.toMatch(/call stack|Internal/i);
      expect((await post(url, null, 'COORDINATION', { query: '{ organisations { id } }' })).status, url).toBe(401);
      expect((await post(url, t, null, { query: '{ organisations { id } }' })).status, url).toBe(400);
      expect((await fetch(url)).status, url).toBe(405);
    }
    const tooManyTokens = `{ ${Array.from({ length: 700 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const tokens = await post(system.gatewayUrl, t, 'COORDINATION', { query: tooManyTokens });
    expect(tokens.status).toBe(400);
    expect(tokens.body.errors?.[0]?.message).toMatch(/tokens/);
    const fine = await post(system.gatewayUrl, t, 'COORDINATION', { query: '{ organisations { id } }' });
    expect(fine.status).toBe(200);
    expect(fine.body.data.organisations).toHaveLength(8);
  });

  it('retires cached answers only for a mutation that executed, and only those with the changed owner’s data', async () => {
    const gw = await system.extraGateway({ redisPrefix: prefix(), rateLimit: undefined });
    const coordinator = await token('secretariat-coordinator');
    const cached = async (query: string) => (await post(gw.url, coordinator, 'STATISTICS', { query })).headers.get('x-cache');
    await cached(BOARD);
    await cached(SAFETY_INDEX);
    expect(await cached(BOARD)).toBe('hit');
    expect(await cached(SAFETY_INDEX)).toBe('hit');

    // Neither an unparsable text nor a refused mutation changes anything.
    const caseworker = await token('municipality-caseworker');
    expect((await post(gw.url, caseworker, 'COORDINATION', { query: 'mutation { createInitiative(' })).status).toBe(400);
    const refused = await post(gw.url, await token('housing-fob-caseworker'), 'COORDINATION', {
      query: 'mutation { closeInitiative(id: "I00001", version: 1, endsOn: "2026-12-31") { id } }',
    });
    expect(refused.body.errors?.[0]?.extensions?.code).toMatch(/FORBIDDEN|NOT_FOUND/);
    expect(await cached(BOARD)).toBe('hit');
    expect(await cached(SAFETY_INDEX)).toBe('hit');

    // The municipality registers an initiative: answers with the municipality's data go, the police's alone stay.
    const created = await post(gw.url, caseworker, 'COORDINATION', {
      query: 'mutation ($input: CreateInitiativeInput!) { createInitiative(input: $input) { id } }',
      variables: { input: { title: 'Homework café (cache test)', kind: 'BUILDING_UP', areaIds: ['sydbyen'], startsOn: '2026-09-01' } },
    });
    expect(created.body.errors).toBeUndefined();
    expect(await cached(BOARD)).toBeNull();
    expect(await cached(SAFETY_INDEX)).toBe('hit');
  });

  it('logs every delivery of personal data, with in-flight sharing on', async () => {
    const gw = await system.extraGateway({ redisPrefix: prefix(), rateLimit: undefined });
    const investigator = await token('police-investigator');
    const police = system.owners['police']!.db;
    const reads = async () =>
      Number(
        (
          await police.query<{ n: number }>(
            "SELECT count(*) AS n FROM disclosure_log WHERE action = 'READ' AND entity_type = 'CriminalDecision' AND organisation = 'police'",
          )
        )[0]!.n,
      );
    const before = await reads();
    const query = { query: '{ criminalDecisions(first: 50) { nodes { id court offenceCategory } } }' };
    const answers = await Promise.all(Array.from({ length: 12 }, () => post(gw.url, investigator, 'CRIME_PREVENTION_63D', query)));
    for (const answer of answers) expect(answer.body.data.criminalDecisions.nodes).toHaveLength(50);
    expect((await reads()) - before).toBe(12);

    // Non-personal answers are still shared.
    const coordinator = await token('secretariat-coordinator');
    await Promise.all(Array.from({ length: 8 }, () => post(gw.url, coordinator, 'COORDINATION', { query: '{ organisations { id name } }' })));
    const shared = (await gw.gateway.metrics.dedup.get()).values.find((v) => v.labels.kind === 'inbound')?.value ?? 0;
    expect(shared).toBeGreaterThan(0);
  });

  it('is ready when its supergraph is loaded, whatever a subgraph does, and says how the subgraphs are', async () => {
    const proxy = await controlledProxy(system.owners['police']!.url);
    try {
      const gw = await system.extraGateway({
        redisPrefix: prefix(),
        subgraphUrls: { police: proxy.url },
        subgraphTimeoutMs: 300,
        circuit: { failureThreshold: 1, openMs: 60_000 },
      });
      const base = gw.url.replace('/graphql', '');
      proxy.state.mode = 'down';
      const partial = await post(gw.url, await token('secretariat-coordinator'), 'STATISTICS', { query: '{ areas { name latestSafetyIndex { year } } }' });
      expect(partial.body.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
      const ready = await fetch(`${base}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', subgraphs: { police: 'open', municipality: 'closed' } });
      expect((await fetch(`${base}/health`)).status).toBe(200);
    } finally {
      await proxy.close();
    }
  });
});
