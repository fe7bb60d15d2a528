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
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    return new PostgresDatabase(options.url, {
      ...(options.applicationName ? { applicationName: options.applicationName } : {}),
      ...(options.poolSize ? { max: options.poolSize } : {}),
    });
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  return PgliteDatabase.open(options.dataDir);
}
