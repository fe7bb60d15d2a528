import { join } from 'node:path';
import { createLogger, loadTrustConfig, type TrustConfig } from '@partnergraph/common';
import type { Database } from './db/Database.js';
import { openDatabase } from './db/openDatabase.js';
import { pruneIdempotencyKeys } from './mutations.js';
import type { SubgraphServer } from './createSubgraphServer.js';
import { peerUrlsFromEnv, type PeerUrls } from './peers.js';

export interface ServeOptions {
  /** `police`, `municipality`, `housing`: also the env prefix (POLICE_DATABASE_URL, POLICE_PORT). */
  name: string;
  defaultPort: number;
  create: (options: { db: Database; trust: TrustConfig; peers: PeerUrls; peerTimeoutMs?: number }) => Promise<SubgraphServer>;
  seed: (db: Database) => Promise<boolean>;
  /** Work the owner's process does beside answering (e.g. delivering webhooks); stopped before the server. */
  workers?: (db: Database, env: NodeJS.ProcessEnv) => Promise<BackgroundWorker[]>;
}

export interface BackgroundWorker {
  start(): void;
  /** Finishes what it has begun, then stops. */
  stop(): Promise<void>;
}

/**
 * The process entry of a subgraph: configuration from the environment, its own
 * database (PostgreSQL when `<NAME>_DATABASE_URL` is set, else PGlite under the
 * data folder), seeding on first start, and a clean stop on SIGINT/SIGTERM.
 */
export async function serveSubgraph(options: ServeOptions, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const prefix = options.name.toUpperCase();
  const logger = createLogger(`subgraph-${options.name}`);
  const dataDir = env['PARTNERGRAPH_DATA_DIR'] ?? '.data';
  const url = env[`${prefix}_DATABASE_URL`];
  const db = await openDatabase({ url, dataDir: url ? undefined : join(dataDir, options.name), applicationName: `partnergraph-${options.name}` });
  const trust = loadTrustConfig(env, join(dataDir, 'trust.json'));
  const peerTimeoutMs = Number(env['PEER_TIMEOUT_MS'] ?? 0);
  const server = await options.create({ db, trust, peers: peerUrlsFromEnv(env), ...(peerTimeoutMs > 0 ? { peerTimeoutMs } : {}) });
  if ((env['PARTNERGRAPH_SEED'] ?? 'default') !== 'none') {
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
  const workers = (await options.workers?.(db, env)) ?? [];
  for (const worker of workers) worker.start();
  const port = Number(env[`${prefix}_PORT`] ?? options.defaultPort);
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
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
