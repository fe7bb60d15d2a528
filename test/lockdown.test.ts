import { createHash, randomBytes } from 'node:crypto';
import { DEFAULT_RATE_LIMIT, DevIssuer, internalProof, INTERNAL_PROOF_HEADER, PERSONAS, type TrustConfig } from '@partnergraph/common';
import { createTestDatabase } from '@partnergraph/subgraph-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOwners, startSystem, type System } from './support/system.js';

/**
 * Issue 8 §§ 5–6, tried as an attacker would: the subgraphs are locked down
 * like the gateway (no introspection, no suggestions, `_service` only for the
 * composition's own caller, the gateway's rate limits and analyst budget for
 * callers who bypass it), and identity and the shared stores hold (issuers
 * bound to their organisations, no future or stale tokens, no persisted-query
 * oracle across organisations). Each rule through the gateway and directly at
 * the subgraphs.
 */

const OWNERS = ['police', 'municipality', 'housing'] as const;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
}

async function post(url: string, token: string, purpose: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': purpose, ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: JSON.parse(text) as Reply['body'] };
}

const codeOf = (reply: Reply) => reply.body.errors?.[0]?.extensions?.['code'];

describe('subgraphs locked down like the gateway (issue 8 §5)', () => {
  let system: System;
  let token: (persona: string) => Promise<string>;
  /** Every place a caller can ask: the gateway and each subgraph directly. */
  let doors: Array<[string, string]>;
  beforeAll(async () => {
    system = await startSystem();
    token = (persona) => system.issuer.signPersona(persona);
    doors = [['gateway', system.gatewayUrl], ...OWNERS.map((o) => [`${o} subgraph`, system.owners[o]!.url] as [string, string])];
  });
  afterAll(() => system?.stop());

  // The gateway shows partners its API schema (issue 10: introspection for every verified token); a subgraph's
  // schema is the owner's internals (federation fields, every type and directive), for no caller outside development.
  it('refuses introspection outside development at every subgraph', async () => {
    const t = await token('police-investigator');
    for (const [door, url] of doors.filter(([name]) => name !== 'gateway')) {
      for (const query of ['{ __schema { types { name fields { name } } } }', '{ __type(name: "CriminalDecision") { fields { name } } }']) {
        const reply = await post(url, t, 'CRIME_PREVENTION_63D', { query });
        expect(reply.status, `${door}: ${query}`).toBe(400);
        expect(reply.body.data ?? null, door).toBeNull();
        // Not one field name of the owner's types leaks.
        expect(reply.text, door).not.toMatch(/offenceCategory|decisionType|tenantName/);
      }
      // __typename is no introspection: every client may ask it.
      expect((await post(url, t, 'CRIME_PREVENTION_63D', { query: '{ __typename }' })).body.data, door).toEqual({ __typename: 'Query' });
    }
  });

  it('suggests no field names ("did you mean …") at any subgraph', async () => {
    const t = await token('police-investigator');
    for (const [door, url] of doors.filter(([name]) => name !== 'gateway')) {
      const reply = await post(url, t, 'CRIME_PREVENTION_63D', { query: '{ criminalDecision(id: "x") { offenceCategor } criminalDecisionz { id } }' });
      expect(reply.status, door).toBe(400);
      expect(reply.text, door).not.toMatch(/did you mean/i);
      expect(reply.text, door).not.toMatch(/"offenceCategory"|criminalDecisions/);
    }
  });

  it('answers _service { sdl } only to the composition\'s own caller', async () => {
    const t = await token('police-investigator');
    const authorization = `Bearer ${t}`;
    const other = `Bearer ${await token('secretariat-coordinator')}`;
    const query = { query: '{ _service { sdl } }' };
    for (const owner of OWNERS) {
      const url = system.owners[owner]!.url;
      const asCaller = await post(url, t, 'COORDINATION', query);
      expect(asCaller.body.data?._service ?? null, owner).toBeNull();
      expect(codeOf(asCaller), owner).toBe('FORBIDDEN');
      expect(asCaller.text, owner).not.toMatch(/@key|type Query/);
      // Aliased or in a fragment, the field is the same field.
      const aliased = await post(url, t, 'COORDINATION', { query: '{ ... on Query { s: _service { sdl } } }' });
      expect(aliased.text, owner).not.toMatch(/@key|type Query/);
      // A proof made with another key, or for another caller's token, is no proof.
      const forged = internalProof(randomBytes(32).toString('hex'), authorization, 'COORDINATION');
      expect(codeOf(await post(url, t, 'COORDINATION', query, { [INTERNAL_PROOF_HEADER]: forged })), owner).toBe('FORBIDDEN');
      const lifted = internalProof(system.internalKey, other, 'COORDINATION');
      expect(codeOf(await post(url, t, 'COORDINATION', query, { [INTERNAL_PROOF_HEADER]: lifted })), owner).toBe('FORBIDDEN');
      const stale = internalProof(system.internalKey, authorization, 'COORDINATION', Date.now() - 5 * 60_000);
      expect(codeOf(await post(url, t, 'COORDINATION', query, { [INTERNAL_PROOF_HEADER]: stale })), owner).toBe('FORBIDDEN');
      // The composition's own caller holds the deployment's internal key.
      const proof = internalProof(system.internalKey, authorization, 'COORDINATION');
      const composer = await post(url, t, 'COORDINATION', query, { [INTERNAL_PROOF_HEADER]: proof });
      expect(composer.body.data?._service?.sdl, owner).toMatch(/@key/);
    }
    // The gateway's API schema has no _service at all.
    expect((await post(system.gatewayUrl, t, 'COORDINATION', query)).status).toBe(400);
  });

  it('opens introspection and suggestions at a subgraph in development only', async () => {
    const police = (await loadOwners()).find((o) => o.owner.name === 'police')!;
    const issuer = await DevIssuer.create();
    const db = await createTestDatabase('lockdown_dev');
    const server = await police.subgraph.create({ db, trust: issuer.trustConfig(), development: true });
    const { url } = await server.listen(0);
    try {
      const t = await issuer.signPersona('police-investigator');
      const introspection = await post(url, t, 'CRIME_PREVENTION_63D', { query: '{ __type(name: "CriminalDecision") { fields { name } } }' });
      expect(introspection.body.data.__type.fields.map((f: { name: string }) => f.name)).toContain('offenceCategory');
      const suggestion = await post(url, t, 'CRIME_PREVENTION_63D', { query: '{ criminalDecisionz { id } }' });
      expect(suggestion.text).toMatch(/did you mean/i);
      const sdl = await post(url, t, 'CRIME_PREVENTION_63D', { query: '{ _service { sdl } }' });
      expect(sdl.body.data._service.sdl).toMatch(/@key/);
    } finally {
      await server.stop();
      await db.close();
    }
  });

  it('meets a caller who bypasses the gateway with the gateway\'s per-principal rate limit; the gateway\'s own fetches are not counted twice', async () => {
    const limit = DEFAULT_RATE_LIMIT.perPrincipal;
    const direct = await system.issuer.sign({ ...PERSONAS['police-auditor']!, subject: `rate-direct-${randomBytes(4).toString('hex')}` });
    const url = system.owners['police']!.url;
    const statuses: number[] = [];
    let refused: Reply | undefined;
    // In parallel batches: the same count whatever the order.
    for (let sent = 0; sent < limit + 40; sent += 40) {
      const replies = await Promise.all(Array.from({ length: 40 }, () => post(url, direct, 'STATISTICS', { query: '{ __typename }' })));
      for (const reply of replies) {
        statuses.push(reply.status);
        if (reply.status === 429) refused = reply;
      }
    }
    const answered = statuses.filter((s) => s === 200).length;
    expect(answered).toBeGreaterThanOrEqual(limit);
    // A window boundary in the middle of the run lets a few more through (the sliding window's estimate), never many.
    expect(answered).toBeLessThan(limit + 10);
    expect(refused!.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(codeOf(refused!)).toBe('RATE_LIMITED');
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);

    // Through a gateway without a limit of its own, another principal's fetches are proven internal: none is counted.
    const gateway = await system.extraGateway({ responseCache: false, inboundDedup: false, subgraphDedup: false, rateLimit: undefined });
    const viaGateway = await system.issuer.sign({ ...PERSONAS['police-auditor']!, subject: `rate-gateway-${randomBytes(4).toString('hex')}` });
    const codes = new Set<unknown>();
    for (let sent = 0; sent < limit + 40; sent += 40) {
      const replies = await Promise.all(
        Array.from({ length: 40 }, () => post(gateway.url, viaGateway, 'STATISTICS', { query: '{ safetyIndex(areaId: "ringparken") { year } }' })),
      );
      for (const reply of replies) {
        expect(reply.status).toBe(200);
        for (const error of reply.body.errors ?? []) codes.add(error.extensions?.['code']);
      }
    }
    expect(codes.has('RATE_LIMITED')).toBe(false);
    expect((await post(url, viaGateway, 'STATISTICS', { query: '{ __typename }' })).status).toBe(200);
  });

  it('holds analysts who bypass the gateway to the analysts\' cost budget', async () => {
    const analyst = await token('analyst');
    const costly = { query: '{ criminalDecisions(first: 500) { nodes { id decidedOn offenceCategory decisionType area { id } } } }' };
    const cheap = { query: '{ safetyIndex(areaId: "ringparken") { year } }' };
    for (const [door, url] of [['gateway', system.gatewayUrl], ['police subgraph', system.owners['police']!.url]] as const) {
      const refused = await post(url, analyst, 'STATISTICS', costly);
      expect(refused.status, door).toBe(400);
      expect(codeOf(refused), door).toBe('COST_LIMIT');
      expect(refused.body.errors?.[0]?.message, door).toMatch(/limited to a cost of 5000/);
      const within = await post(url, analyst, 'STATISTICS', cheap);
      expect(within.status, door).toBe(200);
      expect(within.body.errors, door).toBeUndefined();
    }
    // The budget is the analysts': a caseworker's large list is within the general limits.
    const investigator = await post(system.owners['police']!.url, await token('police-investigator'), 'CRIME_PREVENTION_63D', costly);
    expect(investigator.status, investigator.text.slice(0, 300)).toBe(200);
    expect(codeOf(investigator)).toBeUndefined();
  });
});

