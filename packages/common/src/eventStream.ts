import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLError } from 'graphql';
import type { Handler, Response } from 'graphql-sse';
import { HttpError, readBody, sendError, type Answer } from './httpServer.js';

/**
 * Serves one request of the GraphQL over Server-Sent Events protocol
 * (graphql-sse, "distinct connections" mode) with a handler made by
 * graphql-sse's `createHandler`: a bounded body, no buffering of the stream,
 * and the operation ended when the client goes away.
 */
export async function serveEventStream(handler: Handler<IncomingMessage, undefined>, req: IncomingMessage, res: ServerResponse, maxBodyBytes: number): Promise<void> {
  responses.set(req, res);
  let body: string | null = null;
  if (req.method === 'POST') {
    try {
      body = (await readBody(req, maxBodyBytes)).toString('utf8');
    } catch (error) {
      if (error instanceof HttpError) return sendError(res, error.status, error.code, error.message);
      throw error;
    }
  }
  const [content, init] = await handler({ method: req.method ?? 'GET', url: req.url ?? '/', headers: { get: (name) => headerValue(req, name) }, body, raw: req, context: undefined });
  const headers = { ...init.headers, 'cache-control': 'no-store' };
  if (content === null || typeof content === 'string') {
    res.writeHead(init.status, headers);
    res.end(content ?? undefined);
    return;
  }
  // Proxies must pass events on as they come.
  res.writeHead(init.status, { ...headers, 'x-accel-buffering': 'no', connection: 'keep-alive' });
  res.flushHeaders();
  const closed = () => void content.return(undefined);
  res.once('close', closed);
  try {
    for await (const chunk of content) {
      if (res.destroyed) break;
      if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
    }
  } finally {
    res.off('close', closed);
    res.end();
  }
}

// Each stream request's response, for what a stream holds to be freed when its connection closes.
const responses = new WeakMap<IncomingMessage, ServerResponse>();

/**
 * Calls `release` when the connection of a stream request served by
 * `serveEventStream` closes, however it ends (also before the stream's first
 * event); at once if it has closed already.
 */
export function releaseOnClose(req: IncomingMessage, release: () => void): void {
  const res = responses.get(req);
  if (!res || res.closed) release();
  else res.once('close', release);
}

/** One request header, repeated values joined. */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A refusal before the stream starts, as graphql-sse hands it back: a JSON error body with its status. */
export function eventStreamRefusal(status: number, error: Pick<GraphQLError, 'message' | 'extensions'>): Response {
  const { http: _http, ...extensions } = error.extensions as Record<string, unknown>;
  return [
    JSON.stringify({ errors: [{ message: error.message, extensions }] }),
    { status, statusText: status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Bad Request', headers: { 'content-type': 'application/json; charset=utf-8' } },
  ];
}

/** The HTTP status for an identity or request error raised before an operation starts. */
export function statusOfError(error: Pick<GraphQLError, 'extensions'>): number {
  const http = (error.extensions as { http?: { status?: number } }).http;
  if (http?.status) return http.status;
  const code = error.extensions['code'];
  return code === 'UNAUTHENTICATED' ? 401 : code === 'FORBIDDEN' ? 403 : 400;
}

/** A refusal made as for any other request (a 429 with Retry-After, say), as graphql-sse hands it back. */
export function eventStreamAnswer(answer: Answer): Response {
  return [answer.body, { status: answer.status, statusText: answer.status === 429 ? 'Too Many Requests' : 'Bad Request', headers: answer.headers }];
}
