import { readFileSync } from 'node:fs';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOwners, startSystem, type System } from './support/system.js';

type Client = System['gql'];
type Res = Awaited<ReturnType<Client>>;

/**
 * What must never reach a caller: database and driver text, JavaScript error
 * names and messages, stacks, file paths. Anything unexpected is one generic
 * message with a correlation id.
 */
const INTERNAL_TEXT =
  /invalid input syntax|syntax error at|violates [a-z -]*constraint|relation "|column "|for type (date|integer|uuid|timestamp)|value out of range|invalid byte sequence|encoding "?UTF8|\bpostgres|\bpglite\b|\bSQL\b|TypeError|RangeError|ReferenceError|SyntaxError|is not a function|Cannot read propert|undefined is not|Invalid time value|Maximum call stack|\bat [\w.<>]+ \([^)]*:\d+:\d+\)|node:internal|\/src\/|\.ts:\d+|\.js:\d+/i;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** No 5xx, no internal text; an unexpected error only as the generic message with its correlation id. */
function expectClean(res: Res, what: string): void {
  const text = JSON.stringify(res.body);
  expect(res.status, `${what}: HTTP ${res.status} ${text.slice(0, 300)}`).toBeLessThan(500);
  const internal = INTERNAL_TEXT.exec(text);
  expect(internal && text.slice(Math.max(0, internal.index - 80), internal.index + 80), `${what}: internal text`).toBeNull();
  for (const error of res.body.errors ?? []) {
    const keys = Object.keys(error.extensions ?? {}).filter((k) => !['code', 'field', 'http', 'serviceName', 'cost'].includes(k));
    if (error.extensions?.['code'] === 'INTERNAL_SERVER_ERROR') {
      expect(error.message, what).toBe('Internal error.');
      expect(error.extensions?.['correlationId'], what).toMatch(UUID);
    } else {
      expect(keys, `${what}: extensions beyond code and field`).toEqual([]);
    }
  }
}

