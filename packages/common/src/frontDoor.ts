import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer, BaseContext, GraphQLRequest } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { INTERNAL_MESSAGE } from './errors.js';
import { jsonProblem, UNSTORABLE_TEXT_MESSAGE } from './inputChecks.js';
import { errorAnswer, HttpError, Inbound, JSON_CONTENT_TYPE, jsonAnswer, listen, type Answer, type DrainState, type RunningServer } from './httpServer.js';

export type Route = (inbound: Inbound) => Answer | Promise<Answer>;

/** What `/ready` reports beyond "accepting": `ready: false` answers 503; the rest is the body. */
export interface Readiness {
  ready: boolean;
  [detail: string]: unknown;
}

export interface FrontDoorOptions {
  /** Names the service in `/health`. */
  service: string;
  /** Serves `POST <path>`. */
  graphql: (inbound: Inbound) => Promise<Answer>;
  path?: string;
  /** Readiness beyond accepting requests (a supergraph loaded, a database answering). */
  ready?: () => Promise<Readiness>;
  /** A readiness check that has not answered by then is "not ready": a probe never hangs. Default 2000 ms. */
  readyTimeoutMs?: number;
  /** Other routes by exact path, e.g. `/metrics`. `/health` and `/ready` are built in. */
  routes?: Record<string, Route>;
  /**
   * Long-lived streams (server-sent events) by exact path, written straight to
   * the socket; served on node:http only. Draining ends them at once: clients
   * reconnect to another instance.
   */
  streams?: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>> | undefined;
  /** Headers on every answer. */
  headers?: Record<string, string>;
  /** Unexpected failures: logged by the caller under the correlation id; the client gets a generic 500 with that id. */
  onError: (error: unknown, correlationId: string) => void;
}

const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json; charset=utf-8';

/**
 * The one HTTP front door of the gateway and of every subgraph: routes,
 * `/health` (the process is alive) and `/ready` (503 at once when draining),
 * answers written once with `Connection: close` while draining, unexpected
 * failures as a generic 500. It runs on node:http (`listener`, `listen`) and
 * in-process without a socket (`fetch`), the same code either way.
 */
export class FrontDoor implements DrainState {
  draining = false;
  private readonly path: string;
  private readonly routes: Record<string, Route>;

  constructor(private readonly options: FrontDoorOptions) {
    this.path = options.path ?? '/graphql';
    this.routes = { ...options.routes, '/health': () => this.health(), '/ready': () => this.readiness() };
  }

  /** The answer to one request; never throws. */
  async answer(inbound: Inbound): Promise<Answer> {
    try {
      if (inbound.path === this.path) return await this.options.graphql(inbound);
      const route = this.routes[inbound.path];
      if (route) return await route(inbound);
      return errorAnswer(404, 'NOT_FOUND', `GraphQL is served at ${this.path}.`);
    } catch (error) {
      if (error instanceof HttpError) return error.answer();
      return this.failure(error);
    }
  }

