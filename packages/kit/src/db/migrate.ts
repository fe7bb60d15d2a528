import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './Database.js';

export interface Migration {
  /** e.g. `police/001_initial` — unique across the sets applied to one database. */
  id: string;
  sql: string;
}

/** Reads `NNN_name.sql` files of a folder, in order, as migrations of `namespace`. */
export function migrationsFromFolder(namespace: string, folder: string): Migration[] {
  return readdirSync(folder)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ id: `${namespace}/${f.replace(/\.sql$/, '')}`, sql: readFileSync(join(folder, f), 'utf8') }));
}

const checksum = (sql: string) => createHash('sha256').update(sql).digest('hex');

/**
 * Applies pending migrations, each in its own transaction, and refuses to run
 * when an applied migration's file has changed since (a migration is history).
 */
export async function migrate(db: Database, migrations: Migration[]): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied = new Map(
    (await db.query<{ id: string; checksum: string }>('SELECT id, checksum FROM schema_migrations')).map((r) => [r.id, r.checksum]),
  );
  const done: string[] = [];
  for (const migration of migrations) {
    const sum = checksum(migration.sql);
    const previous = applied.get(migration.id);
    if (previous) {
      if (previous !== sum) throw new Error(`Migration ${migration.id} was changed after it was applied.`);
      continue;
    }
    await db.transaction(async (tx) => {
      // Serialises concurrent starters on PostgreSQL; harmless on PGlite.
      await tx.query('SELECT pg_advisory_xact_lock(424242)');
      const again = await tx.query('SELECT 1 FROM schema_migrations WHERE id = $1', [migration.id]);
      if (again.length) return;
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)', [migration.id, sum]);
      done.push(migration.id);
    }, { untimed: true });
  }
  return done;
}

/**
 * Splits a script on top-level semicolons, keeping `$$` bodies (functions,
 * triggers) whole, so each statement runs inside the migration's transaction.
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let current = '';
  let inDollar = false;
  let inLineComment = false;
  let inQuote = false;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (inLineComment) {
      if (ch === '\n') inLineComment = false;
      continue;
    }
    if (!inDollar && ch === "'") inQuote = !inQuote;
    if (inQuote) {
      current += ch;
      continue;
    }
    if (!inDollar && ch === '-' && sql[i + 1] === '-') {
      inLineComment = true;
      continue;
    }
    if (ch === '$' && sql[i + 1] === '$') {
      inDollar = !inDollar;
      current += '$$';
      i++;
      continue;
    }
    if (ch === ';' && !inDollar) {
      if (current.trim()) out.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
