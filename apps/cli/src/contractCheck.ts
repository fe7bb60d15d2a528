import { DevIssuer, INTERNAL_PROOF_HEADER, internalProof, type TokenClaims } from '@partnergraph/common';
import { PURPOSE_HEADER, PURPOSES, type Purpose } from '@partnergraph/vocabulary';
import {
  buildASTSchema,
  getNamedType,
  isLeafType,
  isObjectType,
  isNonNullType,
  Kind,
  parse,
  type DocumentNode,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/**
 * The partnership's contract for a subgraph, checked from outside over HTTP:
 * what every owner's subgraph must do whatever it is written in. Each check
 * says what it sent and what came back, so a failing team sees the breach.
 */
export interface ContractCheck {
  name: string;
  pass: boolean;
  /** What was seen: enough to find the breach, never a token. */
  detail: string;
}

export interface ContractOptions {
  /** The subgraph's GraphQL endpoint, e.g. http://127.0.0.1:4001/graphql. */
  url: string;
  /** The owner's name in the supergraph: its disclosure log is `<owner>DisclosureLog`. */
  owner: string;
  /** Signs the tokens the checks send: the issuer the operator's trust setup trusts (the dev issuer in development). */
  issuer: DevIssuer;
  audience: string;
  /** Claims of the owner's auditor: reads the owner's disclosure log, and is the valid caller of the other checks. */
  auditor: TokenClaims;
  /**
   * The deployment's internal key (PARTNERGRAPH_INTERNAL_KEY): `_service` is for the composition's own
   * call, proven with it. Without it, the SDL cannot be read outside development, and the checks that
   * need it (Federation 2, aliases of a real field, depth) fail saying so.
   */
  internalKey?: string | undefined;
  /** The largest body the subgraph must refuse (default 2 MiB: every owner's cap is below it). */
  oversizedBodyBytes?: number;
  timeoutMs?: number;
}

interface Probe {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: Array<{ message?: string; extensions?: Record<string, unknown> }> } | undefined;
  text: string;
}