  /** The node:http request listener. */
  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const stream = this.options.streams?.[path];
    if (stream) {
      this.stream(stream, req, res);
      return;
    }
    const inbound = new Inbound(req.method ?? 'GET', path, req.headers, req);
    void this.answer(inbound).then((answer) => this.write(inbound, answer, res));
  };

  private readonly openStreams = new Set<ServerResponse>();

  private stream(serve: (req: IncomingMessage, res: ServerResponse) => Promise<void>, req: IncomingMessage, res: ServerResponse): void {
    if (this.draining) {
      res.setHeader('connection', 'close');
      const refusal = errorAnswer(503, 'DRAINING', 'This instance is shutting down; connect again.', { 'retry-after': '1' });
      res.writeHead(refusal.status, refusal.headers);
      res.end(refusal.body);
      return;
    }
    this.openStreams.add(res);
    res.once('close', () => this.openStreams.delete(res));
    serve(req, res).catch((error: unknown) => {
      const failure = this.failure(error);
      if (!res.headersSent) {
        res.writeHead(failure.status, failure.headers);
      }
      res.end();
    });
  }

  /** An unexpected failure: logged with a new correlation id, answered generically with it. */
  private failure(error: unknown): Answer {
    const correlationId = randomUUID();
    this.options.onError(error, correlationId);
    return jsonAnswer(500, { errors: [{ message: INTERNAL_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId } }] });
  }

  /** Draining has begun: open streams end now (their clients reconnect elsewhere); requests finish. */
  beginDrain(): void {
    this.draining = true;
    for (const res of this.openStreams) res.end();
  }

  /** The same door without a socket: a fetch-style harness for tests and embedding. */
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => (headers[key] = value));
    const inbound = new Inbound(request.method, url.pathname, headers, request.body ? await request.text() : '');
    const answer = await this.answer(inbound);
    const out = new Headers(answer.headers);
    for (const [name, value] of Object.entries(this.options.headers ?? {})) out.set(name, value);
    const contentType = this.contentType(inbound, answer);
    if (contentType) out.set('content-type', contentType);
    if (this.draining) out.set('connection', 'close');
    return new Response(answer.body, { status: answer.status, headers: out });
  }

  listen(port: number, host = '127.0.0.1'): Promise<RunningServer> {
    return listen(this.listener, port, host, this.path, this);
  }

  private write(inbound: Inbound, answer: Answer, res: ServerResponse): void {
    if (res.headersSent || res.destroyed) return;
    const extra = this.options.headers;
    if (extra) for (const name in extra) res.setHeader(name, extra[name]!);
    // Draining: this answer is the connection's last, so clients move to another instance.
    if (this.draining) res.setHeader('connection', 'close');
    const contentType = this.contentType(inbound, answer);
    // Answers may be shared between requests (cache, in-flight sharing): never changed in place.
    res.writeHead(answer.status, contentType ? { ...answer.headers, 'content-type': contentType } : answer.headers);
    res.end(answer.body);
  }

  /** GraphQL-over-HTTP: `application/graphql-response+json` for clients that ask for it and not for JSON. */
  private contentType(inbound: Inbound, answer: Answer): string | undefined {
    if (answer.headers['content-type'] !== JSON_CONTENT_TYPE) return undefined;
    const accept = inbound.headers.accept;
    if (!accept || !accept.includes('application/graphql-response+json')) return undefined;
    return accept.includes('application/json') || accept.includes('*/*') ? undefined : GRAPHQL_RESPONSE_JSON;
  }

  private async checkReady(check: () => Promise<Readiness>): Promise<Readiness> {
    const timeoutMs = this.options.readyTimeoutMs ?? 2000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Readiness>((resolve) => {
      timer = setTimeout(() => resolve({ ready: false, reason: `readiness check did not answer within ${timeoutMs} ms` }), timeoutMs);
    });
    try {
      return await Promise.race([check().catch(() => ({ ready: false, reason: 'readiness check failed' })), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private health(): Answer {
    return jsonAnswer(200, { status: 'ok', service: this.options.service });
  }

  private async readiness(): Promise<Answer> {
    if (this.draining) return jsonAnswer(503, { status: 'draining', service: this.options.service });
    const { ready, ...details } = this.options.ready ? await this.checkReady(this.options.ready) : { ready: true };
    return jsonAnswer(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', service: this.options.service, ...details });
  }
}

/** The fields of a GraphQL-over-HTTP request body, checked for type. */
export interface GraphQLRequestBody {
  query?: string;
  operationName?: string;
  variables?: Record<string, unknown>;
  extensions?: Record<string, unknown>;
}

export interface RequestLimits {
  maxBodyBytes: number;
  /** Deepest nesting of `variables` and `extensions` accepted (checked without recursion). */
  maxVariableDepth: number;
}

export const DEFAULT_MAX_VARIABLE_DEPTH = 32;

/**
 * Reads and checks a GraphQL request: POST, JSON, bounded body, one operation
 * (no batches), fields of the right types, and variables nested no deeper than
 * the limit, before anything recursive (serialising, coercion) touches them.
 * Failures are HttpErrors with GraphQL-over-HTTP statuses (405, 413, 415, 400).
 */
export async function readGraphQLRequest(inbound: Inbound, limits: RequestLimits): Promise<GraphQLRequestBody> {
  if (inbound.method !== 'POST') {
    throw new HttpError(405, 'Send GraphQL requests as POST with a JSON body.', 'METHOD_NOT_ALLOWED', { allow: 'POST' });
  }
  if (!inbound.headers['content-type']?.includes('application/json')) {
    throw new HttpError(415, 'Send content-type: application/json.', 'UNSUPPORTED_MEDIA_TYPE');
  }
  const raw = await inbound.readBody(limits.maxBodyBytes);
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'Request body is not valid JSON.');
  }
  if (Array.isArray(body)) throw new HttpError(400, 'Batched requests are not accepted; send one operation per request.', 'BATCHING_NOT_SUPPORTED');
  if (typeof body !== 'object' || body === null) throw new HttpError(400, 'Request body must be a JSON object.');
  const { query, operationName, variables, extensions } = body as Record<string, unknown>;
  if (query !== undefined && query !== null && typeof query !== 'string') throw new HttpError(400, 'query must be a string.');
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    throw new HttpError(400, 'operationName must be a string.');
  }
  checkObject('variables', variables, limits.maxVariableDepth);
  checkObject('extensions', extensions, limits.maxVariableDepth);
  const request: GraphQLRequestBody = {};
  if (typeof query === 'string') request.query = query;
  if (typeof operationName === 'string') request.operationName = operationName;
  if (variables) request.variables = variables as Record<string, unknown>;
  if (extensions) request.extensions = extensions as Record<string, unknown>;
  return request;
}

function checkObject(name: string, value: unknown, maxDepth: number): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) throw new HttpError(400, `${name} must be a JSON object.`);
  const problem = jsonProblem(value, maxDepth);
  if (problem === 'depth') throw new HttpError(400, `${name} nest deeper than ${maxDepth} levels.`, 'BAD_USER_INPUT');
  if (problem === 'text') throw new HttpError(400, `${name}: ${UNSTORABLE_TEXT_MESSAGE}`, 'BAD_USER_INPUT');
}

