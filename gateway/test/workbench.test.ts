import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS, DevIssuer } from '@partnergraph/common';
import { createGateway, gatewayConfig, type Gateway } from '@partnergraph/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The analysts' workbench at the gateway (issue 10), in-process without
 * subgraphs: the page for a browser's GET at /graphql under the strict policy,
 * the API there unchanged, the schema for every verified token and for no
 * one else, and the cost before running and in every answer.
 */
const SUPERGRAPH = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'partnergraph-workbench-'));
const keys = join(dir, 'keys');
const built = join(dir, 'workbench');
const app = join(dir, 'app');
let issuer: DevIssuer;

beforeAll(async () => {
  mkdirSync(join(built, 'assets'), { recursive: true });
  writeFileSync(join(built, 'index.html'), '<!doctype html><html lang="da"><title>workbench</title><script type="module" src="/workbench/assets/wb-1.js"></script></html>');
  writeFileSync(join(built, 'assets', 'wb-1.js'), 'console.log("workbench")');
  mkdirSync(app);
  writeFileSync(join(app, 'index.html'), '<!doctype html><html lang="da"><title>app</title></html>');
  issuer = await DevIssuer.loadOrCreate(keys);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const request = (gateway: Gateway, path: string, init: RequestInit = {}) => gateway.fetch(new Request(`http://gateway${path}`, init));
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
async function post(gateway: Gateway, path: string, body: unknown, persona?: string, purpose = 'STATISTICS') {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-purpose': purpose };
  if (persona) headers['authorization'] = `Bearer ${await issuer.signPersona(persona)}`;
  const res = await request(gateway, path, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: any[]; extensions?: any } };
}

describe('the workbench at /graphql', () => {
  let gateway: Gateway;
  let alone: Gateway;
  beforeAll(async () => {
    const base = { supergraphPath: SUPERGRAPH, trust: issuer.trustConfig(), rateLimit: undefined, workbenchDir: built };
    gateway = await createGateway(gatewayConfig({ ...base, appDir: app }));
    alone = await createGateway(gatewayConfig(base));
  });
  afterAll(async () => {
    await gateway?.stop();
    await alone?.stop();
  });

  it("serves the page to a browser's GET under the strict policy; the API at /graphql is unchanged", async () => {
    const page = await request(gateway, '/graphql', { headers: { accept: BROWSER } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<title>workbench<\/title>/);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self';/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toMatch(/connect-src 'self'/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect((await request(gateway, '/workbench/assets/wb-1.js')).status).toBe(200);
    // Not a browser: the API's answers as before (GET is refused; POST needs JSON, which a cross-site form cannot send).
    const apiGet = await request(gateway, '/graphql', { headers: { accept: 'application/json' } });
    expect(apiGet.status).toBe(405);
    const form = await request(gateway, '/graphql', { method: 'POST', headers: { accept: BROWSER, 'content-type': 'application/x-www-form-urlencoded' }, body: 'query={areas{id}}' });
    expect(form.status).toBe(415);
    // With the app configured, / stays the app's; without one, / is the workbench.
    expect(await (await request(gateway, '/')).text()).toMatch(/<title>app<\/title>/);
    expect(await (await request(alone, '/')).text()).toMatch(/<title>workbench<\/title>/);
  });

  it('answers introspection and suggestions for any verified token, and never without one', async () => {
    for (const [persona, purpose] of [['analyst', 'STATISTICS'], ['housing-fob-caseworker', 'CRIME_PREVENTION_63D'], ['police-investigator', 'SSP_115']] as const) {
      const schema = await post(gateway, '/graphql', { query: '{ __schema { queryType { name } } __type(name: "InjunctionCount") { fields { name } } }' }, persona, purpose);
      expect(schema.status, persona).toBe(200);
      expect(schema.body.data.__schema.queryType.name).toBe('Query');
      expect(schema.body.data.__type.fields.map((f: { name: string }) => f.name)).toContain('suppressed');
    }
    const typo = await post(gateway, '/graphql', { query: '{ injunctionStatistic { total { count } } }' }, 'analyst');
    expect(typo.status).toBe(400);
    expect(typo.body.errors?.[0]?.message).toMatch(/Did you mean "injunctionStatistics"/);
    const anonymous = await post(gateway, '/graphql', { query: '{ __schema { queryType { name } } }' });
    expect(anonymous.status).toBe(401);
    expect(JSON.stringify(anonymous.body)).not.toMatch(/Query/);
    const forged = await request(gateway, '/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not.a.token', 'x-purpose': 'STATISTICS' },
      body: JSON.stringify({ query: '{ injunctionStatistic { total { count } } }' }),
    });
    expect(forged.status).toBe(401);
    expect(await forged.text()).not.toMatch(/Did you mean/);
  });

  it('says the cost and budget before running, and refuses an analyst over budget naming the costliest part', async () => {
    const cheap = await post(gateway, '/graphql/cost', { query: '{ areas { id name } }' }, 'analyst');
    expect(cheap.status).toBe(200);
    expect(cheap.body).toEqual({ extensions: { cost: { total: 5, budget: DEFAULT_LIMITS.analystMaxCost, costliest: { path: 'areas', cost: 5 }, withinBudget: true } } });
    const query = '{ initiatives(first: 500) { nodes { id title areas { id name } } } }';
    const costly = await post(gateway, '/graphql/cost', { query }, 'analyst');
    expect(costly.status).toBe(200);
    expect(costly.body.extensions.cost).toMatchObject({ budget: DEFAULT_LIMITS.analystMaxCost, withinBudget: false, costliest: { path: 'initiatives(first: 500).nodes.areas' } });
    expect(costly.body.errors?.[0]).toMatchObject({ extensions: { code: 'COST_LIMIT' }, message: expect.stringMatching(/Most of it is initiatives\(first: 500\)\.nodes\.areas/) });
    // A run answers the same refusal, as a client error, before anything executes.
    const run = await post(gateway, '/graphql', { query }, 'analyst');
    expect(run.status).toBe(400);
    expect(run.body.errors?.[0]?.extensions).toMatchObject({ code: 'COST_LIMIT', cost: { total: costly.body.extensions.cost.total } });
    // The same query is within a coordinator's (general) budget.
    const general = await post(gateway, '/graphql/cost', { query }, 'secretariat-coordinator', 'COORDINATION');
    expect(general.body.extensions.cost).toMatchObject({ budget: DEFAULT_LIMITS.maxCost, withinBudget: true });
    // Documents that do not validate get their errors, still as the check's own 200; request faults stay 4xx.
    const invalid = await post(gateway, '/graphql/cost', { query: '{ areas { id ' }, 'analyst');
    expect(invalid.status).toBe(200);
    expect(invalid.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect((await post(gateway, '/graphql/cost', { query: '{ areas { id } }' })).status).toBe(401);
    // Introspection costs nothing and answers with its cost too.
    const introspection = await post(gateway, '/graphql', { query: '{ __schema { queryType { name } } }' }, 'analyst');
    expect(introspection.body.extensions).toEqual({ cost: { total: 0, budget: DEFAULT_LIMITS.analystMaxCost } });
  });
});
