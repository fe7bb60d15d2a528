import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest } from '@apollo/server';
import { HttpError, readBody, sendError, type RouteHandler } from './httpServer.js';

export interface ApolloHandlerOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  context: (req: IncomingMessage, headers: HeaderMap) => Promise<TContext>;
  path?: string;
  /** Request bodies above this size are refused with 413 before parsing. */
  maxBodyBytes?: number;
  /** Other routes, by exact path: /health, /ready, /metrics. */
  routes?: Record<string, RouteHandler>;
  onError?: (error: unknown) => void;
}

function toHeaderMap(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** A plain node:http handler in front of Apollo Server: no framework, bounded bodies, JSON errors. */
export function apolloHandler<TContext extends BaseContext>(options: ApolloHandlerOptions<TContext>) {
  const path = options.path ?? '/graphql';
  const maxBodyBytes = options.maxBodyBytes ?? 256 * 1024;
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q === -1 ? url : url.slice(0, q);
    const route = options.routes?.[pathname];
    if (route) {
      Promise.resolve(route(req, res)).catch((error) => {
        options.onError?.(error);
        sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal error.');
      });
      return;
    }
    if (pathname !== path) {
      sendError(res, 404, 'NOT_FOUND', `No route ${pathname}; GraphQL is served at ${path}.`);
      return;
    }
    void handleGraphQL(req, res, url.slice(pathname.length), options, maxBodyBytes);
  };
}

async function handleGraphQL<TContext extends BaseContext>(
  req: IncomingMessage,
  res: ServerResponse,
  search: string,
  options: ApolloHandlerOptions<TContext>,
  maxBodyBytes: number,
): Promise<void> {
  try {
    const method = (req.method ?? 'GET').toUpperCase();
    let body: unknown;
    if (method === 'POST') {
      const raw = await readBody(req, maxBodyBytes);
      const contentType = req.headers['content-type'] ?? '';
      if (contentType.includes('json')) {
        try {
          body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
        } catch {
          throw new HttpError(400, 'Request body is not valid JSON.');
        }
      } else {
        body = raw.toString('utf8');
      }
    }
    const headers = toHeaderMap(req);
    const httpGraphQLRequest: HTTPGraphQLRequest = { method, headers, search, body };
    const response = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      context: () => options.context(req, headers),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  } catch (error) {
    if (error instanceof HttpError) {
      sendError(res, error.status, error.code, error.message);
      return;
    }
    options.onError?.(error);
    sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal error.');
  }
}
