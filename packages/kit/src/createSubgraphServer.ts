import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, type ApolloServerPlugin, type GraphQLRequestListener } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { printSubgraphSchema } from '@apollo/subgraph';
import {
  activeSpan,
  cacheControlOf,
  connectRedisLink,
  createLogger,
  describeError,
  DEFAULT_MAX_VARIABLE_DEPTH,
  forbidden,
  FrontDoor,
  graphqlEndpoint,
  inRequest,
  inSpan,
  errorMasker,
  INTERNAL_PROOF_HEADER,
  isInternalCall,
  metricsRoute,
  resolveIdentity,
  StorableTextRule,
  TokenVerifier,
  traceResponse,
  type Inbound,
  type Logger,
  type OperationLimits,
  type RateLimit,
  type RedisLink,
  type RunningServer,
  type TrustConfig,
} from '@partnergraph/common';
import { PURPOSE_HEADER } from '@partnergraph/vocabulary';
import { defaultFieldResolver, NoSchemaIntrospectionCustomRule, type GraphQLSchema, type ValidationRule } from 'graphql';
import { directCallerAdmission } from './admission.js';
import { DisclosureLog, logWriteFailure } from './audit/DisclosureLog.js';
import { RequestAudit } from './audit/RequestAudit.js';
import { RequestAuthorizer } from './authz/RequestAuthorizer.js';
import type { PolicyEngine } from './authz/PolicyEngine.js';
import type { ResourceRegistry } from './authz/resources.js';
import type { SubgraphContext } from './context.js';
import type { Database } from './db/Database.js';
import { subscriptionRoute } from './subscriptions.js';
import { peerCaller, type PeerUrls } from './peers.js';
import { SubgraphMetrics } from './SubgraphMetrics.js';

/** How a request arrived (see `arrival` in createSubgraphServer). */
interface Arrival {
  viaGateway: boolean;
  requestId: string;
}

export interface SubgraphServerOptions<Loaders> {
  /** Owner name: `police`, `municipality`, `housing`. */
  name: string;
  schema: GraphQLSchema;
  db: Database;
  trust: TrustConfig | TokenVerifier;
  policies: PolicyEngine;
  resources: ResourceRegistry;
  /** Per-request DataLoaders, reached through the context. */
  loaders: (db: Database, authz: RequestAuthorizer) => Loaders;
  /** Default organisation recorded as data owner in log rows. */
  ownerOrganisation: string;
  /** Policy checks off: for the owner's benchmark baseline only. */
  enforcePolicies?: boolean;
  logger?: Logger;
  maxBodyBytes?: number;
  /** Other owners' subgraphs this one checks with (a referral with the housing companies, a case with the police). */
  peers?: PeerUrls;
  peerTimeoutMs?: number;
  /** Development: introspection, field suggestions and `_service` for anyone. Off by default, as at the gateway. */
  development?: boolean;
  /** Callers who bypass the gateway: the gateway's rate limits (default: its defaults; `false`: off, benchmarks only). */
  rateLimit?: RateLimit | false;
  /** The gateway's operation limits, for the analysts' cost budget of callers who bypass it. */
  limits?: OperationLimits;
  /** Subscriptions open at once per principal for callers who bypass the gateway, counted with the rate limits (in Redis when shared) (STREAMS_PER_PRINCIPAL; 0: unbounded). */
  streamsPerPrincipal?: number;
  /**
   * REDIS_URL: the rate limits count there, shared by every process of this
   * owner (keys under `redisPrefix`); while Redis is down, in this process.
   */
  redisUrl?: string;
  /** REDIS_PREFIX, as at the gateway (default `partnergraph:`). */
  redisPrefix?: string;
  /** The deployment's internal key (PARTNERGRAPH_INTERNAL_KEY): how the gateway's own fetches are known. */
  internalKey?: string;
  /** The scraper's bearer token for `/metrics` (METRICS_TOKEN); unset: served in development only. */
  metricsToken?: string;
}

/**
 * `_service { sdl }` is for the composition's own caller only (a request
 * proven internal): the composition reads the owners' schemas from their
 * code, and nobody else needs the full SDL with its directives.
 */
function guardServiceField(schema: GraphQLSchema): void {
  const field = schema.getQueryType()?.getFields()['_service'];
  if (!field) return;
  const resolve = field.resolve ?? defaultFieldResolver;
  field.resolve = (source, args, context: SubgraphContext, info) => {
    if (!context.viaGateway) throw forbidden();
    return resolve(source, args, context, info);
  };
}