describe('identity and shared stores (issue 8 §6)', () => {
  let system: System;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(() => system?.stop());

  it('a housing company\'s identity provider cannot mint org police, at the gateway or at a subgraph', async () => {
    const housingIdp = await DevIssuer.create('https://sso.housing.test');
    const trust: TrustConfig = {
      ...system.issuer.trustConfig(),
      issuers: [...system.issuer.trustConfig().issuers, { issuer: housingIdp.issuer, jwks: housingIdp.jwks, organisations: ['fob', 'sab', 'bolig-korsor'] }],
    };
    const gateway = await system.extraGateway({ trust });
    const police = (await loadOwners()).find((o) => o.owner.name === 'police')!;
    const db = await createTestDatabase('lockdown_trust');
    const server = await police.subgraph.create({ db, trust });
    const { url } = await server.listen(0);
    try {
      const forged = await housingIdp.signPersona('police-investigator');
      const own = await housingIdp.signPersona('housing-fob-caseworker');
      for (const [door, at] of [['gateway', gateway.url], ['police subgraph', url]] as const) {
        const refused = await post(at, forged, 'CRIME_PREVENTION_63D', { query: '{ criminalDecisions(first: 1) { nodes { id } } }' });
        expect(refused.status, door).toBe(401);
        expect(codeOf(refused), door).toBe('UNAUTHENTICATED');
        expect(refused.body.data ?? null, door).toBeNull();
        // The same issuer speaks for its own companies.
        expect((await post(at, own, 'CRIME_PREVENTION_63D', { query: '{ __typename }' })).status, door).toBe(200);
      }
    } finally {
      await server.stop();
      await db.close();
    }
  });

  it('refuses tokens issued in the future and tokens older than the maximum age, at the gateway and at every subgraph', async () => {
    const now = Math.floor(Date.now() / 1000);
    const future = await system.issuer.signPersona('police-investigator', { issuedAt: now + 600, expiresInSeconds: 3600 });
    const stale = await system.issuer.signPersona('police-investigator', { issuedAt: now - 13 * 3600, expiresInSeconds: 365 * 86_400 });
    const fresh = await system.issuer.signPersona('police-investigator', { issuedAt: now - 60 });
    const doors = [['gateway', system.gatewayUrl], ...OWNERS.map((o) => [`${o} subgraph`, system.owners[o]!.url])] as const;
    for (const [door, url] of doors) {
      for (const [what, t] of [['future', future], ['stale', stale]] as const) {
        const reply = await post(url, t, 'COORDINATION', { query: '{ __typename }' });
        expect(reply.status, `${door}: ${what}`).toBe(401);
        expect(codeOf(reply), `${door}: ${what}`).toBe('UNAUTHENTICATED');
      }
      expect((await post(url, fresh, 'COORDINATION', { query: '{ __typename }' })).status, door).toBe(200);
    }
  });

  it('keeps persisted queries per organisation: company B cannot learn whether company A ran an exact text', async () => {
    const fob = await system.issuer.signPersona('housing-fob-caseworker');
    const bk = await system.issuer.signPersona('housing-bk-caseworker');
    const person = system.world.personId(1);
    const text = `{ person(id: "${person}") { id } }`;
    const persisted = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });
    const registered = await post(system.gatewayUrl, fob, 'COORDINATION', { query: text, extensions: persisted(text) });
    expect(registered.status).toBe(200);
    // FOB finds its own registration by hash.
    expect((await post(system.gatewayUrl, fob, 'COORDINATION', { extensions: persisted(text) })).status).toBe(200);
    // BK asking for FOB's hash gets exactly what a hash nobody sent gets.
    const probe = await post(system.gatewayUrl, bk, 'COORDINATION', { extensions: persisted(text) });
    const never = await post(system.gatewayUrl, bk, 'COORDINATION', { extensions: persisted(`{ person(id: "${person}x") { id } }`) });
    expect(codeOf(probe)).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(probe.status).toBe(never.status);
    expect(probe.body).toEqual(never.body);
  });
});
