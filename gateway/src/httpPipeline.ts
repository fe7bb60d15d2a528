import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import { accessScopeKey, HttpError, readBody, sendError, type Logger, type RequestIdentity } from '@partnergraph/common';
import { GraphQLError, parse, type OperationDefinitionNode } from 'graphql';
import type { KeyValueStore } from './cache/KeyValueStore.js';
import type { GatewayContext } from './context.js';
import type { IdentityResolver } from './identity.js';
import { Inflight } from './Inflight.js';
import type { GatewayMetrics } from './metrics.js';
import { OperationError, sha256, type PersistedOperations } from './PersistedOperations.js';
import type { RateLimiter } from './RateLimiter.js';
import { FORWARDED_HEADERS } from './SubgraphDataSource.js';
import { continueTrace } from './tracing.js';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface PipelineOptions {
  apollo: ApolloServer<GatewayContext>;
  identify: IdentityResolver;
  persisted: PersistedOperations;
  metrics: GatewayMetrics;
  logger: Logger;
  maxBodyBytes: number;
  maxQueryCharacters: number;
  rateLimiter?: RateLimiter | undefined;
  /** Scope-aware cache of whole answers the owners marked cacheable. */
  responseCache?: KeyValueStore | undefined;
  /** Identical in-flight queries of the same principal share one execution. */
  inboundDedup: boolean;
  /** Extra budget check for ad-hoc operations of analysts. */
  checkAnalystBudget?: ((query: string) => GraphQLError | null) | undefined;
  routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void | Promise<void>>;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
/** Which gateway process answered: lets operators (and the scale-out test) see the spread. */
const INSTANCE = randomUUID().slice(0, 8);
const GENERATION_KEY = 'rc:generation';

interface OperationShape {
  isMutation: boolean;
  parsed: boolean;
}

/** What Apollo needs to know before execution, computed once per distinct query text. */
class OperationShapes {
  private readonly shapes = new Map<string, OperationShape>();

  get(query: string, operationName: string | undefined): OperationShape {
    const key = `${operationName ?? ''}\u0000${query}`;
    let shape = this.shapes.get(key);
    if (!shape) {
      try {
        const ops = parse(query).definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
        const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops.length === 1 ? ops[0] : undefined;
        shape = { isMutation: op ? op.operation !== 'query' : true, parsed: true };
      } catch {
        shape = { isMutation: true, parsed: false };
      }
      if (this.shapes.size > 2000) this.shapes.clear();
      this.shapes.set(key, shape);
    }
    return shape;
  }
}

function errorAnswer(status: number, code: string, message: string, headers: Record<string, string> = {}): Answer {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify({ errors: [{ message, extensions: { code } }] }) };
}

/**
 * The gateway's request path in front of Apollo: bounded body, identity and
 * purpose, rate limit, persisted operations and safelist, then — for queries
 * only — the scope-keyed answer cache and in-flight sharing, then execution.
 */
