import { join } from 'node:path';
import { createLogger, internalKeyFromEnv, loadTrustConfig, operationLimitsFromEnv, rateLimitFromEnv, startTelemetry, streamsPerPrincipalFromEnv, stopTelemetry } from '@partnergraph/common';
import type { Database } from './db/Database.js';
import { databaseSettingsFromEnv, openDatabase } from './db/openDatabase.js';
import type { Subgraph } from './defineSubgraph.js';
import { pruneIdempotencyKeys } from './mutations.js';
import { peerUrlsFromEnv } from './peers.js';

export interface ServeOptions {
  /**
   * Development only: loads data into an empty database after start (the
   * launcher passes the synthetic partnership; a production entry passes nothing).
   */
  seed?: (db: Database) => Promise<boolean>;
}

export interface BackgroundWorker {
  start(): void;
  /** Finishes what it has begun, then stops. */
  stop(): Promise<void>;
}

/**
 * The process entry of a subgraph: configuration from the environment
 * (`<NAME>_PORT`, `<NAME>_DATABASE_URL`, the name from the owner's registry
 * block), its own database (PostgreSQL when `<NAME>_DATABASE_URL` is set, else
 * PGlite under the data folder), and a clean stop on SIGINT/SIGTERM.
 */
export async function serveSubgraph(subgraph: Subgraph, options: ServeOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const prefix = subgraph.name.toUpperCase();
  const logger = createLogger(`subgraph-${subgraph.name}`);
  // Traces are exported only when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise nothing of OpenTelemetry is loaded.
  if (await startTelemetry(`subgraph-${subgraph.name}`, env)) logger.info('exporting traces over OTLP/HTTP');
  const dataDir = env['PARTNERGRAPH_DATA_DIR'] ?? '.data';
  const url = env[`${prefix}_DATABASE_URL`];
  const db = await openDatabase({ url, dataDir: url ? undefined : join(dataDir, subgraph.name), applicationName: `partnergraph-${subgraph.name}`, ...databaseSettingsFromEnv(env) });
  const trust = loadTrustConfig(env, join(dataDir, 'trust.json'));
  const peerTimeoutMs = Number(env['PEER_TIMEOUT_MS'] ?? 0);
  const internalKey = internalKeyFromEnv(env);
  // The gateway's development switch, limits and rate limits, read from the same variables.
  const development = ['1', 'true', 'yes', 'on'].includes((env['SUBGRAPH_DEVELOPMENT'] ?? env['GATEWAY_DEVELOPMENT'] ?? '').toLowerCase()) || env['NODE_ENV'] === 'development';
  if (!internalKey) logger.warn('PARTNERGRAPH_INTERNAL_KEY not set: the gateway\'s fetches count against rate limits here as direct calls do');
  const server = await subgraph.create({
    db,
    trust,
    peers: peerUrlsFromEnv(env),
    ...(peerTimeoutMs > 0 ? { peerTimeoutMs } : {}),
    development,
    rateLimit: rateLimitFromEnv(env) ?? false,
    limits: operationLimitsFromEnv(env),
    streamsPerPrincipal: streamsPerPrincipalFromEnv(env),
    // The gateway's Redis, when configured: every process of this owner counts the same direct caller once.
    ...(env['REDIS_URL'] ? { redisUrl: env['REDIS_URL'], redisPrefix: env['REDIS_PREFIX'] ?? 'partnergraph:' } : {}),
    ...(internalKey ? { internalKey } : {}),
    ...(env['METRICS_TOKEN'] ? { metricsToken: env['METRICS_TOKEN'] } : {}),
  });
  if (options.seed && (env['PARTNERGRAPH_SEED'] ?? 'default') !== 'none') {
    const seeded = await options.seed(db);
    logger.info({ seeded }, seeded ? 'seeded synthetic data' : 'data present, not seeded');
  }
  // Retention of the disclosure log (default about 6 months), pruned daily; the chain stays verifiable.
  const retentionDays = Number(env['DISCLOSURE_LOG_RETENTION_DAYS'] ?? 183);
  const prune = () =>
    Promise.all([
      server.disclosureLog.prune(retentionDays).then((n) => n && logger.info({ pruned: n, retentionDays }, 'pruned disclosure log')),
      pruneIdempotencyKeys(db),
    ]).catch((err: Error) => logger.error({ err: err.message }, 'daily pruning failed'));
  await prune();
  const pruning = setInterval(prune, 24 * 3600 * 1000);
  pruning.unref();
  const workers = (await subgraph.workers?.(db, env)) ?? [];
  for (const worker of workers) worker.start();
  const port = Number(env[`${prefix}_PORT`] ?? subgraph.defaultPort);
  await server.listen(port, env['HOST'] ?? '127.0.0.1');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining and stopping');
    clearInterval(pruning);
    await Promise.all(workers.map((w) => w.stop()));
    await server.stop();
    await db.close();
    await stopTelemetry();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
