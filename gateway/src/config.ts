import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS, internalKeyFromEnv, loadTrustConfig, operationLimitsFromEnv, rateLimitFromEnv, streamsPerPrincipalFromEnv, type OperationLimits, type RateLimit, type TrustConfig } from '@partnergraph/common';
import type { AuthMode } from './identity.js';

export interface GatewayConfig {
  host: string;
  port: number;
  /** Path of the supergraph SDL file: any Federation 2 supergraph, not only ours. */
  supergraphPath: string;
  /** Reload the supergraph when its file changes (SIGHUP always reloads it). */
  supergraphWatch: boolean;
  /** Optionally, a URL the supergraph is polled from, every `supergraphPollMs`. */
  supergraphUrl?: string | undefined;
  supergraphPollMs?: number | undefined;
  /** Subgraph URLs by subgraph name, overriding those in the supergraph. */
  subgraphUrls: Record<string, string>;
  auth: AuthMode;
  trust?: TrustConfig | undefined;
  /** Redis for persisted queries, rate limits and the answer cache; absent = in-process only. */
  redisUrl?: string | undefined;
  /** Prefix of every Redis key: one per deployment, shared by its gateway processes. */
  redisPrefix: string;
  /** Development: the development issuer's routes (with `devIssuerKeys`). Introspection and suggestions are on for every verified token either way. */
  development: boolean;
  limits: OperationLimits;
  maxBodyBytes: number;
  subgraphTimeoutMs: number;
  circuit: { failureThreshold: number; openMs: number };
  /** Identical in-flight subgraph fetches share one call. */
  subgraphDedup: boolean;
  /** Identical in-flight queries of one principal share one execution. */
  inboundDedup: boolean;
  /** Apollo's result shaping compiled once per operation (compiledShaping.ts); process-wide once on. */
  compiledShaping: boolean;
  /** Answers the owners marked cacheable are cached, keyed by access scope. */
  responseCache: boolean;
  rateLimit?: RateLimit | undefined;
  /** Subscriptions one principal may hold open at once, all gateway processes sharing Redis together (default DEFAULT_STREAMS_PER_PRINCIPAL; 0: unbounded). */
  streamsPerPrincipal?: number | undefined;
  /** Apps may run only registered operations; analysts may also send ad-hoc queries. */
  safelist: boolean;
  /** Registered operations (schema/persisted-operations.json). */
  manifestPath?: string | undefined;
  /** Draining time on shutdown. */
  shutdownGraceMs: number;
  /** Bounds of the per-query caches (see the README, "Memory"). */
  memory: MemoryBudget;
  /** The built app (apps/web/dist) to serve at `/`; absent: no app. */
  appDir?: string | undefined;
  /** The built workbench (apps/workbench/dist) for `GET /graphql` from a browser, `/workbench`, and `/` when there is no app; absent: none. */
  workbenchDir?: string | undefined;
  /** Development only: the development issuer's key folder, for `/dev/personas` and `/dev/token`. */
  devIssuerKeys?: string | undefined;
  /** Shared with every subgraph (PARTNERGRAPH_INTERNAL_KEY): proves a fetch comes from the gateway. */
  internalKey?: string | undefined;
  /** Bearer token a metrics scraper sends for `/metrics`; unset: `/metrics` is served in development only. */
  metricsToken?: string | undefined;
  /** Where subscriptions hear of events: the owners' own streams, or Redis pub/sub (the default where Redis is configured). */
  events?: 'owner' | 'redis' | undefined;
}

export interface MemoryBudget {
  /** Parsed and validated documents, estimated heap bytes. */
  documentBytes: number;
  /** Apollo Gateway's query plans, estimated heap bytes. */
  queryPlanBytes: number;
  /** In-process store (answers and persisted query texts while Redis is absent or down), bytes. */
  storeBytes: number;
}

export const DEFAULT_MEMORY: MemoryBudget = { documentBytes: 32 * 1024 * 1024, queryPlanBytes: 32 * 1024 * 1024, storeBytes: 64 * 1024 * 1024 };

const MB = 1024 * 1024;
const fromRoot = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const flag = (value: string | undefined, fallback: boolean) => (value === undefined ? fallback : ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()));
const num = (value: string | undefined, fallback: number) => (value === undefined || value === '' ? fallback : Number(value));

/** GATEWAY_WORKBENCH_DIR, or the built workbench beside the gateway when there is one; `off` for none. */
function workbenchDirFromEnv(value: string | undefined): string | undefined {
  if (value === 'off') return undefined;
  if (value) return value;
  const built = fromRoot('apps/workbench/dist');
  return existsSync(join(built, 'index.html')) ? built : undefined;
}