type WillSendResponse = Parameters<NonNullable<GraphQLRequestListener<SubgraphContext>['willSendResponse']>>[0];

/**
 * The disclosure log is written before the response leaves the subgraph; if it
 * cannot be written, the data is withheld and the client gets AUDIT_UNAVAILABLE.
 * Then, with the answer final, the request is counted (operation, errors,
 * policy denials) and its span told what the rules decided.
 */
function disclosureLogPlugin(log: DisclosureLog, logger: Logger, metrics: SubgraphMetrics): ApolloServerPlugin<SubgraphContext> {
  const answer = async ({ contextValue, response, operation }: WillSendResponse) => {
    // The owner says what may be reused: cached, only answers made of cacheable types without
    // errors; shared with another request, only answers that disclosed nothing this log records
    // (each delivery of a disclosure must have its own row). A write's answer is never reused.
    const { maxAge } = contextValue.cache ?? { maxAge: 0 };
    const clean = response.body.kind === 'single' && !response.body.singleResult.errors?.length;
    const personal = !contextValue.audit || !contextValue.audit.isEmpty || operation?.operation !== 'query';
    response.http.headers.set('cache-control', cacheControlOf({ maxAge: clean ? maxAge : 0, personal }));
    if (!contextValue.audit || contextValue.audit.isEmpty) return;
    const entries = contextValue.audit.drain();
    try {
      await inSpan('disclosure_log.append', { 'partnergraph.disclosure.rows': entries.length }, () => log.append(entries));
      metrics.disclosureWrites.inc({ outcome: 'written' });
      metrics.disclosureRows.inc(entries.length);
    } catch (error) {
      metrics.disclosureWrites.inc({ outcome: 'failed' });
      logger.error({ err: (error as Error).message, requestId: contextValue.requestId }, 'disclosure log write failed; response withheld');
      const body = logWriteFailure(error);
      response.http.status = 503;
      response.http.headers.set('cache-control', 'no-store');
      response.body = { kind: 'single', singleResult: { data: null, errors: [{ message: body.message, extensions: body.extensions }] } };
    }
  };
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async didResolveOperation({ contextValue, operation, operationName }) {
          if (!operation) return;
          const roots = operation.selectionSet.selections
            .map((s) => (s.kind === 'Field' ? s.name.value : s.kind))
            .join(',');
          contextValue.audit.operation = `${operation.operation} ${operationName ?? 'anonymous'} {${roots}}`;
        },
        async willSendResponse(request) {
          try {
            await answer(request);
          } finally {
            recordRequest(metrics, request, (performance.now() - started) / 1000);
          }
        },
      };
    },
  };
}

/** Counts one answered request and summarises its policy decisions on its span: action names and counts, never rows. */
function recordRequest(metrics: SubgraphMetrics, { contextValue, response, operation, operationName }: WillSendResponse, seconds: number): void {
  const type = operation?.operation ?? 'unresolved';
  const label = metrics.operation(operationName);
  metrics.requests.inc({ type, operation: label });
  metrics.duration.observe({ type }, seconds);
  const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
  for (const error of errors) metrics.errors.inc({ operation: label, code: String(error.extensions?.['code'] ?? 'UNKNOWN') });
  const denied = contextValue.authz ? [...contextValue.authz.denied].sort() : [];
  for (const action of denied) metrics.policyDenials.inc({ action });
  activeSpan().setAttributes({
    'graphql.operation.type': type,
    ...(operationName ? { 'graphql.operation.name': operationName } : {}),
    'partnergraph.policy.decisions': contextValue.authz?.decisions ?? 0,
    'partnergraph.policy.denied_actions': denied.join(','),
    'partnergraph.errors': errors.length,
  });
}

export interface SubgraphServer {
  apollo: ApolloServer<SubgraphContext>;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** The subgraph without a socket: the same front door, for in-process tests. */
  fetch(request: Request): Promise<Response>;
  disclosureLog: DisclosureLog;
  /** What `/metrics` serves. */
  metrics: SubgraphMetrics;
  sdl: string;
  start(): Promise<void>;
  listen(port: number, host?: string): Promise<RunningServer>;
  stop(): Promise<void>;
}

/** The parser's token limit at a subgraph: query plans of the gateway's largest operations fit. */
const MAX_TOKENS = 5000;

