import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { DEFAULT_LIMITS, DevIssuer, RateLimiter } from '@partnergraph/common';
import {
  analystBudget,
  answerCache,
  GatewayMetrics,
  identify,
  identityResolver,
  inflightSharing,
  MemoryStore,
  Owners,
  parseAndValidate,
  persistedOperation,
  PersistedOperations,
  rateLimit,
  readRequest,
  sha256,
  type GatewayAnswer,
} from '@partnergraph/gateway';
import { describe, expect, it } from 'vitest';
import { documentsFor, exchange, identityOf, jsonOf, preparedExchange, recordingNext, SCHEMA } from './support/harness.js';

/**
 * Each step of the gateway's request path on its own, in-process, without a
 * socket: an exchange goes in, the step answers or hands it on to `next`.
 */
const OK: GatewayAnswer = { status: 200, headers: {}, body: '{"data":{}}' };
const passes = () => recordingNext(() => OK);

describe('readRequest', () => {
  const step = readRequest({ maxBodyBytes: 1024, maxVariableDepth: 8 });

  it('answers 405 to anything but POST, 415 to anything but JSON, 413 above the body limit', async () => {
    const { next } = passes();
    const get = await step.run(exchange({ method: 'GET' }), next);
    expect(get.status).toBe(405);
    expect(get.headers['allow']).toBe('POST');
    expect((await step.run(exchange({ headers: { 'content-type': 'text/plain' }, body: '{}' }), next)).status).toBe(415);
    const large = await step.run(exchange({ body: { query: `{ areas { id } } #${'x'.repeat(2000)}` } }), next);
    expect(large.status).toBe(413);
    expect(jsonOf(large).errors?.[0]?.extensions?.['code']).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 400 to bodies that are not one GraphQL request', async () => {
    const { next, calls } = passes();
    const cases: Array<[unknown, string]> = [
      ['{"query": ', 'BAD_REQUEST'],
      [[{ query: '{ areas { id } }' }], 'BATCHING_NOT_SUPPORTED'],
      [{ query: 42 }, 'BAD_REQUEST'],
      [{ query: '{ a }', variables: [1] }, 'BAD_REQUEST'],
      [{ query: '{ a }', operationName: {} }, 'BAD_REQUEST'],
    ];
    for (const [body, code] of cases) {
      const answer = await step.run(exchange({ body }), next);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(jsonOf(answer).errors?.[0]?.extensions?.['code']).toBe(code);
    }
    expect(calls).toHaveLength(0);
  });

  it('refuses variables nested deeper than the limit without recursing into them', async () => {
    const { next, calls } = passes();
    // Thousands of levels: serialising or coercing this recursively would overflow the stack.
    const deep = `{"query":"query ($v: String) { areas { id } }","variables":{"v":${'['.repeat(5000)}${']'.repeat(5000)}}}`;
    const answer = await readRequest({ maxBodyBytes: 65536, maxVariableDepth: 8 }).run(exchange({ body: deep }), next);
    expect(answer.status).toBe(400);
    expect(jsonOf(answer).errors?.[0]?.message).toMatch(/deeper than 8/);
    const shallow = await step.run(exchange({ body: { query: '{ areas { id } }', variables: { a: { b: [1, 2, { c: 3 }] } } } }), next);
    expect(shallow).toBe(OK);
    expect(calls[0]!.request.variables).toEqual({ a: { b: [1, 2, { c: 3 }] } });
  });
});

