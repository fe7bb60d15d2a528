import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { flushTelemetry, startTelemetry, stopTelemetry } from '@partnergraph/common';
import { PersonOverviewDocument } from '@partnergraph/operations';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type ReceivedSpan } from './support/otlpReceiver.js';
import { startSystem, type System } from './support/system.js';

const SERVER = 2; // OTLP SpanKind
const CLIENT = 3;

/**
 * Traces with OpenTelemetry on: one request through the gateway is one trace,
 * from the gateway's request through its plan and fetches into each owner's
 * request, its SQL and its disclosure-log write, exported over OTLP/HTTP to a
 * receiver in this process; no span carries an id of a person.
 */
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  expect(await startTelemetry('partnergraph-test', { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url })).toBe(true);
});
afterAll(async () => {
  await stopTelemetry();
  await receiver?.stop();
});

describe.each([
  ['server databases', false],
  ['embedded PGlite', true],
])('traces from the caller to the SQL, on %s', (_label, embedded) => {
  let system: System;
  beforeAll(async () => {
    system = await startSystem({ embedded });
  });
  afterAll(() => system?.stop());

  /**
   * Posts as a persona with the caller's own trace context; `traceId` is the
   * trace the request was served in, as the answer's `traceresponse` names it.
   */
  async function traced(url: string, persona: string, purpose: string, query: string, variables: Record<string, unknown>) {
    const callerTraceId = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const callerRequestId = `caller-chosen-${randomBytes(4).toString('hex')}`;
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await system.issuer.signPersona(persona)}`,
        'x-purpose': purpose,
        traceparent: `00-${callerTraceId}-${callerSpan}-01`,
        'x-request-id': callerRequestId,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
    await flushTelemetry();
    const served = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(res.headers.get('traceresponse') ?? '');
    expect(served, 'traceresponse').not.toBeNull();
    const traceId = served![1]!;
    return { status: res.status, body, traceId, callerTraceId, callerSpan, callerRequestId, requestId: res.headers.get('x-request-id'), spans: receiver.spans.filter((s) => s.traceId === traceId) };
  }

  function ancestors(span: ReceivedSpan, spans: ReceivedSpan[]): ReceivedSpan[] {
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const chain: ReceivedSpan[] = [];
    for (let parent = span.parentSpanId && byId.get(span.parentSpanId); parent; parent = parent.parentSpanId && byId.get(parent.parentSpanId)) chain.push(parent);
    return chain;
  }

  function personDecision() {
    return [...system.world.decisions()].find((d) => {
      const r = system.world.referralFor(d);
      return r?.housingCompany === 'fob' && r.purpose === 'CRIME_PREVENTION_63D';
    })!;
  }

  it('one request through the gateway is one connected trace down to each SQL statement and the disclosure-log write', async () => {
    const decision = personDecision();
    const { status, body, traceId, callerTraceId, callerSpan, callerRequestId, requestId, spans } = await traced(system.gatewayUrl, 'housing-fob-caseworker', 'CRIME_PREVENTION_63D', print(PersonOverviewDocument), { id: decision.personId });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();

    // One root: the gateway's request span, in a trace of the gateway's own (the public edge), linked to the caller's span.
    expect(traceId).not.toBe(callerTraceId);
    const roots = spans.filter((s) => !spans.some((p) => p.spanId === s.parentSpanId));
    expect(roots.map((s) => [s.name, s.parentSpanId, s.kind])).toEqual([['POST /graphql', undefined, SERVER]]);
    const root = roots[0]!;
    expect(root.links).toEqual([{ traceId: callerTraceId, spanId: callerSpan }]);
    expect(receiver.spans.filter((s) => s.traceId === callerTraceId)).toEqual([]);
    expect(root.attributes).toMatchObject({ 'graphql.operation.type': 'query', 'graphql.operation.name': 'PersonOverview', 'http.response.status_code': 200 });
    // Apollo Gateway's own spans are real now, under ours.
    for (const name of ['gateway.request', 'gateway.plan', 'gateway.execute', 'gateway.fetch']) {
      const span = spans.find((s) => s.name === name);
      expect(span, name).toBeDefined();
      expect(ancestors(span!, spans)).toContain(root);
    }
    // Each owner the plan fetched from continues the trace under the gateway's fetch span.
    const owners = spans.filter((s) => s.kind === SERVER && s.attributes['partnergraph.owner']);
    expect(new Set(owners.map((s) => s.attributes['partnergraph.owner']))).toEqual(new Set(['housing', 'police']));
    for (const owner of owners) {
      const chain = ancestors(owner, spans);
      expect(chain.map((s) => s.name)).toContain('gateway.fetch');
      expect(chain).toContain(root);
      expect(owner.attributes['partnergraph.policy.decisions']).toBeGreaterThan(0);
      expect(typeof owner.attributes['partnergraph.policy.denied_actions']).toBe('string');
    }
    // SQL statements and the disclosure-log write, each under its owner's request span.
    const statements = spans.filter((s) => s.kind === CLIENT && s.attributes['db.system.name'] === 'postgresql');
    expect(statements.length).toBeGreaterThan(0);
    if (embedded) expect(new Set(statements.map((s) => s.attributes['partnergraph.db.driver']))).toEqual(new Set(['pglite']));
    for (const statement of statements) {
      expect(ancestors(statement, spans).some((s) => owners.includes(s))).toBe(true);
      expect(String(statement.attributes['db.query.text'])).toMatch(/^\s*(SELECT|WITH|INSERT|UPDATE)/i);
    }
    const writes = spans.filter((s) => s.name === 'disclosure_log.append');
    expect(writes.length).toBeGreaterThan(0);
    for (const write of writes) expect(ancestors(write, spans).some((s) => owners.includes(s))).toBe(true);
    expect(statements.some((s) => ancestors(s, spans).some((a) => a.name === 'disclosure_log.append'))).toBe(true);

    // The disclosure-log rows of this request carry its trace id.
    let rows = 0;
    for (const owner of Object.values(system.owners)) {
      rows += (await owner.db.query<{ n: number }>('SELECT count(*) AS n FROM disclosure_log WHERE trace_id = $1', [traceId]))[0]!.n;
    }
    expect(rows).toBeGreaterThan(0);
    // The caller's own trace and request ids are in no owner's log (a caller cannot choose what an auditor follows); the gateway's are.
    const logged = (column: 'trace_id' | 'request_id', value: string | null) =>
      Promise.all(Object.values(system.owners).map(async (o) => (await o.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM disclosure_log WHERE ${column} = $1`, [value]))[0]!.n));
    expect(await logged('trace_id', callerTraceId)).toEqual([0, 0, 0]);
    expect(await logged('request_id', callerRequestId)).toEqual([0, 0, 0]);
    expect((await logged('request_id', requestId)).reduce((a, b) => a + b, 0)).toBe(rows);

    // Each owner's auditor reads those rows' trace id back through the gateway: exactly the rows the column holds it for.
    for (const [owner, auditor] of [['police', 'police-auditor'], ['housing', 'housing-fob-auditor']] as const) {
      const stored = await system.owners[owner]!.db.query<{ seq: string | number }>('SELECT seq FROM disclosure_log WHERE trace_id = $1', [traceId]);
      expect(stored.length, owner).toBeGreaterThan(0);
      const log = await system.gql(auditor, 'COORDINATION', `{ ${owner}DisclosureLog(first: 1000) { nodes { seq traceId } } }`);
      expect(log.body.errors, owner).toBeUndefined();
      const nodes = (log.body.data as Record<string, { nodes: Array<{ seq: number; traceId: string | null }> }>)[`${owner}DisclosureLog`]!.nodes;
      expect(nodes.filter((n) => n.traceId === traceId).map((n) => n.seq).sort((a, b) => a - b), owner).toEqual(stored.map((r) => Number(r.seq)).sort((a, b) => a - b));
      // Rows with a trace id hash it: the chain still verifies.
      const verification = await system.gql(auditor, 'COORDINATION', `{ ${owner}DisclosureLogVerification { ok checkedRows } }`);
      expect((verification.body.data as Record<string, { ok: boolean; checkedRows: number }>)[`${owner}DisclosureLogVerification`], owner).toMatchObject({ ok: true });
    }
  });

  it("a persona who may not read an owner's log gets no trace id from it, through the gateway or at the owner: the answer any other audit field gets", async () => {
    const { traceId } = await traced(system.gatewayUrl, 'housing-fob-caseworker', 'CRIME_PREVENTION_63D', print(PersonOverviewDocument), { id: personDecision().personId });
    const personas = ['police-investigator', 'municipality-auditor', 'housing-fob-caseworker', 'analyst', 'secretariat-coordinator', 'board-member'];
    for (const owner of ['police', 'housing']) {
      expect((await system.owners[owner]!.db.query<{ n: number }>('SELECT count(*) AS n FROM disclosure_log WHERE trace_id = $1', [traceId]))[0]!.n, owner).toBeGreaterThan(0);
      const field = (name: string) => `{ ${owner}DisclosureLog(first: 1000) { nodes { seq ${name} } } }`;
      for (const [where, gql] of [['gateway', system.gql], ['subgraph', system.direct(owner)]] as const) {
        for (const persona of owner === 'police' ? [...personas, 'housing-fob-auditor'] : [...personas, 'police-auditor']) {
          for (const purpose of ['COORDINATION', 'CRIME_PREVENTION_63D', 'STATISTICS']) {
            const label = `${owner} log via ${where}, ${persona} under ${purpose}`;
            const trace = await gql(persona, purpose, field('traceId'));
            const hash = await gql(persona, purpose, field('hash'));
            expect(JSON.stringify(trace.body), label).not.toContain(traceId);
            expect(trace.body.data?.[`${owner}DisclosureLog`] ?? null, label).toBeNull();
            expect({ status: trace.status, body: JSON.stringify(trace.body) }, label).toEqual({ status: hash.status, body: JSON.stringify(hash.body).replaceAll('hash', 'traceId') });
          }
        }
      }
    }
  });

  it('serves a caller that asks an owner directly in a trace of the owner\'s own, linked to the caller\'s; its log rows carry that one', async () => {
    const decision = personDecision();
    const { status, spans, traceId, callerTraceId, callerSpan, callerRequestId, requestId } = await traced(system.owners['police']!.url, 'housing-fob-caseworker', 'CRIME_PREVENTION_63D', '{ criminalDecisions(first: 5) { nodes { id } } }', {});
    expect(status).toBe(200);
    expect(traceId).not.toBe(callerTraceId);
    const root = spans.find((s) => s.parentSpanId === undefined);
    expect(root).toMatchObject({ name: 'POST /graphql', kind: SERVER, attributes: { 'partnergraph.owner': 'police' }, links: [{ traceId: callerTraceId, spanId: callerSpan }] });
    const police = system.owners['police']!.db;
    expect((await police.query<{ n: number }>('SELECT count(*) AS n FROM disclosure_log WHERE trace_id = $1', [traceId]))[0]!.n).toBeGreaterThan(0);
    expect((await police.query<{ n: number }>('SELECT count(*) AS n FROM disclosure_log WHERE trace_id = $1', [callerTraceId]))[0]!.n).toBe(0);
    expect((await police.query<{ n: number }>('SELECT count(*) AS n FROM disclosure_log WHERE request_id = $1', [callerRequestId]))[0]!.n).toBe(0);
    expect((await police.query<{ n: number }>('SELECT count(*) AS n FROM disclosure_log WHERE request_id = $1', [requestId]))[0]!.n).toBeGreaterThan(0);
    expect(spans.filter((s) => s.attributes['db.system.name'] === 'postgresql').length).toBeGreaterThan(0);
    expect(decision).toBeDefined();
  });

  it('no span attribute holds an id of a person, a variable or a token', async () => {
    const persons = new Set<string>();
    for (const t of system.world.tenancies()) persons.add(t.tenantPersonId);
    for (const d of system.world.decisions()) persons.add(d.personId);
    expect(persons.size).toBeGreaterThan(100);
    expect(receiver.spans.length).toBeGreaterThan(20);
    const leaks: string[] = [];
    for (const span of receiver.spans) {
      for (const [key, value] of Object.entries(span.attributes)) {
        const text = JSON.stringify(value);
        for (const token of text.match(/[A-Z0-9]{6,}/g) ?? []) if (persons.has(token)) leaks.push(`${span.name} ${key}`);
        for (const person of persons) if (text.includes(person)) leaks.push(`${span.name} ${key}`);
        if (/Bearer|eyJ[A-Za-z0-9_-]{10,}/.test(text)) leaks.push(`${span.name} ${key}: token`);
      }
    }
    expect(leaks).toEqual([]);
  });

  async function metricsOf(fetchMetrics: (request: Request) => Promise<Response>): Promise<string> {
    // Not for the world: without the scraper's token, nothing.
    expect((await fetchMetrics(new Request('http://in-process/metrics'))).status).toBe(401);
    const res = await fetchMetrics(new Request('http://in-process/metrics', { headers: { authorization: `Bearer ${system.metricsToken}` } }));
    expect(res.status).toBe(200);
    return res.text();
  }

  it('every owner serves /metrics: requests and errors by operation, policy denials by action, disclosure-log writes, database time', async () => {
    // An analyst asking for decisions is refused by the police's rules; a bad token is refused before execution.
    await system.direct('police')('analyst', 'STATISTICS', '{ criminalDecisions(first: 1) { nodes { id decidedOn } } }');
    await fetch(system.owners['police']!.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer nonsense', 'x-purpose': 'STATISTICS' }, body: '{"query":"{ __typename }"}' });
    const text = await metricsOf((r) => system.owners['police']!.server.fetch(r));
    const sample = (name: string, labels: Record<string, string>) =>
      text.split('\n').find((line) => line.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)));
    expect(sample('subgraph_requests_total', { subgraph: 'police', type: 'query', operation: 'PersonOverview__police__1' }) ?? sample('subgraph_requests_total', { subgraph: 'police', type: 'query' })).toBeDefined();
    expect(sample('subgraph_requests_total', { type: 'unresolved' })).toBeDefined();
    expect(sample('subgraph_request_errors_total', { code: 'UNAUTHENTICATED' })).toBeDefined();
    expect(text).toMatch(/^subgraph_policy_denials_total\{action="[A-Za-z.]+",subgraph="police"\} [1-9]/m);
    expect(sample('subgraph_disclosure_log_writes_total', { outcome: 'written' })).toMatch(/ [1-9]\d*$/);
    expect(sample('subgraph_db_statement_duration_seconds_count', { outcome: 'ok' })).toMatch(/ [1-9]\d*$/);
    // Waits for a pooled connection: PostgreSQL only (PGlite has one connection and no pool).
    if (system.owners['police']!.db.kind === 'postgres') expect(text).toMatch(/^subgraph_db_wait_seconds_count\{subgraph="police"\} [1-9]/m);
    // Names of actions and operations only: no ids of persons in labels.
    for (const t of system.world.tenancies()) expect(text.includes(t.tenantPersonId)).toBe(false);
  });

  it("every query of the Grafana dashboard names metrics the gateway or the subgraphs export", async () => {
    const exported = new Set<string>();
    const texts = [await metricsOf((r) => system.gateway.fetch(r)), ...(await Promise.all(Object.values(system.owners).map((o) => metricsOf((r) => o.server.fetch(r)))))];
    for (const text of texts) {
      for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
        exported.add(name!);
        if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) exported.add(`${name}${suffix}`);
        if (type === 'summary') for (const suffix of ['_sum', '_count']) exported.add(`${name}${suffix}`);
      }
    }
    const dashboard = JSON.parse(readFileSync(new URL('../deploy/grafana/dashboards/partnergraph.json', import.meta.url), 'utf8')) as {
      panels: Array<{ title: string; type: string; targets?: Array<{ expr: string }> }>;
    };
    const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
    expect(queries.length).toBeGreaterThan(15);
    const unknown: string[] = [];
    for (const { panel, expr } of queries) {
      const names = metricNames(expr);
      expect(names.length, `${panel}: ${expr}`).toBeGreaterThan(0);
      for (const name of names) if (!exported.has(name)) unknown.push(`${panel}: ${name}`);
    }
    expect(unknown).toEqual([]);
    // The check can fail: a misspelt name is caught.
    expect(metricNames('sum(rate(gateway_requests_totl[5m]))').filter((n) => !exported.has(n))).toEqual(['gateway_requests_totl']);
  });
});

const PROMQL_WORDS = new Set(['sum', 'min', 'max', 'avg', 'count', 'by', 'without', 'rate', 'irate', 'increase', 'histogram_quantile', 'topk', 'bottomk', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'offset', 'bool', 'le']);

/** The metric names a PromQL expression reads: identifiers that are not functions, keywords, label names or durations. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // label values
    .replace(/\{[^}]*\}/g, '') // label matchers
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '') // grouping labels
    .replace(/\[[^\]]*\]/g, ''); // ranges
  const names = [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    .filter((m) => !/^\s*\(/.test(bare.slice(m.index + m[0].length)))
    .map((m) => m[0])
    .filter((w) => !PROMQL_WORDS.has(w));
  return [...new Set(names)];
}
