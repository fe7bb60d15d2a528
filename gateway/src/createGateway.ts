import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { armorRules, connectRedisLink, costExtension, createLogger, describeError, DevIssuer, errorMasker, FrontDoor, metricsRoute, RateLimiter, REDIS_CONNECT_OPTIONS, StorableTextRule, StreamLimiter, DEFAULT_STREAMS_PER_PRINCIPAL, type Logger, type RunningServer } from '@partnergraph/common';
import type { GraphQLSchema } from 'graphql';
import type { Redis } from 'ioredis';
import { FallbackStore } from './cache/FallbackStore.js';
import { MemoryStore } from './cache/MemoryStore.js';
import { installCompiledShaping } from './compiledShaping.js';
import type { GatewayConfig } from './config.js';
import { Owners, type GatewayContext } from './context.js';
import { Documents } from './Documents.js';
import { QueryPlans } from './QueryPlans.js';
import { assertAuthModeAllowed, identityResolver } from './identity.js';
import { GatewayMetrics } from './metrics.js';
import { loadManifest, PersistedOperations } from './PersistedOperations.js';
import { Exchange, pipeline, type Step } from './pipeline/Step.js';
import { analystBudget } from './steps/analystBudget.js';
import { answerCache } from './steps/answerCache.js';
import { execute } from './steps/execute.js';
import { identify } from './steps/identify.js';
import { inflightSharing } from './steps/inflightSharing.js';
import { measure } from './steps/measure.js';
import { parseAndValidate } from './steps/parseAndValidate.js';
import { persistedOperation } from './steps/persistedOperation.js';
import { rateLimit } from './steps/rateLimit.js';
import { traceRequest } from './steps/traceRequest.js';
import { readRequest } from './steps/readRequest.js';
import { appRoutes } from './routes/appAssets.js';
import { costRoute } from './routes/costRoute.js';
import { wantsPage, workbenchRoutes } from './routes/workbench.js';
import { assertDevIssuerAllowed, devIssuerRoutes } from './routes/devIssuer.js';
import { SubgraphClient } from './SubgraphClient.js';
import { OwnerStreamEvents, RedisEvents, type EventSource } from './subscriptions/EventSources.js';
import { subscriptionPath } from './subscriptions/subscriptionPath.js';
import { subscriptionOwners } from './subscriptions/SubscriptionPlans.js';
import { SubgraphDataSource } from './SubgraphDataSource.js';
import { SupergraphSource, type ReloadResult, type ReloadTrigger } from './SupergraphSource.js';

export interface Gateway {
  apollo: ApolloServer<GatewayContext>;
  metrics: GatewayMetrics;
  /** The request path's steps, in order. */
  steps: readonly Step[];
  /** The gateway without a socket: the same front door and steps, for in-process tests. */
  fetch(request: Request): Promise<Response>;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  subgraphs: Map<string, SubgraphClient>;
  documents: Documents;
  queryPlans: QueryPlans;
  store: FallbackStore;
  redis: Redis | undefined;
  /** The supergraph served now and how to reload it (the file, or the polled URL for `poll`); see SupergraphSource. */
  supergraph: SupergraphSource;
  reloadSupergraph(trigger?: ReloadTrigger): Promise<ReloadResult>;
  listen(port?: number, host?: string): Promise<RunningServer>;
  stop(): Promise<void>;
}

/** Which gateway process answered: lets operators (and the scale-out test) see the spread. */
const INSTANCE = randomUUID().slice(0, 8);

/**
 * The partnership's gateway: Apollo Gateway's query planner and executor on a
 * supergraph file, behind our own request path — an ordered list of small
 * steps — and our own subgraph fetching (keep-alive, timeouts, circuit
 * breaking, shared fetches).
 */