/** A refusal: a client error (4xx) and no data at all. */
const refused = (probe: Probe) => probe.status >= 400 && probe.status < 500 && (probe.body?.data === undefined || probe.body.data === null);
const seen = (probe: Probe) => {
  const codes = probe.body?.errors?.map((e) => e.extensions?.['code'] ?? e.message).join(', ');
  const data = probe.body?.data ? `data: ${JSON.stringify(probe.body.data).slice(0, 80)}` : 'no data';
  return `${probe.status}, ${data}${codes ? `, errors: ${codes}` : ''}`;
};
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** Stack frames, SQL and token-library wording: what no caller may see. */
const INTERNAL = /\bat \S+ \(|node:internal|\bSELECT\b|\bINSERT\b|\bstacktrace\b|"stack"|JWS|JWT[A-Z]\w+|jose|ERR_[A-Z_]+/;

export async function checkSubgraph(options: ContractOptions): Promise<ContractCheck[]> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const checks: ContractCheck[] = [];
  const check = (name: string, pass: boolean, detail: string) => checks.push({ name, pass, detail });

  async function post(body: string, headers: Record<string, string>): Promise<Probe> {
    try {
      const res = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      let parsed: Probe['body'];
      try {
        parsed = JSON.parse(text) as Probe['body'];
      } catch {
        parsed = undefined;
      }
      return { status: res.status, body: parsed, text };
    } catch (error) {
      return { status: 0, body: undefined, text: `no answer: ${(error as Error).message}` };
    }
  }
  const gql = (query: string, headers: Record<string, string>, variables?: Record<string, unknown>) => post(JSON.stringify({ query, ...(variables ? { variables } : {}) }), headers);

  const purpose = options.auditor.purposes[0]!;
  const auditorToken = await options.issuer.sign(options.auditor, { audience: options.audience, expiresInSeconds: 600 });
  const valid = { authorization: `Bearer ${auditorToken}`, [PURPOSE_HEADER]: purpose };

  // /health: the process is alive.
  try {
    const health = await fetch(new URL('/health', options.url), { signal: AbortSignal.timeout(timeoutMs) });
    check('/health answers 200', health.ok, `GET /health: ${health.status}`);
  } catch (error) {
    check('/health answers 200', false, `GET /health: no answer (${(error as Error).message})`);
  }

  // The valid caller is served: otherwise every refusal below would prove nothing.
  const baseline = await gql('{ __typename }', valid);
  check('serves a valid token with a granted purpose', baseline.status === 200 && baseline.body?.data?.['__typename'] === 'Query', `{ __typename } as the auditor: ${seen(baseline)}`);

  // Federation 2: the composition reads the subgraph's SDL through `_service`.
  const serviceHeaders = { ...valid, ...(options.internalKey ? { [INTERNAL_PROOF_HEADER]: internalProof(options.internalKey, valid.authorization, purpose) } : {}) };
  const service = await gql('{ _service { sdl } }', serviceHeaders);
  if (options.internalKey) {
    // Nobody else needs the full SDL with its directives: a token alone does not read it.
    const open = await gql('{ _service { sdl } }', valid);
    check('`_service` only for the composition (internal proof)', !(open.body?.data?.['_service'] as { sdl?: string } | undefined)?.sdl, `{ _service { sdl } } with a token but no proof: ${seen(open)}`);
  }
  const sdl = (service.body?.data?.['_service'] as { sdl?: string } | undefined)?.sdl;
  const federation2 = typeof sdl === 'string' && /specs\.apollo\.dev\/federation\/v2\.\d+/.test(sdl);
  const noSdl = `{ _service { sdl } }: ${seen(service)}${options.internalKey ? '' : ' (no internal key given: set PARTNERGRAPH_INTERNAL_KEY)'}`;
  check('Federation 2 `_service { sdl }`', federation2, sdl ? (federation2 ? 'links the Federation 2 spec' : 'SDL without a Federation 2 @link') : noSdl);
  const schema = sdl ? subgraphSchema(sdl) : undefined;

  // Tokens that must be refused, each for its own reason, and all alike: the reason is for the subgraph's log.
  const now = Math.floor(Date.now() / 1000);
  const claims = { org: options.auditor.organisation, roles: options.auditor.roles, purposes: options.auditor.purposes, areas: options.auditor.areas };
  const stranger = await DevIssuer.create(options.issuer.issuer);
  const tokens: Array<[string, string | undefined]> = [
    ['no token', undefined],
    ['a token with `alg: none`', `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iss: options.issuer.issuer, sub: options.auditor.subject, aud: options.audience, iat: now, exp: now + 600 })}.`],
    ['a token signed with a foreign key (same issuer name)', await stranger.sign(options.auditor, { audience: options.audience })],
    ['an expired token', await options.issuer.sign(options.auditor, { audience: options.audience, issuedAt: now - 7200, expiresInSeconds: 600 })],
    ['a token for another audience', await options.issuer.sign(options.auditor, { audience: `not-${options.audience}` })],
  ];
  const refusals: Probe[] = [];
  for (const [what, token] of tokens) {
    const probe = await gql('{ __typename }', { ...(token ? { authorization: `Bearer ${token}` } : {}), [PURPOSE_HEADER]: purpose });
    refusals.push(probe);
    check(`refuses ${what}`, refused(probe), seen(probe));
  }
  const shapes = new Set(refusals.map((p) => JSON.stringify(p.body?.errors?.map((e) => [e.message, e.extensions?.['code']]) ?? p.text)));
  check('token refusals answer alike (the reason goes to the log)', shapes.size === 1, shapes.size === 1 ? 'one answer for every bad token' : `${shapes.size} different answers: ${[...shapes].join(' | ').slice(0, 300)}`);

  const noPurpose = await gql('{ __typename }', { authorization: valid.authorization });
  check('refuses a request that names no purpose', refused(noPurpose), seen(noPurpose));
  const ungranted = PURPOSES.find((p) => !options.auditor.purposes.includes(p as Purpose))!;
  const notGranted = await gql('{ __typename }', { authorization: valid.authorization, [PURPOSE_HEADER]: ungranted });
  check('refuses a purpose the token does not grant', refused(notGranted), `${ungranted}: ${seen(notGranted)}`);

  // _entities: the federation entry to every entity, behind the same door.
  const entity = schema ? entityRepresentation(schema) : { __typename: 'Query' };
  const entities = 'query Probe($r: [_Any!]!) { _entities(representations: $r) { __typename } }';
  for (const [what, token] of [tokens[0]!, tokens[2]!, tokens[3]!]) {
    const probe = await gql(entities, { ...(token ? { authorization: `Bearer ${token}` } : {}), [PURPOSE_HEADER]: purpose }, { r: [entity] });
    check(`\`_entities\` unreachable with ${what}`, refused(probe), `${entity.__typename}: ${seen(probe)}`);
  }

  // Introspection is off outside development: a token holder learns no more than the operations show.
  const introspection = await gql('{ __schema { queryType { name } types { name } } }', valid);
  check('introspection off', !introspection.body?.data?.['__schema'], seen(introspection));
  const typeQuery = await gql('{ __type(name: "Query") { fields { name } } }', valid);
  check('`__type` off', !typeQuery.body?.data?.['__type'], seen(typeQuery));

  // Operation limits, as the valid caller: refused because of their size, not their caller.
  // Aliases of a field of the subgraph's own (some limiters let `__typename` through, rightly: it costs nothing).
  const aliased = schema && rootSelection(schema);
  const aliases = `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: ${aliased ?? '__typename'}`).join(' ')} }`;
  const manyAliases = await gql(aliases, valid);
  if (aliased) check('refuses 500 aliases', refused(manyAliases), `500 × ${aliased}: ${seen(manyAliases)}`);
  else check('refuses 500 aliases', false, `not checked: no field to alias without the SDL (${noSdl})`);
  // Distinct aliases of `__typename`: valid, free to run, and 21 000 tokens to parse.
  const tokensQuery = `{ ${Array.from({ length: 7000 }, (_, i) => `t${i}: __typename`).join(' ')} }`;
  const manyTokens = await gql(tokensQuery, valid);
  check('refuses a document of 21 000 tokens', refused(manyTokens), seen(manyTokens));
  const deep = schema ? deepQuery(schema, 64) : undefined;
  if (deep) {
    const deepProbe = await gql(deep, valid);
    check('refuses a query 64 levels deep', refused(deepProbe), seen(deepProbe));
  } else if (schema) {
    check('refuses a query 64 levels deep', true, 'no recursive path in the schema: no query can be that deep');
  } else {
    check('refuses a query 64 levels deep', false, `not checked: no path without the SDL (${noSdl})`);
  }
  const size = options.oversizedBodyBytes ?? 2 * 1024 * 1024;
  // A small document in a big body (the bulk in an extension nobody reads): only a body cap refuses it.
  const oversized = await post(JSON.stringify({ query: '{ __typename }', extensions: { padding: 'x'.repeat(size) } }), valid);
  check(`refuses a ${Math.round(size / 1024)} KiB body`, oversized.status === 413 || refused(oversized), seen(oversized));

  // The owner's auditor reads the disclosure log.
  const field = `${options.owner}DisclosureLog`;
  const log = await gql(`{ ${field}(first: 1) { nodes { id at purpose } } }`, valid);
  const rows = (log.body?.data?.[field] as { nodes?: unknown[] } | undefined)?.nodes;
  check(`disclosure log \`${field}\` readable by the owner's auditor`, log.status === 200 && Array.isArray(rows) && !log.body?.errors?.length, seen(log));

  // A document that does not parse: a client error, said plainly.
  const malformed = await gql('{ __typename', valid);
  check('refuses a malformed document with a 4xx', refused(malformed), seen(malformed));

  // Nothing internal in any answer that was not a success.
  const answers = [...refusals, noPurpose, notGranted, manyAliases, manyTokens, oversized, introspection, typeQuery, malformed];
  const leaking = answers.find((p) => INTERNAL.test(p.text));
  check('no stack, SQL or library message in refusals', !leaking, leaking ? `seen: ${leaking.text.match(INTERNAL)![0]} in ${leaking.text.slice(0, 160)}` : 'none seen');
  return checks;
}

