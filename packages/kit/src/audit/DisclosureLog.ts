import { createHash } from 'node:crypto';
import { ErrorCode, graphqlError } from '@partnergraph/common';
import type { GraphQLError } from 'graphql';
import type { Database, Queryable } from '../db/Database.js';
import { Where } from '../db/where.js';
import { DatabaseUnavailable } from '../db/unavailable.js';

/** What one log row says: who, what, when, why, about whom, and the decision. */
export interface DisclosureEntry {
  at: Date;
  requestId: string;
  principal: string;
  organisation: string;
  roles: string[];
  purpose: string;
  operation: string;
  /** READ, SEARCH, CREATE, UPDATE, DENIED_FIELD … */
  action: string;
  entityType: string;
  entityIds: string[];
  dataSubjects: string[];
  fields: string[];
  /** The search criterion, as canonical JSON. */
  criterion: string | null;
  dataOwner: string;
  decision: 'PERMITTED' | 'DENIED';
  /** The W3C trace id of the request that made the disclosure; null outside a request. */
  traceId?: string | null;
}

export interface DisclosureRow extends DisclosureEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

export interface ChainVerification {
  ok: boolean;
  checkedRows: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** The first row (or gap) where the chain breaks. */
  brokenAtSeq: number | null;
  reason: string | null;
}

/**
 * The hash covers every column in a fixed order; JSON arrays keep it unambiguous.
 * The trace id is covered when present: it is how an auditor finds the request
 * behind a disclosure, so changing it must break the chain like any other
 * column. It is appended only when present, so rows written before it existed
 * (and rows outside a request) keep the hash they were written with.
 */
