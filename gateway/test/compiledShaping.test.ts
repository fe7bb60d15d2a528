import { createRequire } from 'node:module';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { CompiledShaping, reusingOperations } from '../src/compiledShaping.js';

/**
 * The compiled result shaping answers exactly as Apollo Gateway's own
 * `computeResponse` (the same data, key order, errors and paths), on answers
 * that shape cleanly and on answers that do not, where it must hand over to
 * Apollo's code.
 */
const gatewayRequire = createRequire(createRequire(import.meta.url).resolve('@apollo/gateway'));
const fi = gatewayRequire('@apollo/federation-internals');
const { computeResponse } = gatewayRequire('./resultShaping.js');
const { operationFromDocument } = gatewayRequire('@apollo/federation-internals/dist/operations.js');

const schema = fi.buildSchema(`
  scalar JSON
  enum Color { RED GREEN }
  interface Node { id: ID! }
  type User implements Node { id: ID! name: String age: Int friends: [User] color: Color tags: [String!] }
  type Product implements Node { id: ID! upc: String! price: Float inStock: Boolean }
  union SearchResult = User | Product
  type Query { me: User users: [User!]! node(id: ID!): Node search: [SearchResult] count: Int! extra: JSON }
`);

const QUERY = `query Q($withAge: Boolean!, $skipColor: Boolean = false) {
  count
  me { __typename id name age @include(if: $withAge) color @skip(if: $skipColor) friends { id name } ...UserBits }
  people: users { id kind: __typename n: name name tags }
  node(id: "1") { id ... on User { name } ... on Product { upc price } }
  search { __typename ... on Node { id } ... on Product { inStock } ... on User { friends { name } } }
  extra
  me2: me @skip(if: true) { id }
  me3: me @include(if: true) { id t: __typename }
}
fragment UserBits on User { name friends { age } }`;

const operation = operationFromDocument(schema, parse(QUERY), { validate: false });

const good = () => ({
  count: 3,
  me: { __typename: 'User', id: 'u1', name: 'Ada', age: 36, color: 'RED', friends: [{ id: 'u2', name: 'Bo', age: 5 }, null] },
  people: [{ id: 'u1', kind: 'User', n: 'Ada', name: 'Ada', tags: ['a', 'b'] }],
  users: [{ id: 'u1', kind: 'User', n: 'Ada', name: 'Ada', tags: ['a', 'b'] }],
  node: { __typename: 'Product', id: 'p1', upc: 'x', price: 9.5 },
  search: [
    { __typename: 'Product', id: 'p1', inStock: true },
    { __typename: 'User', id: 'u1', friends: [{ name: 'Bo' }] },
    null,
  ],
  extra: { any: ['thing', 1] },
  me3: { id: 'u1', t: 'User' },
});

function both(input: unknown, variables: Record<string, unknown> = { withAge: true }) {
  const shaping = new CompiledShaping(fi, computeResponse);
  const args = () => ({ operation, variables, input: structuredClone(input), introspectionHandling: () => null });
  const compiled = shaping.shape(args());
  const apollo = computeResponse(args());
  // JSON: what a client sees (key order included); errors by message and path.
  const seen = (r: { data: unknown; errors: Array<{ message: string; path?: unknown }> }) => ({
    data: JSON.stringify(r.data),
    errors: r.errors.map((e) => ({ message: e.message, path: e.path })),
  });
  return { compiled: seen(compiled), apollo: seen(apollo), fallbacks: shaping.fallbacks };
}

describe('compiled result shaping', () => {
  it('shapes a clean answer as Apollo does, without handing over', () => {
    for (const variables of [{ withAge: true }, { withAge: false }, { withAge: true, skipColor: true }]) {
      const r = both(good(), variables);
      expect(r.compiled).toEqual(r.apollo);
      expect(r.apollo.errors).toEqual([]);
      expect(r.fallbacks).toBe(0);
    }
    // The test has teeth: the answer drops what was not asked for and follows the variables.
    const shaped = JSON.parse(both(good(), { withAge: false }).compiled.data);
    expect(shaped.me.age).toBeUndefined();
    expect(shaped.me2).toBeUndefined();
    expect(shaped.node).toEqual({ id: 'p1', upc: 'x', price: 9.5 });
  });

  const broken: Array<[string, (d: ReturnType<typeof good>) => unknown]> = [
    ['null for a non-null root field', (d) => ({ ...d, count: null })],
    ['null in a list of non-null', (d) => ({ ...d, people: [null], users: [null] })],
    ['an Int that is not an integer', (d) => ({ ...d, me: { ...d.me, age: 1.5 } })],
    ['an Int too large to print as an integer', (d) => ({ ...d, me: { ...d.me, age: 1e21 } })],
    ['an unknown enum value', (d) => ({ ...d, me: { ...d.me, color: 'BLUE' } })],
    ['a string for a Boolean', (d) => ({ ...d, node: null, search: [{ __typename: 'Product', id: 'p', inStock: 'yes' }] })],
    ['an unknown __typename', (d) => ({ ...d, node: { __typename: 'Nope', id: 'x' } })],
    ['a missing non-null field', (d) => ({ ...d, node: { __typename: 'Product' } })],
    ['a null for a non-null item of a nullable list', (d) => ({ ...d, people: [{ ...d.people[0]!, tags: ['a', null] }] })],
  ];
  for (const [what, breakIt] of broken) {
    it(`hands over to Apollo, with Apollo's errors and nulls, for ${what}`, () => {
      const r = both(breakIt(good()));
      expect(r.compiled).toEqual(r.apollo);
      expect(r.apollo.errors.length).toBeGreaterThan(0);
      expect(r.fallbacks).toBe(1);
    });
  }

  it('a missing non-boolean @include variable fails as in Apollo', () => {
    const shaping = new CompiledShaping(fi, computeResponse);
    const args = { operation, variables: {}, input: good(), introspectionHandling: () => null };
    expect(() => computeResponse(args)).toThrow();
    expect(() => shaping.shape({ ...args, input: good() })).toThrow();
  });

  it('compiles an operation once, however many answers it shapes', () => {
    const shaping = new CompiledShaping(fi, computeResponse);
    for (let i = 0; i < 5; i++) shaping.shape({ operation, variables: { withAge: true }, input: good(), introspectionHandling: () => null });
    expect(shaping.compilations).toBe(1);
  });
});

describe('operations reused while the document is the same', () => {
  it('returns the same operation for the same definitions, a new one otherwise', () => {
    const build = reusingOperations(operationFromDocument);
    const document = parse(QUERY);
    const asExecutor = () => ({ kind: 'Document', definitions: [...document.definitions] });
    const first = build(schema, asExecutor(), { validate: false });
    expect(build(schema, asExecutor(), { validate: false })).toBe(first);
    expect(build(schema, parse(QUERY), { validate: false })).not.toBe(first);
    // Any other call (the planner's, with an operation name) is passed through.
    expect(build(schema, asExecutor(), { operationName: 'Q' })).not.toBe(first);
  });
});