export function createSubgraphServer<Loaders>(options: SubgraphServerOptions<Loaders>): SubgraphServer {
  const logger = options.logger ?? createLogger(`subgraph-${options.name}`);
  const verifier = options.trust instanceof TokenVerifier ? options.trust : new TokenVerifier(options.trust);
  const disclosureLog = new DisclosureLog(options.db);
  const metrics = new SubgraphMetrics(options.name);
  options.db.observer = metrics.database;
  const enforce = options.enforcePolicies ?? true;
  // One line when the database stops answering and one when it is back; requests meanwhile fail with SUBGRAPH_UNAVAILABLE.
  options.db.onAvailability = (available, cause) =>
    available
      ? logger.info('database answers again')
      : logger.error({ err: cause?.message }, 'database unavailable: requests fail with SUBGRAPH_UNAVAILABLE and /ready is 503 until it answers');
  const maskError = errorMasker(logger);
  const development = options.development ?? false;
  if (!development) guardServiceField(options.schema);
  // The owner's own operation limits: looser than the gateway's (query plans
  // add a level for _entities and alias conflicting fields), but a caller who
  // bypasses the gateway meets limits all the same.
  const armor = new ApolloArmor({
    maxDepth: { n: 16, flattenFragments: true },
    maxAliases: { n: 60 },
    // Counted by the parser itself (parseOptions below): an over-long or malformed document is a 400, not a plugin failure (500).
    maxTokens: { enabled: false },
    maxDirectives: { n: 30 },
    costLimit: { maxCost: 250_000, objectCost: 2, scalarCost: 1, depthCostFactor: 1.5, flattenFragments: true },
    // Suggestions ("did you mean …") tell strangers about the schema.
    blockFieldSuggestion: { enabled: !development },
  }).protect();
  const validationRules = [...(armor.validationRules as ValidationRule[]), StorableTextRule];
  const apollo = new ApolloServer<SubgraphContext>({
    schema: options.schema,
    includeStacktraceInErrorResponses: false,
    // Off outside development, as at the gateway: whoever holds a token learns no more of the schema than its operations show.
    introspection: development,
    hideSchemaDetailsFromClientErrors: !development,
    formatError: maskError,
    // No inline traces: timings per field are not for callers to see.
    plugins: [
      // armor is typed against Apollo's CommonJS build; the plugins are the same objects.
      ...(armor.plugins as unknown as ApolloServerPlugin<SubgraphContext>[]),
      disclosureLogPlugin(disclosureLog, logger, metrics),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
    ],
    validationRules,
    parseOptions: { maxTokens: MAX_TOKENS },
    allowBatchedHttpRequests: false,
    // The process entry stops the server itself; two stoppers on SIGTERM hang.
    stopOnTerminationSignals: false,
  });
  let running: RunningServer | undefined;

  /**
   * Whether a request proved it came from the gateway or a peer owner, and its
   * request id: theirs when proven, else ours (the disclosure log records it,
   * so no other caller chooses it).
   */
  const arrival = (header: (name: string) => string | undefined): Arrival => {
    const viaGateway = isInternalCall(options.internalKey, header(INTERNAL_PROOF_HEADER), header('authorization'), header(PURPOSE_HEADER));
    return { viaGateway, requestId: (viaGateway ? header('x-request-id') : undefined) ?? randomUUID() };
  };
  /** `front`: what the front door already decided for this request (see `arrival`). */
  const context = async (header: (name: string) => string | undefined, front?: Arrival) => {
    const identity = await resolveIdentity(header, verifier, (reason) => logger.warn({ reason }, 'request refused: token')).catch((error: unknown) => {
      // Refused before execution (no token, a bad one, no purpose): counted here, as Apollo never sees it.
      const label = metrics.operation(undefined);
      metrics.requests.inc({ type: 'unresolved', operation: label });
      metrics.errors.inc({ operation: label, code: String((error as { extensions?: Record<string, unknown> }).extensions?.['code'] ?? 'UNKNOWN') });
      throw error;
    });
    const { viaGateway, requestId } = front ?? arrival(header);
    const authz = new RequestAuthorizer(options.policies, options.resources, identity, enforce);
    const audit = new RequestAudit(requestId, identity, options.ownerOrganisation);
    return {
      requestId,
      identity,
      viaGateway,
      authz,
      audit,
      db: options.db,
      disclosureLog,
      log: logger,
      cache: { maxAge: Number.POSITIVE_INFINITY },
      loaders: options.loaders(options.db, authz),
      peers: peerCaller(
        options.peers ?? (() => undefined),
        { authorization: header('authorization'), purpose: identity.purpose, requestId, traceparent: header('traceparent') },
        { logger, internalKey: options.internalKey, ...(options.peerTimeoutMs ? { timeoutMs: options.peerTimeoutMs } : {}) },
      ),
    } satisfies SubgraphContext<Loaders>;
  };

  const admission = directCallerAdmission({
    rateLimit: options.rateLimit,
    limits: options.limits,
    maxTokens: MAX_TOKENS,
    streamsPerPrincipal: options.streamsPerPrincipal,
    onRefusal: (limit) => metrics.rateLimited.inc({ limit }),
  });
  // Connected on start (ioredis is loaded only when configured); until then, and while it is down, counters are in-process.
  let link: RedisLink | undefined;
  let linking: Promise<void> | undefined;
  const connectRedis = (url: string) =>
    (linking ??= (async () => {
      metrics.redisAvailable.set(0);
      link = await connectRedisLink(url, { logger, onChange: (available) => metrics.redisAvailable.set(available ? 1 : 0) });
      admission.shareThrough(link, `${options.redisPrefix ?? 'partnergraph:'}rl:${options.name}:`, () => metrics.redisFallback.inc());
      if (!(await link.connected(2000))) logger.warn('Redis not reachable at start: rate limits and open streams count in this process until it is');
    })());
  const start = async () => {
    if (options.redisUrl) await connectRedis(options.redisUrl);
    await apollo.start();
  };

  // Decided once per request, before its trace starts; the context reads it.
  const arrivals = new WeakMap<Inbound, Arrival>();
  const endpoint = graphqlEndpoint<SubgraphContext>({
    apollo,
    context: (inbound) => context((name) => inbound.header(name), arrivals.get(inbound)),
    limits: { maxBodyBytes: options.maxBodyBytes ?? 512 * 1024, maxVariableDepth: DEFAULT_MAX_VARIABLE_DEPTH },
    formatError: maskError,
    admit: admission.admit,
  });
  const door = new FrontDoor({
    service: `subgraph-${options.name}`,
    // Each request in its trace: the gateway's or a peer's continued (its fetch span as parent when tracing is on), anyone else's new.
    graphql: (inbound) => {
      const front = arrival((name) => inbound.header(name));
      arrivals.set(inbound, front);
      return inRequest('POST /graphql', { traceparent: inbound.header('traceparent'), trusted: front.viaGateway }, { 'partnergraph.owner': options.name }, async (_span, trace) => {
        const answer = await endpoint(inbound);
        return { ...answer, headers: { ...answer.headers, 'x-request-id': front.requestId, traceresponse: traceResponse(trace) } };
      });
    },
    ready: async () => {
      try {
        await options.db.query('SELECT 1');
        return { ready: true, subgraph: options.name };
      } catch {
        return { ready: false, subgraph: options.name, database: 'unavailable' };
      }
    },
    streams: options.schema.getSubscriptionType()
      ? {
          '/graphql/stream': subscriptionRoute({
            schema: options.schema,
            context,
            disclosureLog,
            validationRules: [...validationRules, ...(development ? [] : [NoSchemaIntrospectionCustomRule])],
            maxBodyBytes: options.maxBodyBytes ?? 512 * 1024,
            formatError: maskError,
            admit: admission.admitStream,
          }),
        }
      : undefined,
    routes: {
      // Not for the world: the scraper's token (METRICS_TOKEN), or development.
      '/metrics': metricsRoute(async () => ({ contentType: metrics.registry.contentType, body: await metrics.registry.metrics() }), {
        token: options.metricsToken,
        development,
      }),
    },
    onError: (error, correlationId) => logger.error({ correlationId, err: describeError(error) }, 'request failed'),
  });

  return {
    apollo,
    metrics,
    handler: door.listener,
    fetch: (request) => door.fetch(request),
    disclosureLog,
    sdl: printSubgraphSchema(options.schema),
    start,
    async listen(port, host = '127.0.0.1') {
      await start();
      running = await door.listen(port, host);
      logger.info({ url: running.url, node: process.version }, `${options.name} subgraph listening (Node.js ${process.version})`);
      return running;
    },
    async stop() {
      await running?.close();
      await apollo.stop();
      link?.stop();
      link?.redis.disconnect();
    },
  };
}