export function rowHash(prevHash: string, seq: number, e: DisclosureEntry): string {
  const fields: unknown[] = [
    seq,
    e.at.toISOString(),
    e.requestId,
    e.principal,
    e.organisation,
    e.roles,
    e.purpose,
    e.operation,
    e.action,
    e.entityType,
    e.entityIds,
    e.dataSubjects,
    e.fields,
    e.criterion,
    e.dataOwner,
    e.decision,
  ];
  if (e.traceId) fields.push(e.traceId);
  const canonical = JSON.stringify(fields);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

const COLUMNS =
  'seq, at, request_id, principal, organisation, roles, purpose, operation, action, entity_type, entity_ids, data_subjects, fields, criterion, data_owner, decision, prev_hash, hash, trace_id';

interface DbRow {
  seq: number;
  at: Date;
  request_id: string;
  principal: string;
  organisation: string;
  roles: string[];
  purpose: string;
  operation: string;
  action: string;
  entity_type: string;
  entity_ids: string[];
  data_subjects: string[];
  fields: string[];
  criterion: string | null;
  data_owner: string;
  decision: 'PERMITTED' | 'DENIED';
  prev_hash: string;
  hash: string;
  trace_id: string | null;
}

export function fromDb(r: DbRow): DisclosureRow {
  return {
    seq: Number(r.seq),
    at: r.at instanceof Date ? r.at : new Date(r.at),
    requestId: r.request_id,
    principal: r.principal,
    organisation: r.organisation,
    roles: r.roles,
    purpose: r.purpose,
    operation: r.operation,
    action: r.action,
    entityType: r.entity_type,
    entityIds: r.entity_ids,
    dataSubjects: r.data_subjects,
    fields: r.fields,
    criterion: r.criterion,
    dataOwner: r.data_owner,
    decision: r.decision,
    prevHash: r.prev_hash,
    hash: r.hash,
    traceId: r.trace_id,
  };
}

export interface LogQuery {
  /** An SQL condition over the log's columns (parameters appended to `params`): the rows the caller may review. */
  reviewable?: (params: unknown[]) => string;
  subject?: string;
  purpose?: string;
  from?: Date;
  to?: Date;
  afterSeq?: number;
  limit: number;
}

/** The answer when a disclosure could not be logged (no data goes out): the owner is unavailable if its database is, else its log. */
export function logWriteFailure(error: unknown): GraphQLError {
  return error instanceof DatabaseUnavailable
    ? graphqlError(ErrorCode.SUBGRAPH_UNAVAILABLE, `${error.message} No data was returned.`)
    : graphqlError(ErrorCode.AUDIT_UNAVAILABLE, 'The disclosure log could not be written; no data was returned.');
}

/**
 * The owner's tamper-evident disclosure log, in the owner's own database.
 * Appends are serialised on the head row, so the chain has one order.
 */
export class DisclosureLog {
  constructor(private readonly db: Database) {}

  async append(entries: DisclosureEntry[], tx?: Queryable): Promise<void> {
    if (entries.length === 0) return;
    const write = async (q: Queryable) => {
      const [head] = await q.query<{ last_seq: number; last_hash: string }>(
        'SELECT last_seq, last_hash FROM disclosure_log_head WHERE id = 1 FOR UPDATE',
      );
      if (!head) throw new Error('disclosure log head missing');
      let seq = Number(head.last_seq);
      let prev = head.last_hash;
      const rows = entries.map((e) => {
        seq++;
        const hash = rowHash(prev, seq, e);
        const row = { seq, prevHash: prev, hash, e };
        prev = hash;
        return row;
      });
      await q.query(
        `INSERT INTO disclosure_log (${COLUMNS})
         SELECT ${COLUMNS} FROM json_to_recordset($1::json) AS x(seq bigint, at timestamptz, request_id text,
           principal text, organisation text, roles text[], purpose text, operation text, action text, entity_type text,
           entity_ids text[], data_subjects text[], fields text[], criterion text, data_owner text, decision text,
           prev_hash text, hash text, trace_id text)`,
        [
          JSON.stringify(
            rows.map(({ seq: s, prevHash, hash, e }) => ({
              seq: s,
              at: e.at.toISOString(),
              request_id: e.requestId,
              principal: e.principal,
              organisation: e.organisation,
              roles: e.roles,
              purpose: e.purpose,
              operation: e.operation,
              action: e.action,
              entity_type: e.entityType,
              entity_ids: e.entityIds,
              data_subjects: e.dataSubjects,
              fields: e.fields,
              criterion: e.criterion,
              data_owner: e.dataOwner,
              decision: e.decision,
              prev_hash: prevHash,
              hash,
              trace_id: e.traceId ?? null,
            })),
          ),
        ],
      );
      await q.query('UPDATE disclosure_log_head SET last_seq = $1, last_hash = $2 WHERE id = 1', [seq, prev]);
    };
    if (tx) await write(tx);
    else await this.db.transaction(write);
  }

  async list(query: LogQuery): Promise<DisclosureRow[]> {
    const where = new Where();
    if (query.reviewable) where.andSql(query.reviewable);
    where
      .andIf(query.subject, '? = ANY(data_subjects)')
      .andIf(query.purpose, 'purpose = ?')
      .andIf(query.from, 'at >= ?')
      .andIf(query.to, 'at < ?')
      .andIf(query.afterSeq, 'seq < ?');
    const rows = await this.db.query<DbRow>(`SELECT ${COLUMNS} FROM disclosure_log ${where} ORDER BY seq DESC LIMIT ${where.param(query.limit)}`, where.params);
    return rows.map(fromDb);
  }

  /** Walks the whole chain from its anchor: any changed, inserted or deleted row breaks it. */
  async verify(batchSize = 5000): Promise<ChainVerification> {
    const [head] = await this.db.query<{ last_seq: number; last_hash: string; anchor_seq: number; anchor_hash: string }>(
      'SELECT last_seq, last_hash, anchor_seq, anchor_hash FROM disclosure_log_head WHERE id = 1',
    );
    if (!head) return { ok: false, checkedRows: 0, firstSeq: null, lastSeq: null, brokenAtSeq: null, reason: 'head row missing' };
    let expectedSeq = Number(head.anchor_seq) + 1;
    let prev = head.anchor_hash;
    let checked = 0;
    let firstSeq: number | null = null;
    const broken = (seq: number, reason: string): ChainVerification => ({
      ok: false,
      checkedRows: checked,
      firstSeq,
      lastSeq: expectedSeq - 1,
      brokenAtSeq: seq,
      reason,
    });
    for (;;) {
      const rows = (
        await this.db.query<DbRow>(`SELECT ${COLUMNS} FROM disclosure_log WHERE seq >= $1 ORDER BY seq LIMIT $2`, [
          expectedSeq,
          batchSize,
        ])
      ).map(fromDb);
      if (firstSeq === null) {
        const [older] = await this.db.query<{ seq: number }>('SELECT min(seq) AS seq FROM disclosure_log WHERE seq < $1', [expectedSeq]);
        if (older && older.seq !== null) return broken(Number(older.seq), 'row before the anchor');
      }
      for (const row of rows) {
        firstSeq ??= row.seq;
        if (row.seq !== expectedSeq) return broken(expectedSeq, 'missing row');
        if (row.prevHash !== prev) return broken(row.seq, 'previous-hash link broken');
        if (rowHash(prev, row.seq, row) !== row.hash) return broken(row.seq, 'row content changed');
        prev = row.hash;
        expectedSeq++;
        checked++;
      }
      if (rows.length < batchSize) break;
    }
    if (expectedSeq - 1 !== Number(head.last_seq) || prev !== head.last_hash) {
      return broken(expectedSeq, 'chain end does not match the head');
    }
    return { ok: true, checkedRows: checked, firstSeq, lastSeq: expectedSeq - 1, brokenAtSeq: null, reason: null };
  }

  /** Deletes rows older than the retention and moves the anchor to the last deleted row. */
  async prune(retentionDays: number, now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT 1 FROM disclosure_log_head WHERE id = 1 FOR UPDATE');
      const [last] = await tx.query<{ seq: number; hash: string }>(
        'SELECT seq, hash FROM disclosure_log WHERE at < $1 ORDER BY seq DESC LIMIT 1',
        [cutoff],
      );
      if (!last) return 0;
      await tx.query("SELECT set_config('partnergraph.pruning', 'on', true)");
      const deleted = await tx.query<{ seq: number }>('DELETE FROM disclosure_log WHERE seq <= $1 RETURNING seq', [last.seq]);
      await tx.query("SELECT set_config('partnergraph.pruning', 'off', true)");
      await tx.query('UPDATE disclosure_log_head SET anchor_seq = $1, anchor_hash = $2 WHERE id = 1', [last.seq, last.hash]);
      return deleted.length;
    });
  }
}

