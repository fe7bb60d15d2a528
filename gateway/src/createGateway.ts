import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { createLogger, listen, maskError, type Logger, type RunningServer } from '@partnergraph/common';
import { GraphQLError, parse, validate, type GraphQLSchema } from 'graphql';
import type { Redis } from 'ioredis';
import { FallbackStore } from './cache/FallbackStore.js';
import type { GatewayConfig } from './config.js';
import type { GatewayContext } from './context.js';
import { createPipeline } from './httpPipeline.js';
import { assertAuthModeAllowed, identityResolver } from './identity.js';
import { armorRules } from './limits.js';
import { GatewayMetrics } from './metrics.js';
import { loadManifest, PersistedOperations } from './PersistedOperations.js';
import { RateLimiter } from './RateLimiter.js';
import { SubgraphClient } from './SubgraphClient.js';
import { SubgraphDataSource } from './SubgraphDataSource.js';

export interface Gateway {
  apollo: ApolloServer<GatewayContext>;
  metrics: GatewayMetrics;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  subgraphs: Map<string, SubgraphClient>;
  redis: Redis | undefined;
  listen(port?: number, host?: string): Promise<RunningServer>;
  stop(): Promise<void>;
}

/**
 * The partnership's gateway: Apollo Gateway's query planner and executor on a
 * supergraph file, behind our own request path (identity, limits, persisted
 * operations, rate limits, scope-aware cache and in-flight sharing) and our own
 * subgraph fetching (keep-alive, timeouts, circuit breaking, shared fetches).
 */
export async function createGateway(config: GatewayConfig, logger: Logger = createLogger('gateway')): Promise<Gateway> {
  assertAuthModeAllowed(config.auth, process.env);
  if (config.auth === 'test-principal') {
    logger.warn('GATEWAY_AUTH=test-principal: token checks are OFF; every request runs as a fixed test principal. Never expose this.');
  }
  const metrics = new GatewayMetrics();
  // Loaded only when configured: the embedded default runs without it.
  const redis = config.redisUrl
    ? new (await import('ioredis')).Redis(config.redisUrl, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        commandTimeout: 250,
        connectTimeout: 1000,
        retryStrategy: (attempt) => Math.min(attempt * 250, 3000),
      })
    : undefined;
  let redisDown = false;
  redis?.on('error', (error: Error) => {
    if (!redisDown) logger.warn({ err: error.message }, 'Redis unavailable: serving from in-process stores');
    redisDown = true;
  });
  redis?.on('ready', () => {
    if (redisDown) logger.info('Redis available again');
    redisDown = false;
  });
  const store = new FallbackStore(redis, config.redisPrefix);
  store.onFallback = () => metrics.redisFallback.inc({ store: 'kv' });

  const subgraphs = new Map<string, SubgraphClient>();
  const supergraphSdl = readFileSync(config.supergraphPath, 'utf8');
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => {
      const client = new SubgraphClient({
        name,
        url: config.subgraphUrls[name.toLowerCase()] ?? url!,
        timeoutMs: config.subgraphTimeoutMs,
        circuit: config.circuit,
        metrics,
        dedup: config.subgraphDedup,
      });
      subgraphs.set(name, client);
      return new SubgraphDataSource(name, client);
    },
  });
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: schema }) => {
    apiSchema = schema;
  });

  const armor = armorRules(config.limits, config.development);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    plugins: [...(armor.plugins as never[]), ApolloServerPluginLandingPageDisabled()],
    validationRules: armor.validationRules,
    introspection: config.development,
    includeStacktraceInErrorResponses: false,
    formatError: maskError,
    persistedQueries: false, // our request path handles them, in Redis
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  const analystRules = armorRules(config.limits, config.development, config.limits.analystMaxCost).validationRules;
  const analystVerdicts = new Map<string, GraphQLError | null>();
  const checkAnalystBudget = (query: string): GraphQLError | null => {
    if (!apiSchema) return null;
    let verdict = analystVerdicts.get(query);
    if (verdict === undefined) {
      const errors = validate(apiSchema, parse(query), analystRules);
      verdict = errors.find((e) => /cost/i.test(e.message)) ?? null;
      if (verdict) verdict = new GraphQLError(`Ad-hoc queries of analysts are limited to a cost of ${config.limits.analystMaxCost}. ${verdict.message}`);
      if (analystVerdicts.size > 2000) analystVerdicts.clear();
      analystVerdicts.set(query, verdict);
    }
    return verdict;
  };

  const rateLimiter = config.rateLimit ? new RateLimiter(config.rateLimit, redis, `${config.redisPrefix}rl:`) : undefined;
  if (rateLimiter) rateLimiter.onFallback = () => metrics.redisFallback.inc({ store: 'rate_limit' });
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const handler = createPipeline({
    apollo,
    identify: identityResolver(config.auth, config.trust, (reason) => logger.warn({ reason }, 'request refused: token')),
    persisted: new PersistedOperations(loadManifest(config.manifestPath), store, config.safelist),
    metrics,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    maxQueryCharacters: config.limits.maxQueryCharacters,
    rateLimiter,
    responseCache: config.responseCache ? store : undefined,
    inboundDedup: config.inboundDedup,
    checkAnalystBudget,
    routes: {
      '/health': (_req, res) => json(res, 200, { status: 'ok' }),
      '/ready': async (_req, res) => {
        const checks = await Promise.all(
          [...subgraphs.values()].map(async (client) => {
            try {
              const r = await fetch(new URL('/health', client.options.url), { signal: AbortSignal.timeout(2000) });
              return [client.options.name, r.status < 500 ? 'reachable' : `status ${r.status}`] as const;
            } catch {
              return [client.options.name, 'unreachable'] as const;
            }
          }),
        );
        const ready = checks.every(([, state]) => state === 'reachable');
        json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', subgraphs: Object.fromEntries(checks) });
      },
      '/metrics': async (_req, res) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(await metrics.registry.metrics());
      },
    },
  });

  let running: RunningServer | undefined;
  return {
    apollo,
    metrics,
    handler,
    subgraphs,
    redis,
    async listen(port = config.port, host = config.host) {
      running = await listen(handler, port, host);
      logger.info({ url: running.url, node: process.version }, `gateway listening (Node.js ${process.version})`);
      return running;
    },
    async stop() {
      await running?.close(config.shutdownGraceMs);
      await apollo.stop();
      redis?.disconnect();
    },
  };
}