/** The subgraph's SDL as a schema, enough to find entities and paths (federation's own types stand in as scalars). */
function subgraphSchema(sdl: string): GraphQLSchema | undefined {
  try {
    const document = parse(`${sdl}\nscalar _Any\nscalar FieldSet\nscalar link__Import\nscalar federation__FieldSet\nscalar federation__Scope\nscalar federation__Policy`);
    const definitions = document.definitions.filter((d) => d.kind !== Kind.SCHEMA_EXTENSION && d.kind !== Kind.SCHEMA_DEFINITION && d.kind !== Kind.DIRECTIVE_DEFINITION);
    return buildASTSchema({ ...document, definitions } as DocumentNode, { assumeValidSDL: true });
  } catch {
    return undefined;
  }
}

/** A representation of one of the subgraph's entities (a type with a single-field key), with a made-up key. */
function entityRepresentation(schema: GraphQLSchema): { __typename: string; [key: string]: string } {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const key = type.astNode?.directives?.find((d) => d.name.value === 'key');
    const fields = key?.arguments?.find((a) => a.name.value === 'fields')?.value;
    if (fields?.kind === Kind.STRING && /^\w+$/.test(fields.value)) return { __typename: type.name, [fields.value]: 'contract-check' };
  }
  return { __typename: 'Query' };
}