const codes = (res: Res) => (res.body.errors ?? []).map((e) => e.extensions?.['code']);
const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('nothing internal reaches a caller (issue 8 § 4)', () => {
  let system: System;
  let paths: Array<[string, (owner: string) => Client]>;
  beforeAll(async () => {
    // The fuzz sends many requests as few principals: the gateway's rate limit is not what is under test here.
    system = await startSystem({ gateway: { rateLimit: undefined } });
    paths = [
      ['gateway', () => system.gql],
      ['subgraph', (owner) => system.direct(owner)],
    ];
  });
  afterAll(() => system?.stop());

  describe('the confirmed leaks, through the gateway and directly at the owner', () => {
    it('a date cursor carrying SQL is BAD_USER_INPUT, not PostgreSQL\'s message', async () => {
      for (const [path, client] of paths) {
        const res = await client('police')('police-investigator', 'CRIME_PREVENTION_63D', '{ criminalDecisions(first: 3, after: "WyIyMDIwLTAxLTAxJyBPUiAxPTEiLCJ4Il0") { nodes { id } } }');
        expectClean(res, path);
        expect(codes(res), path).toEqual(['BAD_USER_INPUT']);
        expect(res.body.errors![0]!.message, path).toBe('Invalid cursor: pass an endCursor from a previous page of the same list.');
      }
    });

    it('an injunction cursor [1e300, "J1"] and other impossible positions are BAD_USER_INPUT', async () => {
      const bad = [[1e300, 'J1'], ['2020-02-30', 'J0000001'], ['2020-01-01', 'J1'], ['2020-01-01', '__proto__'], ['', 'J0000001'], { 0: '2020-01-01', 1: 'J0000001' }];
      for (const [path, client] of paths) {
        for (const position of bad) {
          const res = await client('municipality')('municipality-caseworker', 'SSP_115', 'query ($after: String) { injunctions(first: 2, after: $after) { nodes { id } } }', { after: cursor(position) });
          expectClean(res, `${path} ${JSON.stringify(position)}`);
          expect(codes(res), `${path} ${JSON.stringify(position)}`).toEqual(['BAD_USER_INPUT']);
        }
      }
    });

    it('NUL bytes in policeDisclosureLog(subject) are BAD_USER_INPUT, in a literal or a variable', async () => {
      for (const [path, client] of paths) {
        const literal = await client('police')('police-auditor', 'COORDINATION', '{ policeDisclosureLog(subject: "x\\u0000y", first: 1) { nodes { id } } }');
        expectClean(literal, `${path} literal`);
        expect(codes(literal), path).toEqual([expect.stringMatching(/^(BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED)$/)]);
        expect(literal.status, path).toBe(400);
        const variable = await client('police')('police-auditor', 'COORDINATION', 'query ($s: ID) { policeDisclosureLog(subject: $s, first: 1) { nodes { id } } }', { s: 'x\u0000y' });
        expectClean(variable, `${path} variable`);
        expect(codes(variable), path).toEqual(['BAD_USER_INPUT']);
        expect(variable.status, path).toBe(400);
      }
    });

    it('an _entities Goal with metric "__proto__" (or other prototype keys) is BAD_USER_INPUT at the police subgraph', async () => {
      const direct = system.direct('police');
      const query = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Goal { id assessment { status } } } }';
      const goal = { __typename: 'Goal', id: 'goal-ringparken-x', areaId: 'ringparken' };
      const representations = [
        { ...goal, metric: '__proto__' },
        { ...goal, metric: 'constructor' },
        { ...goal, metric: 'toString' },
        JSON.parse('{"__typename":"Goal","id":"goal-x","areaId":"ringparken","metric":"SAFETY_SHARE_VS_PREVIOUS_YEAR","__proto__":{"x":1}}'),
        { ...goal, metric: 'SAFETY_SHARE_VS_PREVIOUS_YEAR', constructor: 'x' },
        { __typename: '__proto__', id: 'x' },
        { __typename: 'Goal', id: { $ne: 1 }, areaId: 'ringparken', metric: 'SAFETY_SHARE_VS_PREVIOUS_YEAR' },
      ];
      for (const representation of representations) {
        const res = await direct('secretariat-coordinator', 'COORDINATION', query, { r: [representation] });
        expectClean(res, JSON.stringify(representation));
        expect(codes(res), JSON.stringify(representation)).toEqual(['BAD_USER_INPUT']);
      }
      // A well-formed one still answers.
      const ok = await direct('secretariat-coordinator', 'COORDINATION', query, { r: [{ ...goal, metric: 'SAFETY_SHARE_VS_PREVIOUS_YEAR' }] });
      expect(ok.body.errors).toBeUndefined();
      expect(ok.body.data._entities).toHaveLength(1);
    });

    it('variables nested 5,000 deep are a 400, not a 500', async () => {
      let deep: unknown = 'x';
      for (let i = 0; i < 5000; i++) deep = { a: deep };
      for (const [path, client] of paths) {
        const res = await client('police')('police-investigator', 'CRIME_PREVENTION_63D', 'query ($f: CriminalDecisionFilter) { criminalDecisions(filter: $f, first: 1) { nodes { id } } }', { f: deep });
        expectClean(res, path);
        expect(res.status, path).toBe(400);
        expect(codes(res), path).toEqual(['BAD_USER_INPUT']);
      }
    });

    it('an unexpected failure (a table gone) is only the generic message with a correlation id, through the gateway and at the subgraph', async () => {
      const police = system.owners['police']!.db;
      await police.query('ALTER TABLE criminal_decisions RENAME TO criminal_decisions_away');
      try {
        const ids: string[] = [];
        for (const [path, client] of paths) {
          const res = await client('police')('police-investigator', 'CRIME_PREVENTION_63D', '{ criminalDecisions(first: 1) { nodes { id } } }');
          expectClean(res, path);
          expect(res.body.errors?.map((e) => [e.message, e.extensions?.['code']]), path).toEqual([['Internal error.', 'INTERNAL_SERVER_ERROR']]);
          ids.push(res.body.errors![0]!.extensions!['correlationId']);
        }
        // Each failure has its own id (the log line to look for), never a shared one.
        expect(new Set(ids).size).toBe(2);
      } finally {
        await police.query('ALTER TABLE criminal_decisions_away RENAME TO criminal_decisions');
      }
    });

    it('identity and limit errors at a subgraph are 401, 400 and 413, as at the gateway', async () => {
      for (const [path, client] of paths) {
        const anonymous = await client('police')(null, 'CRIME_PREVENTION_63D', '{ criminalDecisions(first: 1) { nodes { id } } }');
        expectClean(anonymous, path);
        expect(anonymous.status, path).toBe(401);
        expect(codes(anonymous), path).toEqual(['UNAUTHENTICATED']);
        const deep = await client('police')('police-investigator', 'CRIME_PREVENTION_63D', `{ ${'person(id: "P0000000000") { criminalDecisions { person { '.repeat(12)} id ${'} } '.repeat(12)} }`);
        expectClean(deep, path);
        expect(deep.status, path).toBe(400);
        const costly = await client('police')('police-investigator', 'CRIME_PREVENTION_63D', `{ ${Array.from({ length: 50 }, (_, i) => `a${i}: criminalDecisions(first: 1000) { nodes { id decidedOn decisionType offenceCategory person { id } } }`).join(' ')} }`);
        expectClean(costly, path);
        expect(costly.status, path).toBe(400);
        const huge = await client('police')('police-investigator', 'CRIME_PREVENTION_63D', `# ${'x'.repeat(3 * 1024 * 1024)}\n{ criminalDecisions(first: 1) { nodes { id } } }`);
        expectClean(huge, path);
        expect(huge.status, path).toBe(413);
      }
    });
  });

  /**
   * Walks every root field (queries and mutations) of the composed API at the gateway and of each
   * owner's own schema at its subgraph, and `_entities` of every entity at every subgraph, with
   * malformed cursors, ids, dates, NUL bytes, prototype keys and over-deep variables. Each field is
   * tried as the first principal its owner lets past the field's own rule (else as the first), so
   * the malformed values reach the owner's code, not only its refusal.
   */
  describe('fuzz over the composed schema', () => {
    const PRINCIPALS: Array<[string, string]> = [
      ['police-investigator', 'CRIME_PREVENTION_63D'],
      ['municipality-caseworker', 'SSP_115'],
      ['housing-fob-caseworker', 'TERMINATION_90_10'],
      ['secretariat-coordinator', 'COORDINATION'],
      ['police-auditor', 'COORDINATION'],
      ['municipality-auditor', 'COORDINATION'],
      ['housing-fob-auditor', 'COORDINATION'],
      ['analyst', 'STATISTICS'],
    ];
    const REFUSALS = new Set(['FORBIDDEN', 'PURPOSE_NOT_ALLOWED', 'PURPOSE_REQUIRED', 'UNAUTHENTICATED']);

    const TEXT = ['x\u0000y', '__proto__', "' OR 1=1 --", '\uD800', 'constructor', '', 'P'.repeat(300), '../../etc/passwd'];
    const CURSORS = [
      '!!!',
      cursor(["2020-01-01' OR 1=1", 'x']),
      cursor([1e300, 'J1']),
      cursor(['2020-02-30', 'D0000001']),
      cursor({ __proto__: 1 }),
      cursor(['__proto__', '__proto__']),
      's.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'W'.repeat(600),
    ];
    const DATES = ['2020-02-30', '0000-01-01', '+275760-09-13T00:00:00.000Z', '2020-01-01T25:00:00Z', 'x\u0000', '1e300'];
    const INTS = [-1, 0, 2_147_483_647, -2_147_483_648];
    /** Nested 40 levels: past the 32 the gateway and the subgraphs accept. */
    const tooDeep = () => {
      let value: unknown = 'x';
      for (let i = 0; i < 40; i++) value = { a: value };
      return value;
    };

    /**
     * The malformed values to try for an argument or input field of this type. An input object
     * gets one field malformed at a time (the others left out, or their first value where
     * required), so that a check of one field does not hide another; and a prototype key, and
     * a nesting too deep.
     */
    function variants(type: GraphQLInputType, name: string, depth = 0): unknown[] {
      if (isNonNullType(type)) return variants(type.ofType, name, depth);
      if (isListType(type)) return variants(type.ofType, name, depth).map((v) => [v]);
      if (isEnumType(type)) return type.getValues().slice(0, 2).map((v) => v.name);
      if (isInputObjectType(type)) {
        if (depth > 1) return [{}];
        const fields = Object.values(type.getFields());
        const required = Object.fromEntries(fields.filter((f) => isNonNullType(f.type)).map((f) => [f.name, variants(f.type, f.name, depth + 1)[0]]));
        const out: unknown[] = [];
        for (const field of fields) {
          for (const value of variants(field.type, field.name, depth + 1).slice(0, 4)) out.push({ ...required, [field.name]: value });
        }
        const polluted = { ...required };
        // A prototype key among the fields: an unknown field to GraphQL, never a prototype to us.
        Object.defineProperty(polluted, '__proto__', { value: { polluted: true }, enumerable: true });
        return [...out, polluted, tooDeep()];
      }
      if (!isScalarType(type)) return [null];
      if (name === 'after') return CURSORS;
      switch (type.name) {
        case 'Int':
          return INTS;
        case 'Float':
          return [1e308, -0];
        case 'Boolean':
          return [true];
        case 'String':
        case 'ID':
          return TEXT;
        default:
          return DATES;
      }
    }

    /** One request per malformed value of each argument, the other arguments left out (or their first value where required). */
    function operations(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): Array<{ query: string; variables: Record<string, unknown>; what: string }> {
      const named = getNamedType(field.type);
      const select = isScalarType(named) || isEnumType(named) ? '' : selection(isObjectType(named) ? named : undefined);
      const defs = field.args.map((a, i) => `$a${i}: ${String(a.type)}`).join(', ');
      const args = field.args.map((a, i) => `${a.name}: $a${i}`).join(', ');
      const query = `${kind} Fuzz${defs ? `(${defs})` : ''} { ${field.name}${args ? `(${args})` : ''} ${select} }`;
      const all = field.args.map((a) => variants(a.type, a.name));
      const base = Object.fromEntries(field.args.map((a, i) => [`a${i}`, isNonNullType(a.type) ? all[i]![0] : null]));
      const out = [{ query, variables: base, what: `${field.name}` }];
      field.args.forEach((arg, i) => {
        all[i]!.forEach((value, n) => out.push({ query, variables: { ...base, [`a${i}`]: value }, what: `${field.name}(${arg.name} #${n})` }));
      });
      return out;
    }

    /**
     * One level down: the arguments of the fields of what a root field without required arguments
     * returns (or of its `nodes`), one malformed value at a time, e.g. `areas { initiatives(after: …) }`.
     */
    function nestedOperations(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): Array<{ query: string; variables: Record<string, unknown>; what: string }> {
      const named = getNamedType(field.type);
      if (kind !== 'query' || field.args.some((a) => isNonNullType(a.type)) || !isObjectType(named)) return [];
      const nodes = named.getFields()['nodes'];
      const holder = nodes && isObjectType(getNamedType(nodes.type)) ? (getNamedType(nodes.type) as GraphQLObjectType) : named;
      const out: Array<{ query: string; variables: Record<string, unknown>; what: string }> = [];
      for (const inner of Object.values(holder.getFields())) {
        if (!inner.args.length) continue;
        const innerNamed = getNamedType(inner.type);
        const select = isScalarType(innerNamed) || isEnumType(innerNamed) ? '' : selection(isObjectType(innerNamed) ? innerNamed : undefined, 1);
        const defs = inner.args.map((a, i) => `$b${i}: ${String(a.type)}`).join(', ');
        const call = `${inner.name}(${inner.args.map((a, i) => `${a.name}: $b${i}`).join(', ')}) ${select}`;
        const query = `query Fuzz(${defs}) { ${field.name} { ${holder === named ? call : `nodes { ${call} }`} } }`;
        const all = inner.args.map((a) => variants(a.type, a.name));
        const base = Object.fromEntries(inner.args.map((a, i) => [`b${i}`, isNonNullType(a.type) ? all[i]![0] : null]));
        inner.args.forEach((arg, i) => {
          all[i]!.forEach((value, n) => out.push({ query, variables: { ...base, [`b${i}`]: value }, what: `${field.name} { ${inner.name}(${arg.name} #${n}) }` }));
        });
      }
      return out;
    }

    /** Scalars without required arguments, and `__typename` of objects one level down: enough to run the owner's resolvers. */
    function selection(type: GraphQLObjectType | undefined, depth = 0): string {
      if (!type) return '{ __typename }';
      const parts = ['__typename'];
      for (const field of Object.values(type.getFields())) {
        if (field.args.some((a) => isNonNullType(a.type))) continue;
        const named = getNamedType(field.type);
        if (isScalarType(named) || isEnumType(named)) parts.push(field.name);
        else if (isObjectType(named) && depth < 1) parts.push(`${field.name} ${selection(named, depth + 1)}`);
        else parts.push(`${field.name} { __typename }`);
      }
      return `{ ${parts.join(' ')} }`;
    }

    /** Runs `jobs` a few at a time: the fuzz is many small requests. */
    async function inParallel<T>(jobs: Array<() => Promise<T>>, width = 4): Promise<void> {
      let next = 0;
      await Promise.all(Array.from({ length: width }, async () => {
        while (next < jobs.length) await jobs[next++]!();
      }));
    }

    const problems: string[] = [];
    function check(res: Res, what: string): void {
      try {
        expectClean(res, what);
        // Malformed input is the caller's mistake, said as such: never an unexpected error, even a masked one.
        expect(codes(res), `${what}: ${JSON.stringify(res.body.errors ?? []).slice(0, 200)}`).not.toContain('INTERNAL_SERVER_ERROR');
      } catch (error) {
        problems.push(`${what}: ${(error as Error).message.slice(0, 400)}`);
      }
    }

    function rootFields(schema: GraphQLSchema): Array<['query' | 'mutation', GraphQLField<unknown, unknown>]> {
      return [
        ...Object.values(schema.getQueryType()?.getFields() ?? {})
          .filter((f) => !['_entities', '_service'].includes(f.name))
          .map((f) => ['query', f] as ['query', GraphQLField<unknown, unknown>]),
        ...Object.values(schema.getMutationType()?.getFields() ?? {}).map((f) => ['mutation', f] as ['mutation', GraphQLField<unknown, unknown>]),
      ];
    }

    /** The first principal the field's rule lets through (at the owner), else the first. */
    async function principalFor(client: Client, kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): Promise<[string, string]> {
      const { query, variables } = operations(kind, field)[0]!;
      for (const principal of PRINCIPALS) {
        const res = await client(principal[0], principal[1], query, variables);
        check(res, `probe ${field.name} as ${principal.join('/')}`);
        if (!codes(res).some((c) => REFUSALS.has(c as string))) return principal;
      }
      return PRINCIPALS[0]!;
    }

    it('every root field at every subgraph and at the gateway answers malformed input without a 500 or internal text', async () => {
      problems.length = 0;
      const owners = await loadOwners();
      const api = buildSchema(readFileSync(new URL('../schema/api.graphql', import.meta.url), 'utf8'));
      const chosen = new Map<string, [string, string]>();
      let requests = 0;
      const jobs: Array<() => Promise<void>> = [];
      for (const { owner, subgraph } of owners) {
        const schema = await subgraph.schema();
        const client = system.direct(owner.name);
        for (const [kind, field] of rootFields(schema)) {
          jobs.push(async () => {
            const principal = await principalFor(client, kind, field);
            chosen.set(field.name, principal);
            for (const { query, variables, what } of [...operations(kind, field), ...nestedOperations(kind, field)]) {
              check(await client(principal[0], principal[1], query, variables), `${owner.name} ${what}`);
              requests++;
            }
          });
        }
      }
      await inParallel(jobs);
      const gatewayJobs = rootFields(api).map(([kind, field]) => async () => {
        const principal = chosen.get(field.name) ?? PRINCIPALS[0]!;
        for (const { query, variables, what } of [...operations(kind, field), ...nestedOperations(kind, field)]) {
          check(await system.gql(principal[0], principal[1], query, variables), `gateway ${what}`);
          requests++;
        }
      });
      await inParallel(gatewayJobs);
      expect(problems).toEqual([]);
      // The walk covered the API: every root field of the composed schema was sent.
      expect(rootFields(api).every(([, f]) => chosen.has(f.name)), 'every API root field is some owner\'s').toBe(true);
      expect(requests).toBeGreaterThan(2 * rootFields(api).length);
      // And one level down: e.g. areas { initiatives(after) safetyIndex(fromYear, toYear) }, goals { assessments(…) }.
      const nested = rootFields(api).flatMap(([kind, field]) => nestedOperations(kind, field).map((o) => o.what));
      expect(nested.some((what) => what.startsWith('areas { initiatives(after'))).toBe(true);
      expect(nested.some((what) => what.startsWith('goals { assessments('))).toBe(true);
    });

    it('_entities of every entity at every subgraph answers malformed representations without a 500 or internal text', async () => {
      problems.length = 0;
      const owners = await loadOwners();
      const jobs: Array<() => Promise<void>> = [];
      let entities = 0;
      for (const { owner, subgraph } of owners) {
        const schema = await subgraph.schema();
        const union = schema.getType('_Entity');
        const types = union && 'getTypes' in union ? (union.getTypes() as GraphQLObjectType[]) : [];
        const client = system.direct(owner.name);
        for (const type of types) {
          entities++;
          const select = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${type.name} ${selection(type)} } }`;
          const scalars = Object.values(type.getFields()).filter((f) => {
            const named = getNamedType(f.type);
            return isScalarType(named) || isEnumType(named);
          });
          const representations: unknown[] = [
            ...TEXT.map((id) => ({ __typename: type.name, id })),
            ...CURSORS.slice(0, 2).map((id) => ({ __typename: type.name, id })),
            { __typename: type.name, id: { $ne: 1 } },
            { __typename: type.name, id: ['x'] },
            { __typename: type.name, id: 1e300 },
            { __typename: type.name },
            JSON.parse(`{"__typename":"${type.name}","id":"x","__proto__":{"polluted":true}}`),
            { __typename: type.name, id: 'x', constructor: 'x', toString: 'x' },
            { __typename: type.name, id: 'x', nested: tooDeep() },
            ...scalars.flatMap((f) => [
              { __typename: type.name, id: 'x', [f.name]: '__proto__' },
              { __typename: type.name, id: 'x', [f.name]: 'x\u0000' },
              { __typename: type.name, id: 'x', [f.name]: { toString: 1 } },
            ]),
            'not an object',
            [type.name],
          ];
          for (const [persona, purpose] of [PRINCIPALS[3]!, ...PRINCIPALS.filter(([p]) => p.startsWith(owner.name)).slice(0, 1)]) {
            for (const representation of representations) {
              jobs.push(async () => check(await client(persona, purpose, select, { r: [representation] }), `${owner.name} _entities ${type.name} ${JSON.stringify(representation).slice(0, 80)} as ${persona}`));
            }
          }
        }
      }
      await inParallel(jobs);
      expect(problems).toEqual([]);
      expect(entities).toBeGreaterThan(5);
    });
  });
});