describe('identify', async () => {
  const issuer = await DevIssuer.create();
  const step = identify(identityResolver('jwt', issuer.trustConfig(), () => undefined));

  it('answers 401 without a valid token and 400 without a purpose', async () => {
    const { next, calls } = passes();
    const none = await step.run(exchange({ body: {} }), next);
    expect(none.status).toBe(401);
    expect(jsonOf(none).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(jsonOf(none).errors?.[0]?.extensions?.['http']).toBeUndefined();
    const token = await issuer.signPersona('analyst');
    const noPurpose = await step.run(exchange({ headers: { authorization: `Bearer ${token}` } }), next);
    expect(noPurpose.status).toBe(400);
    expect(jsonOf(noPurpose).errors?.[0]?.extensions?.['code']).toBe('PURPOSE_REQUIRED');
    expect(calls).toHaveLength(0);
  });

  it('sets the identity, the principal key and a scope key shared by principals with the same access', async () => {
    const { next, calls } = passes();
    const [analyst, coordinator] = await Promise.all([issuer.signPersona('analyst'), issuer.signPersona('secretariat-coordinator')]);
    for (const token of [analyst, analyst, coordinator]) {
      await step.run(exchange({ headers: { authorization: `Bearer ${token}`, 'x-purpose': 'STATISTICS' } }), next);
    }
    expect(calls.map((c) => c.identity.principal.roles)).toEqual([['analyst'], ['analyst'], ['coordinator']]);
    expect(calls[0]!.principalKey).toMatch(/#/);
    expect(calls[1]!.scope).toBe(calls[0]!.scope);
    expect(calls[2]!.scope).not.toBe(calls[0]!.scope);
    expect(calls[2]!.principalKey).not.toBe(calls[0]!.principalKey);
  });
});

describe('rateLimit', () => {
  it('answers 429 with Retry-After once the principal has used its window', async () => {
    const step = rateLimit(new RateLimiter({ perPrincipal: 2, perOrganisation: 100, windowSeconds: 60 }), new GatewayMetrics(false));
    const { next, calls } = passes();
    const ex = () => Object.assign(exchange(), { principalKey: 'issuer#a', identity: identityOf('analyst') });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await step.run(ex(), next)).status);
    expect(statuses).toEqual([200, 200, 429]);
    const refused = await step.run(ex(), next);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(calls).toHaveLength(2);
  });
});

describe('persistedOperation', () => {
  it('finds a registered text by its hash, refuses unknown and mismatched hashes, and keeps other extensions', async () => {
    const step = persistedOperation(new PersistedOperations({}, new MemoryStore(), false));
    const { next, calls } = passes();
    const query = '{ areas { id } }';
    const persistedQuery = { version: 1, sha256Hash: sha256(query) };
    const withHash = (body: Record<string, unknown>) => Object.assign(exchange(), { request: body, identity: identityOf('analyst') });
    const unknown = await step.run(withHash({ extensions: { persistedQuery } }), next);
    expect(jsonOf(unknown).errors?.[0]?.extensions?.['code']).toBe('PERSISTED_QUERY_NOT_FOUND');
    const mismatch = await step.run(withHash({ query: '{ areas { name } }', extensions: { persistedQuery } }), next);
    expect(mismatch.status).toBe(400);
    expect(jsonOf(mismatch).errors?.[0]?.extensions?.['code']).toBe('PERSISTED_QUERY_HASH_MISMATCH');
    await step.run(withHash({ query, extensions: { persistedQuery, trace: 'on' } }), next);
    await step.run(withHash({ extensions: { persistedQuery } }), next);
    expect(calls.map((c) => c.query)).toEqual([query, query]);
    expect(calls[0]!.extensions).toEqual({ trace: 'on' });
  });
});