/** A selection of a Query field that needs no arguments: `field` or `field { __typename }`. */
function rootSelection(schema: GraphQLSchema): string | undefined {
  const field = Object.values(schema.getQueryType()?.getFields() ?? {}).find((f) => !f.name.startsWith('_') && f.args.every((a) => !isNonNullType(a.type)));
  if (!field) return undefined;
  return isObjectType(getNamedType(field.type)) || !isLeafType(getNamedType(field.type)) ? `${field.name} { __typename }` : field.name;
}

/** A query `depth` levels deep along a cycle of object fields without required arguments; undefined when there is none. */
export function deepQuery(schema: GraphQLSchema, depth: number): string | undefined {
  const query = schema.getQueryType();
  if (!query) return undefined;
  const next = (type: GraphQLObjectType) =>
    Object.values(type.getFields())
      .filter((f) => !f.name.startsWith('_') && f.args.every((a) => !isNonNullType(a.type)))
      .map((f) => ({ name: f.name, type: getNamedType(f.type) }))
      .filter((f): f is { name: string; type: GraphQLObjectType } => isObjectType(f.type));
  // Depth-first from Query for a path that comes back to a type on it: that cycle, repeated, is as deep as wanted.
  const path: Array<{ name: string; type: GraphQLObjectType }> = [];
  const onPath = new Set<string>();
  const search = (type: GraphQLObjectType): number | undefined => {
    onPath.add(type.name);
    for (const field of next(type)) {
      path.push(field);
      // The cycle starts after the field that entered its type (or at the root, for a way back to Query).
      if (onPath.has(field.type.name)) return path.slice(0, -1).findIndex((p) => p.type.name === field.type.name) + 1;
      const found = search(field.type);
      if (found !== undefined) return found;
      path.pop();
    }
    onPath.delete(type.name);
    return undefined;
  };
  const cycleStart = search(query);
  if (cycleStart === undefined) return undefined;
  const cycle = path.slice(cycleStart);
  const names = path.map((p) => p.name);
  while (names.length < depth) names.push(...cycle.map((p) => p.name));
  return `{ ${names.join(' { ')} { __typename ${'}'.repeat(names.length)} }`;
}