export async function createGateway(config: GatewayConfig, logger: Logger = createLogger('gateway')): Promise<Gateway> {
  assertAuthModeAllowed(config.auth, process.env);
  assertDevIssuerAllowed(config.devIssuerKeys, process.env);
  if (config.auth === 'test-principal') {
    logger.warn('GATEWAY_AUTH=test-principal: token checks are OFF; every request runs as a fixed test principal. Never expose this.');
  }
  const metrics = new GatewayMetrics();

  // Redis is loaded only when configured: the embedded default runs without it.
  const link = config.redisUrl
    ? await connectRedisLink(config.redisUrl, { logger, onChange: (available) => metrics.redisAvailable.set(available ? 1 : 0) })
    : undefined;
  const redis: Redis | undefined = link?.redis;
  if (link) metrics.redisAvailable.set(0);
  const store = new FallbackStore(link, config.redisPrefix, new MemoryStore(10_000, config.memory.storeBytes));
  store.onFallback = () => metrics.redisFallback.inc({ store: 'kv' });

  const subgraphs = new Map<string, SubgraphClient>();
  const owners = new Owners();
  const queryPlans = new QueryPlans(config.memory.queryPlanBytes);
  if (config.compiledShaping) installCompiledShaping();
  const supergraph = await SupergraphSource.open({
    path: config.supergraphPath,
    watch: config.supergraphWatch,
    url: config.supergraphUrl,
    pollMs: config.supergraphPollMs,
    logger,
    metrics,
  });
  const gateway = new ApolloGateway({
    // A function: Apollo hands back its update callback, through which a new supergraph is swapped in without a restart.
    supergraphSdl: supergraph.manager,
    validateSupergraph: true,
    queryPlannerConfig: { cache: queryPlans as never },
    // Its spans (request, plan, fetch) name operations only: no document text, no error messages.
    telemetry: { includeDocument: false, recordExceptions: false },
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
      return new SubgraphDataSource(name, client, owners.add(name), config.internalKey);
    },
  });

  const armor = armorRules(config.limits);
  // Introspection and suggestions for partners: a document reaches validation only after `identify`
  // has verified its token, so "never without a token" holds by the order of the steps.
  const documents = new Documents({
    maxBytes: config.memory.documentBytes,
    maxTokens: config.limits.maxTokens,
    maxQueryCharacters: config.limits.maxQueryCharacters,
    rules: [...armor.validationRules, StorableTextRule],
    maxCost: config.limits.maxCost,
    analystMaxCost: config.limits.analystMaxCost,
    hideSuggestions: false,
    introspection: true,
  });
  let supergraphLoaded = false;
  let schema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    documents.useSchema(apiSchema);
    schema = apiSchema;
    supergraphLoaded = true;
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    plugins: [...(armor.plugins as never[]), costExtension, ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled()],
    // Documents come parsed and validated from the request path; these apply only to one Apollo had to parse itself.
    documentStore: documents.documentStore(),
    parseOptions: { maxTokens: config.limits.maxTokens },
    validationRules: [...armor.validationRules, StorableTextRule],
    hideSchemaDetailsFromClientErrors: false,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: errorMasker(logger),
    persistedQueries: false, // the request path handles them, in Redis
    allowBatchedHttpRequests: false,
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  // A Redis that answers at start is used from the first request on; one that does not is not waited for long.
  if (link && !(await link.connected(2000))) logger.warn('Redis not reachable at start: serving from in-process stores until it is');

  const persisted = new PersistedOperations(
    loadManifest(config.manifestPath),
    store,
    config.safelist,
    (text) => documents.get(text).canonicalHash(),
    undefined,
    (text) => documents.get(text).schemaOnly(),
  );
  const rateLimiter = config.rateLimit ? new RateLimiter(config.rateLimit, link, `${config.redisPrefix}rl:`) : undefined;
  if (rateLimiter) rateLimiter.onFallback = () => metrics.redisFallback.inc({ store: 'rate_limit' });
  // Each open subscription holds a connection and an owner's stream: bounded per principal, across processes.
  const streams = new StreamLimiter({ perPrincipal: config.streamsPerPrincipal ?? DEFAULT_STREAMS_PER_PRINCIPAL, link, prefix: `${config.redisPrefix}rl:streams:` });
  streams.onFallback = () => metrics.redisFallback.inc({ store: 'streams' });

  // The request path, in order.
  const reading = readRequest({ maxBodyBytes: config.maxBodyBytes, maxVariableDepth: config.limits.maxVariableDepth });
  const identifying = identify(identityResolver(config.auth, config.trust, (reason) => logger.warn({ reason }, 'request refused: token')));
  const limiting = rateLimiter ? [rateLimit(rateLimiter, metrics)] : [];
  const steps: Step[] = [
    traceRequest(),
    measure(metrics),
    reading,
    identifying,
    ...limiting,
    persistedOperation(persisted),
    parseAndValidate(documents),
    analystBudget(documents),
    ...(config.responseCache ? [answerCache(store, owners, metrics, () => supergraph.id)] : []),
    ...(config.inboundDedup ? [inflightSharing(metrics)] : []),
  ];
  const executing = execute(apollo);
  const run = pipeline(steps, executing);

  // Subscriptions (/graphql/stream): admitted by the same front steps; each event's query runs through
  // identity, validation and execution under the subscriber's token and purpose. Events come from the
  // owners' own streams, or through Redis where it is configured.
  const eventMode = config.events ?? (config.redisUrl ? 'redis' : 'owner');
  const events: EventSource =
    eventMode === 'redis' && config.redisUrl
      ? new RedisEvents(
          new (await import('ioredis')).Redis(config.redisUrl, { ...REDIS_CONNECT_OPTIONS, maxRetriesPerRequest: null, retryStrategy: (attempt) => Math.min(attempt * 250, 3000) }).on('error', () => undefined),
          `${config.redisPrefix}events`,
        )
      : new OwnerStreamEvents((name) => subgraphs.get(name)?.options.url, config.internalKey);
  // Which owner serves each subscription field: read again from each new supergraph.
  const subscriptionFields = subscriptionOwners(supergraph.text);
  supergraph.onApplied((sdl) => {
    const fields = subscriptionOwners(sdl);
    subscriptionFields.clear();
    for (const [field, owner] of fields) subscriptionFields.set(field, owner);
  });
  const subscriptions = subscriptionPath({
    admission: [reading, identifying, ...limiting, persistedOperation(persisted), parseAndValidate(documents, 'subscriptions'), analystBudget(documents)],
    perEvent: [identifying, parseAndValidate(documents)],
    execute: executing,
    schema: () => schema,
    owners: subscriptionFields,
    events,
    streams,
    metrics,
    maxBodyBytes: config.maxBodyBytes,
  });

  const devIssuer = config.development && config.devIssuerKeys ? await DevIssuer.loadOrCreate(config.devIssuerKeys) : undefined;
  const workbench = config.workbenchDir ? workbenchRoutes(config.workbenchDir, !config.appDir, devIssuer !== undefined) : undefined;

  const door = new FrontDoor({
    service: 'gateway',
    // A browser's GET at /graphql gets the workbench; everything else there is the API, unchanged.
    graphql: workbench ? (inbound) => (wantsPage(inbound) ? Promise.resolve(workbench.page(inbound)) : run(new Exchange(inbound))) : (inbound) => run(new Exchange(inbound)),
    headers: { 'x-gateway-instance': INSTANCE },
    // Ready = the supergraph is loaded and the process accepts requests. Subgraphs are reported, not
    // required: a subgraph that is down yields partial answers, and every replica would see it alike.
    ready: async () => ({
      ready: supergraphLoaded,
      supergraph: supergraph.id.slice(0, 16),
      subgraphs: Object.fromEntries([...subgraphs.values()].map((client) => [client.options.name, client.breaker.state])),
      ...(link ? { redis: link.available ? 'available' : 'unavailable (in-process stores)' } : {}),
    }),
    routes: {
      '/metrics': metricsRoute(async () => ({ contentType: metrics.registry.contentType, body: await metrics.registry.metrics() }), {
        token: config.metricsToken,
        development: config.development,
      }),
      // Validation only (the workbench asks as you type): the same front steps, then the cost instead of execution.
      '/graphql/cost': costRoute([reading, identifying, ...limiting, persistedOperation(persisted)], documents),
      ...workbench?.routes,
      ...(config.appDir ? appRoutes(config.appDir, devIssuer !== undefined) : {}),
      // Development only: a production gateway has no such routes.
      ...(devIssuer ? devIssuerRoutes(devIssuer) : {}),
    },
    streams: { '/graphql/stream': subscriptions },
    onError: (error, correlationId) => logger.error({ correlationId, err: describeError(error) }, 'request failed'),
  });

  let running: RunningServer | undefined;
  let stopping: Promise<void> | undefined;
  return {
    apollo,
    metrics,
    steps,
    fetch: (request) => door.fetch(request),
    handler: door.listener,
    subgraphs,
    documents,
    queryPlans,
    store,
    redis,
    supergraph,
    reloadSupergraph: (trigger) => supergraph.reload(trigger),
    async listen(port = config.port, host = config.host) {
      running = await door.listen(port, host);
      logger.info({ url: running.url, node: process.version }, `gateway listening (Node.js ${process.version})`);
      return running;
    },
    stop() {
      stopping ??= (async () => {
        door.draining = true;
        await running?.close(config.shutdownGraceMs);
        supergraph.stop();
        await apollo.stop();
        link?.stop();
        redis?.disconnect();
        await events.close();
      })();
      return stopping;
    },
  };
}