export type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * A GraphQLError raised before execution (identity, purpose) as an answer:
 * its `extensions.http.status` (401 for a missing token) or 400.
 */
export function graphQLErrorAnswer(error: GraphQLError, formatError?: FormatError): Answer {
  const { http, ...extensions } = error.extensions as { http?: { status?: number } } & Record<string, unknown>;
  const formatted: GraphQLFormattedError = { message: error.message, extensions };
  return jsonAnswer(http?.status ?? 400, { errors: [formatError ? formatError(formatted, error) : formatted] });
}

/** An executed answer, with what callers may need to know about it. */
export interface ExecutedAnswer extends Answer {
  /** The result carries GraphQL errors. */
  hasErrors: boolean;
}

/**
 * Runs one operation through Apollo Server (its plugins, validation when the
 * document is not already known, execution) and serialises the single result.
 */
export async function executeWithApollo<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  request: GraphQLRequest,
  contextValue: TContext,
): Promise<ExecutedAnswer> {
  const response = await apollo.executeOperation(request as never, { contextValue });
  if (response.body.kind !== 'single') throw new Error('Incremental delivery is not supported.');
  const { errors, data, extensions } = response.body.singleResult;
  const headers: Record<string, string> = { 'content-type': JSON_CONTENT_TYPE };
  for (const [name, value] of response.http.headers) headers[name] = value;
  // Apollo's field order (errors, data, extensions), and its trailing newline.
  const body = `${JSON.stringify({ errors, data, extensions })}\n`;
  return { status: response.http.status ?? 200, headers, body, hasErrors: errors !== undefined && errors.length > 0 };
}

export interface GraphQLEndpointOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  /** The request's context; a GraphQLError thrown here (identity, purpose) answers 401/400. */
  context: (inbound: Inbound) => Promise<TContext>;
  limits: RequestLimits;
  formatError?: FormatError;
  /** Checks after identity and before execution (rate limits, cost budget): an answer here is the refusal. */
  admit?: (request: GraphQLRequestBody, contextValue: TContext, inbound: Inbound) => Promise<Answer | undefined> | Answer | undefined;
}

/** `POST /graphql` for a plain Apollo Server (the subgraphs): read and check the request, build the context, execute. */
export function graphqlEndpoint<TContext extends BaseContext>(options: GraphQLEndpointOptions<TContext>) {
  return async (inbound: Inbound): Promise<Answer> => {
    const request = await readGraphQLRequest(inbound, options.limits);
    let contextValue: TContext;
    try {
      contextValue = await options.context(inbound);
    } catch (error) {
      if (error instanceof GraphQLError) return graphQLErrorAnswer(error, options.formatError);
      throw error;
    }
    const refusal = await options.admit?.(request, contextValue, inbound);
    if (refusal) return refusal;
    return executeWithApollo(options.apollo, request, contextValue);
  };
}