/** Configuration from the environment; the README lists every variable. */
export function gatewayConfigFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const dataDir = env['PARTNERGRAPH_DATA_DIR'] ?? '.data';
  const subgraphUrls: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(key);
    if (match && value) subgraphUrls[match[1]!.toLowerCase()] = value;
  }
  const auth = (env['GATEWAY_AUTH'] ?? 'jwt') as AuthMode;
  const events = env['GATEWAY_EVENTS'] || undefined;
  if (events !== undefined && events !== 'owner' && events !== 'redis') throw new Error('GATEWAY_EVENTS must be owner or redis.');
  if (auth !== 'jwt' && auth !== 'test-principal') throw new Error('GATEWAY_AUTH must be jwt or test-principal.');
  return {
    host: env['HOST'] ?? '127.0.0.1',
    port: num(env['GATEWAY_PORT'], 4000),
    supergraphPath: env['SUPERGRAPH_PATH'] ?? fromRoot('schema/supergraph.graphql'),
    supergraphWatch: flag(env['SUPERGRAPH_WATCH'], true),
    supergraphUrl: env['SUPERGRAPH_URL'] || undefined,
    supergraphPollMs: num(env['SUPERGRAPH_POLL_SECONDS'], 30) * 1000,
    subgraphUrls,
    auth,
    trust: auth === 'jwt' ? loadTrustConfig(env, join(dataDir, 'trust.json')) : undefined,
    redisUrl: env['REDIS_URL'] || undefined,
    redisPrefix: env['REDIS_PREFIX'] ?? 'partnergraph:',
    development: flag(env['GATEWAY_DEVELOPMENT'], env['NODE_ENV'] === 'development'),
    limits: operationLimitsFromEnv(env),
    maxBodyBytes: num(env['MAX_BODY_BYTES'], 64 * 1024),
    subgraphTimeoutMs: num(env['SUBGRAPH_TIMEOUT_MS'], 10_000),
    circuit: { failureThreshold: num(env['CIRCUIT_FAILURES'], 5), openMs: num(env['CIRCUIT_OPEN_MS'], 10_000) },
    subgraphDedup: flag(env['GATEWAY_SUBGRAPH_DEDUP'], true),
    inboundDedup: flag(env['GATEWAY_INBOUND_DEDUP'], true),
    compiledShaping: flag(env['GATEWAY_COMPILED_SHAPING'], true),
    responseCache: flag(env['GATEWAY_RESPONSE_CACHE'], true),
    rateLimit: rateLimitFromEnv(env),
    streamsPerPrincipal: streamsPerPrincipalFromEnv(env),
    safelist: flag(env['GATEWAY_SAFELIST'], false),
    manifestPath: env['PERSISTED_OPERATIONS_PATH'] ?? fromRoot('schema/persisted-operations.json'),
    shutdownGraceMs: num(env['SHUTDOWN_GRACE_MS'], 10_000),
    memory: {
      documentBytes: num(env['GATEWAY_DOCUMENT_CACHE_MB'], DEFAULT_MEMORY.documentBytes / MB) * MB,
      queryPlanBytes: num(env['GATEWAY_QUERY_PLAN_CACHE_MB'], DEFAULT_MEMORY.queryPlanBytes / MB) * MB,
      storeBytes: num(env['GATEWAY_MEMORY_STORE_MB'], DEFAULT_MEMORY.storeBytes / MB) * MB,
    },
    appDir: env['GATEWAY_APP_DIR'] || undefined,
    workbenchDir: workbenchDirFromEnv(env['GATEWAY_WORKBENCH_DIR']),
    devIssuerKeys: env['GATEWAY_DEV_ISSUER'] || undefined,
    metricsToken: env['METRICS_TOKEN'] || undefined,
    internalKey: internalKeyFromEnv(env),
    events,
  };
}


/** A config for tests and embedding: everything on, in-process stores, nothing read from the environment. */
export function gatewayConfig(overrides: Partial<GatewayConfig> & Pick<GatewayConfig, 'supergraphPath'>): GatewayConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    supergraphWatch: false,
    subgraphUrls: {},
    auth: 'jwt',
    redisPrefix: 'partnergraph:',
    development: false,
    limits: DEFAULT_LIMITS,
    maxBodyBytes: 64 * 1024,
    subgraphTimeoutMs: 10_000,
    circuit: { failureThreshold: 5, openMs: 10_000 },
    subgraphDedup: true,
    inboundDedup: true,
    compiledShaping: true,
    responseCache: true,
    safelist: false,
    manifestPath: fromRoot('schema/persisted-operations.json'),
    shutdownGraceMs: 10_000,
    memory: DEFAULT_MEMORY,
    ...overrides,
  };
}
