import { createHash } from 'node:crypto';
import { badInput, ErrorCode, graphqlError, notFound } from '@partnergraph/common';
import type { DisclosureEntry } from './audit/DisclosureLog.js';
import { canonicalJson } from './audit/RequestAudit.js';
import type { SubgraphContext } from './context.js';
import type { Queryable, Transaction } from './db/Database.js';

export const conflict = (what: string) =>
  graphqlError(ErrorCode.CONFLICT, `${what} was changed by someone else since you read it; reload it and apply your change again.`);

export interface MutationWork<T> {
  result: T;
  /** Change-log rows, written in the same transaction as the change. */
  changes: DisclosureEntry[];
}

/**
 * Runs a mutation the way every owner's mutations run: in one transaction
 * with its change-log rows (no change without its log row), and idempotent
 * under retry — the same principal sending the same key and input gets the
 * first answer again; the same key with another input is refused.
 */
export async function runMutation<T>(
  ctx: SubgraphContext,
  options: {
    name: string;
    idempotencyKey: string | null | undefined;
    input: unknown;
    work: (tx: Transaction) => Promise<MutationWork<T>>;
  },
): Promise<T> {
  const key = options.idempotencyKey;
  if (key !== undefined && key !== null && !/^[\w-]{8,128}$/.test(key)) {
    throw badInput('idempotencyKey must be 8–128 letters, digits, - or _ (a UUID will do).', 'idempotencyKey');
  }
  const principal = `${ctx.identity.principal.issuer}#${ctx.identity.principal.subject}`;
  const requestHash = createHash('sha256').update(`${options.name}\n${canonicalJson(options.input)}`).digest('hex');
  return ctx.db.transaction(async (tx) => {
    if (key) {
      const claimed = await tx.query<{ principal: string }>(
        `INSERT INTO idempotency_keys (principal, key, operation, request_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT (principal, key) DO NOTHING RETURNING principal`,
        [principal, key, options.name, requestHash],
      );
      if (claimed.length === 0) {
        // Someone (this principal, earlier) used the key: replay or refuse. FOR UPDATE waits for a concurrent twin.
        const [previous] = await tx.query<{ request_hash: string; response: { value: T } | null }>(
          'SELECT request_hash, response FROM idempotency_keys WHERE principal = $1 AND key = $2 FOR UPDATE',
          [principal, key],
        );
        if (!previous || previous.request_hash !== requestHash) {
          throw graphqlError(ErrorCode.CONFLICT, 'This idempotency key was already used for a different request.');
        }
        if (previous.response !== null) return previous.response.value;
      }
    }
    const { result, changes } = await options.work(tx);
    await ctx.disclosureLog.append(changes, tx);
    if (key) {
      // Wrapped, so that a null answer is remembered as an answer.
      await tx.query('UPDATE idempotency_keys SET response = $3 WHERE principal = $1 AND key = $2', [principal, key, JSON.stringify({ value: result })]);
    }
    return result;
  });
}

/**
 * Optimistic concurrency: an UPDATE … WHERE id AND version that touched no row
 * means the record is gone (or hidden) or someone else changed it first.
 */
export async function assertUpdated<T>(tx: Queryable, rows: T[], table: string, id: string, what: string): Promise<T> {
  if (rows[0]) return rows[0];
  const exists = await tx.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id]);
  throw exists.length ? conflict(what) : notFound(what);
}

/** Idempotency keys protect retries, not history: forget them after a day (the daily job calls this). */
export async function pruneIdempotencyKeys(db: Queryable, olderThanHours = 24): Promise<number> {
  const rows = await db.query<{ key: string }>(
    `DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1) RETURNING key`,
    [olderThanHours],
  );
  return rows.length;
}