export function createPipeline(options: PipelineOptions) {
  const shapes = new OperationShapes();
  const inflight = new Inflight<Answer>();
  const { metrics } = options;

  async function answer(req: IncomingMessage): Promise<Answer> {
    if (req.method !== 'POST') return errorAnswer(405, 'METHOD_NOT_ALLOWED', 'Send GraphQL requests as POST with a JSON body.', { allow: 'POST' });
    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.includes('application/json')) {
      return errorAnswer(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send content-type: application/json.');
    }
    let raw: Buffer;
    try {
      raw = await readBody(req, options.maxBodyBytes);
    } catch (error) {
      if (error instanceof HttpError) return errorAnswer(error.status, error.code, error.message);
      throw error;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return errorAnswer(400, 'BAD_REQUEST', 'Request body is not valid JSON.');
    }
    if (Array.isArray(body)) return errorAnswer(400, 'BATCHING_NOT_SUPPORTED', 'Batched requests are not accepted; send one operation per request.');
    if (typeof body !== 'object' || body === null) return errorAnswer(400, 'BAD_REQUEST', 'Request body must be a JSON object.');

    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    let identity: RequestIdentity;
    try {
      identity = await options.identify(header);
    } catch (error) {
      if (error instanceof GraphQLError) {
        const status = (error.extensions['http'] as { status?: number } | undefined)?.status ?? 400;
        const { http: _http, ...extensions } = error.extensions;
        return { status, headers: JSON_HEADERS, body: JSON.stringify({ errors: [{ message: error.message, extensions }] }) };
      }
      throw error;
    }
    const principalKey = `${identity.principal.issuer}#${identity.principal.subject}`;

    if (options.rateLimiter) {
      const decision = await options.rateLimiter.check(principalKey, identity.principal.organisation);
      if (!decision.allowed) {
        metrics.rateLimited.inc({ limit: decision.limitedBy ?? 'principal' });
        return errorAnswer(429, 'RATE_LIMITED', `Too many requests for this ${decision.limitedBy}; retry after ${decision.retryAfterSeconds} s.`, {
          'retry-after': String(decision.retryAfterSeconds),
        });
      }
    }

    const { persistedQuery, ...otherExtensions } = (body['extensions'] ?? {}) as Record<string, unknown>;
    let query: string;
    let registered: boolean;
    try {
      ({ query, registered } = await options.persisted.resolve(body['query'], persistedQuery as never, identity.principal.roles.includes('analyst')));
    } catch (error) {
      if (error instanceof OperationError) return errorAnswer(error.status, error.code, error.message);
      throw error;
    }
    if (query.length > options.maxQueryCharacters) {
      return errorAnswer(400, 'QUERY_TOO_LARGE', `The query has more than ${options.maxQueryCharacters} characters.`);
    }
    const operationName = typeof body['operationName'] === 'string' ? body['operationName'] : undefined;
    const variables = body['variables'] ?? undefined;
    const shape = shapes.get(query, operationName);
    if (!registered && options.checkAnalystBudget && identity.principal.roles.includes('analyst') && shape.parsed) {
      const overBudget = options.checkAnalystBudget(query);
      if (overBudget) return errorAnswer(400, 'COST_LIMIT', overBudget.message);
    }

    const execute = () => run(req, identity, { query, operationName, variables, extensions: otherExtensions }, !shape.isMutation);
    if (shape.isMutation) {
      const result = await execute();
      // Any change through the gateway retires every cached answer (all processes share the generation).
      if (options.responseCache) await options.responseCache.set(GENERATION_KEY, `${Date.now()}-${randomUUID()}`, 30 * 86400);
      return result;
    }

    const scope = accessScopeKey(identity);
    const requestKey = sha256(`${query}\u0000${operationName ?? ''}\u0000${JSON.stringify(variables ?? null)}`);
    const generation = options.responseCache ? ((await options.responseCache.get(GENERATION_KEY)) ?? '0') : '0';
    const cacheKey = `rc:${generation}:${requestKey}:${sha256(scope)}`;
    if (options.responseCache) {
      const hit = await options.responseCache.get(cacheKey);
      if (hit !== undefined) {
        metrics.cache.inc({ result: 'hit' });
        return { status: 200, headers: { ...JSON_HEADERS, 'x-cache': 'hit' }, body: hit };
      }
      metrics.cache.inc({ result: 'miss' });
    }
    const compute = async () => {
      const result = await execute();
      const maxAge = Number(result.headers['x-partnergraph-max-age'] ?? 0);
      delete result.headers['x-partnergraph-max-age'];
      if (options.responseCache && maxAge > 0 && result.status === 200) {
        await options.responseCache.set(cacheKey, result.body, maxAge);
        metrics.cache.inc({ result: 'store' });
      }
      return result;
    };
    if (!options.inboundDedup) return compute();
    // Same scope and same principal: the owners' disclosure logs name who asked, so no one else rides along.
    return inflight.run(`${requestKey}\u0000${scope}\u0000${principalKey}`, compute, () => metrics.dedup.inc({ kind: 'inbound' }));
  }

  async function run(
    req: IncomingMessage,
    identity: RequestIdentity,
    operation: { query: string; operationName: string | undefined; variables: unknown; extensions: Record<string, unknown> },
    cacheable: boolean,
  ): Promise<Answer> {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const requestId = headers.get('x-request-id') ?? randomUUID();
    const forwardHeaders: Partial<Record<string, string>> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = headers.get(name);
      if (value) forwardHeaders[name] = value;
    }
    const context: GatewayContext = {
      requestId,
      identity,
      forwardHeaders,
      trace: continueTrace(headers.get('traceparent')),
      cache: { maxAge: cacheable ? Number.POSITIVE_INFINITY : 0 },
    };
    const body: Record<string, unknown> = { query: operation.query, extensions: operation.extensions };
    if (operation.operationName !== undefined) body['operationName'] = operation.operationName;
    if (operation.variables !== undefined && operation.variables !== null) body['variables'] = operation.variables;
    const response = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers, search: '', body },
      context: async () => context,
    });
    let text = '';
    if (response.body.kind === 'complete') text = response.body.string;
    else for await (const chunk of response.body.asyncIterator) text += chunk;
    const out: Record<string, string> = {};
    for (const [key, value] of response.headers) out[key] = value;
    out['x-request-id'] = requestId;
    const maxAge = context.cache!.maxAge;
    if (cacheable && Number.isFinite(maxAge) && maxAge > 0 && !text.includes('"errors"')) out['x-partnergraph-max-age'] = String(maxAge);
    return { status: response.status ?? 200, headers: out, body: text };
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q === -1 ? url : url.slice(0, q);
    const route = options.routes[pathname];
    if (route) {
      Promise.resolve(route(req, res)).catch((error: Error) => {
        options.logger.error({ err: error.message }, 'route failed');
        sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal error.');
      });
      return;
    }
    if (pathname !== '/graphql') {
      sendError(res, 404, 'NOT_FOUND', 'GraphQL is served at /graphql.');
      return;
    }
    const stop = metrics.latency.startTimer();
    answer(req)
      .then((result) => {
        res.setHeader('x-gateway-instance', INSTANCE);
        res.writeHead(result.status, result.headers);
        res.end(result.body);
        metrics.requests.inc({ status: String(result.status), operation: 'graphql' });
      })
      .catch((error: Error) => {
        options.logger.error({ err: error.message }, 'request failed');
        sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal error.');
        metrics.requests.inc({ status: '500', operation: 'graphql' });
      })
      .finally(() => stop());
  };
}
