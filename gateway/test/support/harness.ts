import { armorRules, DEFAULT_LIMITS, Inbound, type RequestIdentity } from '@partnergraph/common';
import { buildSchema } from 'graphql';
import { Documents, Exchange, type GatewayAnswer, type Next } from '@partnergraph/gateway';

/** An exchange as the front door would hand it to the first step: no socket. */
export function exchange(init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Exchange {
  const body = init.body === undefined ? '' : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  const headers = { 'content-type': 'application/json', ...init.headers };
  return new Exchange(new Inbound(init.method ?? 'POST', '/graphql', headers, body));
}

/** An exchange as it reaches a later step: what the earlier steps set, given directly. */
export function preparedExchange(
  documents: Documents,
  query: string,
  options: {
    identity?: RequestIdentity;
    principalKey?: string;
    scope?: string;
    variables?: Record<string, unknown>;
    operationName?: string;
    headers?: Record<string, string>;
  } = {},
): Exchange {
  const ex = exchange({ headers: options.headers ?? {} });
  ex.request = { query, ...(options.variables ? { variables: options.variables } : {}), ...(options.operationName ? { operationName: options.operationName } : {}) };
  ex.identity = options.identity ?? identityOf('analyst');
  ex.principalKey = options.principalKey ?? 'issuer#someone';
  ex.scope = options.scope ?? 'scope-a';
  ex.query = query;
  const operation = documents.get(query);
  if (operation.refusal) throw new Error(operation.refusal.body);
  ex.operation = operation;
  ex.kind = operation.kindOf(options.operationName) as 'query' | 'mutation';
  return ex;
}

export function identityOf(role: 'analyst' | 'caseworker', organisation = 'kompetencecenteret'): RequestIdentity {
  return {
    principal: { subject: `${role}-1`, issuer: 'https://idp.test', organisation, roles: [role], purposes: ['STATISTICS'], areas: [] },
    purpose: 'STATISTICS',
  };
}

/** A `next` that records its calls and answers what `answer` returns. */
export function recordingNext(answer: (ex: Exchange, call: number) => GatewayAnswer | Promise<GatewayAnswer>) {
  const calls: Exchange[] = [];
  const next: Next = async (ex) => {
    calls.push(ex);
    return answer(ex, calls.length);
  };
  return { next, calls };
}

export function jsonOf(answer: GatewayAnswer): { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any> }> } {
  return JSON.parse(answer.body);
}

/** A small API schema standing for the supergraph's, for the parse and budget steps. */
export const SCHEMA = buildSchema(`
  type Query { areas: [Area!] area(id: ID!): Area }
  type Mutation { renameArea(id: ID!, name: String!): Area }
  type Subscription { areaChanged: Area }
  type Area { id: ID! name: String initiatives(first: Int): [Initiative!] }
  type Initiative { id: ID! title: String areas: [Area!] }
`);

export function documentsFor(limits = DEFAULT_LIMITS, maxBytes = 4 * 1024 * 1024): Documents {
  const documents = new Documents({
    maxBytes,
    maxTokens: limits.maxTokens,
    maxQueryCharacters: limits.maxQueryCharacters,
    rules: armorRules(limits).validationRules,
    maxCost: limits.maxCost,
    analystMaxCost: limits.analystMaxCost,
    hideSuggestions: true,
    introspection: false,
  });
  documents.useSchema(SCHEMA);
  return documents;
}
