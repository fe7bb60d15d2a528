import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type System } from './support/system.js';

type Client = System['gql'];
type Res = Awaited<ReturnType<Client>>;

/**
 * What must never reach a caller: database and driver text, JavaScript error
 * names and messages, stacks, file paths. Anything unexpected is one generic
 * message with a correlation id.
 */
const INTERNAL_TEXT =
  /invalid input syntax|syntax error at|violates|relation "|column "|for type (date|integer|uuid|timestamp)|out of range|invalid byte sequence|encoding "?UTF8|\bpostgres|\bpglite\b|\bSQL\b|TypeError|RangeError|ReferenceError|SyntaxError|is not a function|Cannot read propert|undefined is not|Invalid time value|Maximum call stack|\bat [\w.<>]+ \(|node:internal|\/src\/|\.ts:\d+|\.js:\d+/i;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** No 5xx, no internal text; an unexpected error only as the generic message with its correlation id. */
function expectClean(res: Res, what: string): void {
  const text = JSON.stringify(res.body);
  expect(res.status, `${what}: HTTP ${res.status} ${text.slice(0, 300)}`).toBeLessThan(500);
  expect(text, what).not.toMatch(INTERNAL_TEXT);
  for (const error of res.body.errors ?? []) {
    const keys = Object.keys(error.extensions ?? {}).filter((k) => !['code', 'field', 'http', 'serviceName'].includes(k));
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

    it('identity and limit errors at a subgraph are 401 and 400, as at the gateway', async () => {
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
      }
    });
  });
});
