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
  preparedStatements?: number;
}

/**
 * A serving process's database settings from the environment: time limits
 * (`DATABASE_QUERY_TIMEOUT_MS`, default 8000, below the gateway's 10 s per
 * subgraph fetch; `DATABASE_CONNECT_TIMEOUT_MS`, default 5000; 0 = none) and
 * how many statements each connection keeps prepared
 * (`DATABASE_PREPARED_STATEMENTS`, default 1000; 0 = none).
 */
export function databaseSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): { queryTimeoutMs: number; connectTimeoutMs: number; preparedStatements: number } {
  const num = (name: string, fallback: number) => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a whole number of 0 or more (was ${JSON.stringify(value)}).`);
    return parsed;
  };
  return {
    queryTimeoutMs: num('DATABASE_QUERY_TIMEOUT_MS', 8000),
    connectTimeoutMs: num('DATABASE_CONNECT_TIMEOUT_MS', 5000),
    preparedStatements: num('DATABASE_PREPARED_STATEMENTS', 1000),
  };
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    return new PostgresDatabase(options.url, {
      ...(options.applicationName ? { applicationName: options.applicationName } : {}),
      ...(options.poolSize ? { max: options.poolSize } : {}),
      ...(options.queryTimeoutMs ? { queryTimeoutMs: options.queryTimeoutMs } : {}),
      ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
      ...(options.preparedStatements !== undefined ? { preparedStatements: options.preparedStatements } : {}),
    });
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  return PgliteDatabase.open(options.dataDir);
}
