import { mkdirSync } from 'node:fs';
import type { Database } from './Database.js';
import { PgliteDatabase } from './PgliteDatabase.js';
import { PostgresDatabase } from './PostgresDatabase.js';

export interface DatabaseOptions {
  /** A PostgreSQL URL; when absent the embedded PGlite is used. */
  url?: string | undefined;
  /** PGlite data folder; absent means in memory. */
  dataDir?: string | undefined;
  applicationName?: string;
  poolSize?: number;
  /** PostgreSQL only: see `PostgresOptions`. */
  queryTimeoutMs?: number;
  connectTimeoutMs?: number;
}

/**
 * A serving process's database time limits from the environment
 * (`DATABASE_QUERY_TIMEOUT_MS`, default 8000, below the gateway's 10 s per
 * subgraph fetch; `DATABASE_CONNECT_TIMEOUT_MS`, default 5000; 0 = none).
 */
export function databaseTimeoutsFromEnv(env: NodeJS.ProcessEnv = process.env): { queryTimeoutMs: number; connectTimeoutMs: number } {
  const num = (value: string | undefined, fallback: number) => (value === undefined || value === '' ? fallback : Number(value));
  return { queryTimeoutMs: num(env['DATABASE_QUERY_TIMEOUT_MS'], 8000), connectTimeoutMs: num(env['DATABASE_CONNECT_TIMEOUT_MS'], 5000) };
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    return new PostgresDatabase(options.url, {
      ...(options.applicationName ? { applicationName: options.applicationName } : {}),
      ...(options.poolSize ? { max: options.poolSize } : {}),
      ...(options.queryTimeoutMs ? { queryTimeoutMs: options.queryTimeoutMs } : {}),
      ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
    });
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  return PgliteDatabase.open(options.dataDir);
}
