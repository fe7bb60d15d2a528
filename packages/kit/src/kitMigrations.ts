import { fileURLToPath } from 'node:url';
import { migrationsFromFolder, type Migration } from './db/migrate.js';

/** Tables every subgraph database has (the disclosure log), applied before the owner's own. */
export function kitMigrations(): Migration[] {
  return migrationsFromFolder('kit', fileURLToPath(new URL('../migrations/', import.meta.url)));
}