describe('parseAndValidate', () => {
  it('parses and validates each distinct text once, for every request and for Apollo', async () => {
    const documents = documentsFor();
    const step = parseAndValidate(documents);
    const { next, calls } = passes();
    const query = '{ areas { id name } }';
    for (let i = 0; i < 3; i++) await step.run(Object.assign(exchange(), { request: { query }, query }), next);
    expect(calls).toHaveLength(3);
    expect(calls[1]!.operation).toBe(calls[0]!.operation);
    expect(calls[0]!.kind).toBe('query');
    expect(documents.size.entries).toBe(1);

    // Apollo Server reads the same document from the store: it neither parses nor validates it again.
    const seen: string[] = [];
    const spy: ApolloServerPlugin = {
      async requestDidStart() {
        return {
          async parsingDidStart() {
            seen.push('parse');
          },
          async validationDidStart() {
            seen.push('validate');
          },
        };
      },
    };
    const apollo = new ApolloServer({ schema: SCHEMA, documentStore: documents.documentStore(), plugins: [spy] });
    await apollo.start();
    try {
      const result = await apollo.executeOperation({ query });
      expect(result.body.kind === 'single' && result.body.singleResult.errors).toBeUndefined();
      expect(seen).toEqual([]);
      await apollo.executeOperation({ query: '{ areas { id } }' });
      expect(seen).toEqual(['parse', 'validate']);
    } finally {
      await apollo.stop();
    }
  });

  it('answers 400 to syntax errors, texts over the token limit and invalid documents, without suggestions', async () => {
    const step = parseAndValidate(documentsFor({ ...DEFAULT_LIMITS, maxTokens: 50 }));
    const { next, calls } = passes();
    const run = (query: string, operationName?: string) =>
      step.run(Object.assign(exchange(), { request: operationName ? { query, operationName } : { query }, query }), next);
    const syntax = await run('{ areas { name ');
    expect(syntax.status).toBe(400);
    expect(jsonOf(syntax).errors?.[0]).toMatchObject({ message: expect.stringMatching(/^Syntax Error/), extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    const tokens = await run(`{ ${Array.from({ length: 30 }, (_, i) => `a${i}: areas { id }`).join(' ')} }`);
    expect(tokens.status).toBe(400);
    expect(jsonOf(tokens).errors?.[0]?.message).toMatch(/tokens/);
    const typo = await run('{ areaz { id } }');
    expect(typo.status).toBe(400);
    expect(jsonOf(typo).errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(typo.body).not.toMatch(/Did you mean/);
    expect((await run('query A { areas { id } } query B { areas { name } }')).status).toBe(400);
    expect((await run('query A { areas { id } }', 'C')).status).toBe(400);
    expect((await run('subscription { areaChanged { id } }')).status).toBe(400);
    expect(calls).toHaveLength(0);
    const named = await run('query A { areas { id } } mutation B { renameArea(id: "x", name: "y") { id } }', 'B');
    expect(named).toBe(OK);
    expect(calls[0]!.kind).toBe('mutation');
  });

  it('refuses texts over the character limit before hashing or parsing them', async () => {
    const documents = documentsFor({ ...DEFAULT_LIMITS, maxQueryCharacters: 100 });
    const answer = await parseAndValidate(documents).run(
      Object.assign(exchange(), { request: {}, query: `{ areas { id } } #${'x'.repeat(200)}` }),
      passes().next,
    );
    expect(jsonOf(answer).errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_LARGE');
    expect(documents.size.entries).toBe(0);
  });

  it('keeps the documents within their byte budget, however many distinct texts arrive', () => {
    const documents = documentsFor(DEFAULT_LIMITS, 256 * 1024);
    for (let i = 0; i < 2000; i++) documents.get(`{ areas { id name } } # ${i} ${'x'.repeat(500)}`);
    expect(documents.size.bytes).toBeLessThanOrEqual(256 * 1024);
    expect(documents.size.entries).toBeGreaterThan(0);
  });
});

describe('analystBudget', () => {
  const documents = documentsFor({ ...DEFAULT_LIMITS, analystMaxCost: 50 });
  const step = analystBudget(documents);
  const costly = '{ areas { initiatives(first: 500) { id title areas { id name } } } }';

  it("holds analysts' ad-hoc queries to their budget; registered operations and other roles to the general limits", async () => {
    const { next, calls } = passes();
    const analyst = preparedExchange(documents, costly, { identity: identityOf('analyst') });
    const refused = await step.run(analyst, next);
    expect(refused.status).toBe(400);
    // Decided on the counted cost, and the refusal says where it is: the areas of 500 initiatives of each area.
    // areas 2 + 1.5 × 500 × (2 + 1.5 × (id + title + areas (2 + 1.5 × 2))) = 9377, of which 500 × 1.5 × 1.5 × 5 in the inner areas.
    expect(jsonOf(refused).errors?.[0]).toMatchObject({
      extensions: { code: 'COST_LIMIT', cost: { total: 9377, budget: 50, costliest: { path: 'areas.initiatives(first: 500).areas', cost: 5625 } } },
      message: expect.stringMatching(/limited to a cost of 50; this one costs 9377\. Most of it is areas\.initiatives\(first: 500\)\.areas \(5625\)/),
    });
    expect(analyst.cost).toMatchObject({ total: 9377, budget: 50 });
    const registered = Object.assign(preparedExchange(documents, costly, { identity: identityOf('analyst') }), { registered: true });
    expect(await step.run(registered, next)).toBe(OK);
    expect(await step.run(preparedExchange(documents, costly, { identity: identityOf('caseworker') }), next)).toBe(OK);
    expect(await step.run(preparedExchange(documents, '{ areas { id } }', { identity: identityOf('analyst') }), next)).toBe(OK);
    expect(calls).toHaveLength(3);
    // Every admitted request carries its cost and the budget it was held to (the general one for other roles).
    expect(calls[1]!.cost).toMatchObject({ total: 9377, budget: DEFAULT_LIMITS.maxCost });
    expect(calls[2]!.cost).toEqual({ total: 3.5, budget: 50, costliest: { path: 'areas', cost: 3.5 } });
  });
});

describe('cost', () => {
  const documents = documentsFor({ ...DEFAULT_LIMITS, maxCost: 1000 });
  const costOf = (query: string, name?: string) => documents.get(query).costOf(name);

  it('counts objects, scalars, levels and list sizes as the limits were sized, fragments flattened', () => {
    // areas: 2 + 1.5 × (id 1 + name 1) = 5
    expect(costOf('{ areas { id name } }').total).toBe(5);
    // × 10 for the initiatives, 1.5 per level: 2 + 1.5 × (1 + 10 × (2 + 1.5 × 1)) = 56
    expect(costOf('{ areas { id initiatives(first: 10) { id } } }').total).toBe(56);
    expect(costOf('{ areas { ...A } } fragment A on Area { id name }').total).toBe(costOf('{ areas { id name } }').total + 1 + 2);
    expect(costOf('query A { areas { id } } query B { areas { id name } }', 'B').total).toBe(5);
  });

  it('names the part that holds most of the cost, down the path while one child holds half of it', () => {
    const cost = documentsFor({ ...DEFAULT_LIMITS, maxCost: 100_000 }).get('{ a: areas { id } areas { name initiatives(first: 100) { title areas { id name } } } }').costOf(undefined);
    // areas.initiatives: 1.5 × 100 × (2 + 1.5 × (1 + 5)) = 1650; its areas 100 × 1.5 × 1.5 × 5 = 1125, over half of it.
    expect(cost.costliest).toEqual({ path: 'areas.initiatives(first: 100).areas', cost: 1125 });
  });

  it('refuses an operation over the limit as COST_LIMIT with its cost, and names the costliest part', async () => {
    const refused = await parseAndValidate(documents).run(
      Object.assign(exchange(), { request: {}, query: '{ areas { initiatives(first: 500) { id } } }' }),
      passes().next,
    );
    expect(refused.status).toBe(400);
    expect(jsonOf(refused).errors?.[0]).toMatchObject({
      message: expect.stringMatching(/limited to a cost of 1000; this one costs \d+\. Most of it is areas/),
      extensions: { code: 'COST_LIMIT', cost: { budget: 1000, costliest: { path: 'areas.initiatives(first: 500)' } } },
    });
  });
});

describe('answerCache', () => {
  const documents = documentsFor();
  const owners = new Owners();
  const [police, municipality] = [owners.add('police'), owners.add('municipality')];
  const cacheable = (ownerBits: number, body = '{"data":{"areas":[]}}'): GatewayAnswer => ({
    status: 200,
    headers: {},
    body,
    cacheability: { maxAge: 60, personal: false },
    owners: ownerBits,
    changed: 0,
  });
  const setup = () => {
    const step = answerCache(new MemoryStore(), owners, new GatewayMetrics(false));
    const query = (q: string, scope = 'scope-a') => preparedExchange(documents, q, { scope });
    return { step, query };
  };

  it('serves what the owners marked cacheable, per scope, and never personal or unmarked answers', async () => {
    const { step, query } = setup();
    const { next, calls } = recordingNext(() => cacheable(police));
    const first = await step.run(query('{ areas { id } }'), next);
    expect(first.headers['x-cache']).toBeUndefined();
    const second = await step.run(query('{ areas { id } }'), next);
    expect(second.headers['x-cache']).toBe('hit');
    expect(second.body).toBe(first.body);
    await step.run(query('{ areas { id } }', 'scope-b'), next);
    expect(calls).toHaveLength(2);

    for (const answer of [
      { ...cacheable(police), cacheability: { maxAge: 0, personal: true } },
      { ...cacheable(police), cacheability: { maxAge: 60, personal: true } },
      { ...cacheable(police), cacheability: { maxAge: 0, personal: false } },
      { ...cacheable(police), status: 400 },
      { status: 200, headers: {}, body: '{}' },
    ]) {
      const other = recordingNext(() => answer);
      await step.run(query('{ areas { name } }'), other.next);
      await step.run(query('{ areas { name } }'), other.next);
      expect(other.calls).toHaveLength(2);
    }
  });

  it('retires only the answers holding data of an owner where a mutation executed', async () => {
    const { step, query } = setup();
    const policeOnly = recordingNext(() => cacheable(police));
    const both = recordingNext(() => cacheable(police | municipality));
    const mutate = (changed: number) => step.run(query('mutation { renameArea(id: "a", name: "b") { id } }'), async () => ({ ...OK, changed }));
    await step.run(query('{ areas { id } }'), policeOnly.next);
    await step.run(query('{ areas { name } }'), both.next);
    // A mutation that changed nothing (refused, or no data) retires nothing.
    await mutate(0);
    expect((await step.run(query('{ areas { id } }'), policeOnly.next)).headers['x-cache']).toBe('hit');
    expect((await step.run(query('{ areas { name } }'), both.next)).headers['x-cache']).toBe('hit');
    // A change at the municipality: only answers with the municipality's data go.
    await mutate(municipality);
    expect((await step.run(query('{ areas { id } }'), policeOnly.next)).headers['x-cache']).toBe('hit');
    expect((await step.run(query('{ areas { name } }'), both.next)).headers['x-cache']).toBeUndefined();
    expect(both.calls).toHaveLength(2);
    // And at the police: both go.
    await mutate(police);
    expect((await step.run(query('{ areas { id } }'), policeOnly.next)).headers['x-cache']).toBeUndefined();
    expect(policeOnly.calls).toHaveLength(2);
  });

  it('never serves an answer made on another supergraph, nor stores one whose supergraph changed while it executed', async () => {
    let supergraph = 'a'.repeat(64);
    const step = answerCache(new MemoryStore(), owners, new GatewayMetrics(false), () => supergraph);
    const { next, calls } = recordingNext(() => cacheable(police));
    await step.run(preparedExchange(documents, '{ areas { id } }'), next);
    expect((await step.run(preparedExchange(documents, '{ areas { id } }'), next)).headers['x-cache']).toBe('hit');
    supergraph = 'b'.repeat(64);
    expect((await step.run(preparedExchange(documents, '{ areas { id } }'), next)).headers['x-cache']).toBeUndefined();
    expect(calls).toHaveLength(2);
    // A reload during execution: the answer is not stored under the supergraph it was looked up on.
    const switching = recordingNext(() => {
      supergraph = 'c'.repeat(64);
      return cacheable(police);
    });
    await step.run(preparedExchange(documents, '{ areas { name } }'), switching.next);
    supergraph = 'b'.repeat(64);
    await step.run(preparedExchange(documents, '{ areas { name } }'), switching.next);
    expect(switching.calls).toHaveLength(2);
  });
});

describe('inflightSharing', () => {
  const documents = documentsFor();
  const step = inflightSharing(new GatewayMetrics(false));
  /** A `next` whose answers wait until `release`, so requests overlap. */
  const gatedNext = (personal: boolean) => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const recorded = recordingNext(async () => {
      await gate;
      return { ...OK, cacheability: { maxAge: 0, personal } };
    });
    return { ...recorded, release };
  };

  it('shares one execution among identical queries of one principal when the owners marked the answer non-personal', async () => {
    const { next, calls, release } = gatedNext(false);
    const answers = Promise.all([0, 1, 2].map(() => step.run(preparedExchange(documents, '{ areas { id } }'), next)));
    release();
    const [a, b, c] = await answers;
    expect(calls).toHaveLength(1);
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('executes (and so logs) each delivery of a personal answer on its own', async () => {
    const { next, calls, release } = gatedNext(true);
    const answers = Promise.all([0, 1, 2].map(() => step.run(preparedExchange(documents, '{ areas { name } }'), next)));
    release();
    await answers;
    expect(calls).toHaveLength(3);
  });

  it('never shares between principals, scopes, variables or mutations', async () => {
    const { next, calls, release } = gatedNext(false);
    const query = 'query ($id: ID!) { area(id: $id) { id } }';
    const mutation = 'mutation { renameArea(id: "a", name: "b") { id } }';
    const exchanges = [
      preparedExchange(documents, query, { variables: { id: 'a' } }),
      preparedExchange(documents, query, { variables: { id: 'b' } }),
      preparedExchange(documents, query, { variables: { id: 'a' }, principalKey: 'issuer#other' }),
      preparedExchange(documents, query, { variables: { id: 'a' }, scope: 'scope-b' }),
      preparedExchange(documents, mutation),
      preparedExchange(documents, mutation),
    ];
    const answers = Promise.all(exchanges.map((ex) => step.run(ex, next)));
    release();
    await answers;
    expect(calls).toHaveLength(6);
  });
});
