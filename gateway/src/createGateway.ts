import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  apolloHandler,
  createLogger,
  ErrorCode,
  listen,
  resolveIdentity,
  TokenVerifier,
  type Logger,
  type RunningServer,
} from '@partnergraph/common';
import type { GraphQLFormattedError } from 'graphql';
import type { GatewayConfig } from './config.js';
import type { GatewayContext } from './context.js';
import { FORWARDED_HEADERS, SubgraphDataSource } from './SubgraphDataSource.js';

const PASS_THROUGH_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Known codes pass (minus internals); anything else becomes a generic error: nothing leaks. */
export function maskGatewayError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.['code'];
  if (typeof code === 'string' && PASS_THROUGH_CODES.has(code)) {
    const { stacktrace: _s, exception: _e, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
    return { ...formatted, extensions };
  }
  return { message: 'Internal error.', ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: ErrorCode.INTERNAL } };
}

export interface Gateway {
  apollo: ApolloServer<GatewayContext>;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  listen(port?: number, host?: string): Promise<RunningServer>;
  stop(): Promise<void>;
}

export async function createGateway(config: GatewayConfig, logger: Logger = createLogger('gateway')): Promise<Gateway> {
  const supergraphSdl = readFileSync(config.supergraphPath, 'utf8');
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) =>
      new SubgraphDataSource({ url: config.subgraphUrls[name.toLowerCase()] ?? url }),
  });
  const verifier = new TokenVerifier(config.trust);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    formatError: maskGatewayError,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
  });
  await apollo.start();

  const context = async (_req: IncomingMessage, headers: { get(name: string): string | undefined }): Promise<GatewayContext> => {
    const identity = await resolveIdentity(
      (name) => headers.get(name),
      verifier,
      (reason) => logger.warn({ reason }, 'request refused: token'),
    );
    const requestId = headers.get('x-request-id') ?? randomUUID();
    const forwardHeaders: Partial<Record<string, string>> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = headers.get(name);
      if (value) forwardHeaders[name] = value;
    }
    forwardHeaders['x-request-id'] = requestId;
    return { requestId, identity, forwardHeaders };
  };

  const handler = apolloHandler<GatewayContext>({
    apollo,
    context,
    maxBodyBytes: config.maxBodyBytes,
    onError: (error) => logger.error({ err: (error as Error).message }, 'request failed'),
    routes: {
      '/health': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'ok' }));
      },
    },
  });

  let running: RunningServer | undefined;
  return {
    apollo,
    handler,
    async listen(port = config.port, host = config.host) {
      running = await listen(handler, port, host);
      logger.info({ url: running.url }, 'gateway listening');
      return running;
    },
    async stop() {
      await running?.close();
      await apollo.stop();
    },
  };
}
