import { currentTrace, type RequestIdentity } from '@partnergraph/common';
import type { ResourceDescriptor } from '../authz/resources.js';
import type { DisclosureEntry } from './DisclosureLog.js';

interface Bucket {
  action: string;
  entityType: string;
  dataOwner: string;
  decision: 'PERMITTED' | 'DENIED';
  ids: Set<string>;
  subjects: Set<string>;
  fields: Set<string>;
  criterion: string | null;
}

/** Stable JSON: object keys sorted, so equal criteria hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/**
 * Collects what one request disclosed, searched or was denied, grouped into
 * log rows by entity type, data owner and decision. Written before the
 * response leaves the subgraph.
 */
export class RequestAudit {
  private readonly buckets = new Map<string, Bucket>();
  /** READ buckets by type then owner, so a 1,000-row answer builds no key strings per field. */
  private readonly readBuckets = new Map<string, Map<string, Bucket>>();
  operation = 'anonymous';

  constructor(
    readonly requestId: string,
    private readonly identity: RequestIdentity,
    private readonly ownerName: string,
    /** The request's trace, written into each row: taken from the request being served. */
    readonly traceId: string | null = currentTrace()?.traceId ?? null,
  ) {}

  private bucket(action: string, entityType: string, dataOwner: string, decision: Bucket['decision'], criterion: string | null = null) {
    const key = `${action}|${entityType}|${dataOwner}|${decision}|${criterion ?? ''}`;
    let b = this.buckets.get(key);
    if (!b) {
      b = { action, entityType, dataOwner, decision, ids: new Set(), subjects: new Set(), fields: new Set(), criterion };
      this.buckets.set(key, b);
    }
    return b;
  }

  private lastRow: object | undefined;
  private lastBuckets: Bucket[] = [];

  /** A field of a personal row was returned. */
  disclosed(entityType: string, row: object, field: string, descriptor: ResourceDescriptor): void {
    // Fields of one row arrive one after another: note the row once, then only its fields.
    if (row === this.lastRow) {
      for (const b of this.lastBuckets) b.fields.add(field);
      return;
    }
    this.lastRow = row;
    this.lastBuckets = [];
    const personal = descriptor.personal!;
    const owners = personal.owner(row);
    const id = descriptor.id(row);
    const subject = personal.subject(row);
    // A row shared by several owners is logged in each owner's rows, so each owner's auditor sees it.
    for (const owner of typeof owners === 'string' ? [owners] : owners) {
      let byOwner = this.readBuckets.get(entityType);
      if (!byOwner) this.readBuckets.set(entityType, (byOwner = new Map()));
      let b = byOwner.get(owner);
      if (!b) byOwner.set(owner, (b = this.bucket('READ', entityType, owner, 'PERMITTED')));
      b.ids.add(id);
      if (typeof subject === 'string') b.subjects.add(subject);
      else if (subject) for (const s of subject) b.subjects.add(s);
      b.fields.add(field);
      this.lastBuckets.push(b);
    }
  }

  /** A field was refused: the attempt is logged, without the row's id. */
  denied(entityType: string, field: string): void {
    this.bucket('READ', entityType, this.ownerName, 'DENIED').fields.add(field);
  }

  /** A search over personal data, with its criterion (Datatilsynet: searches are logged with what was searched for). */
  searched(entityType: string, criterion: Record<string, unknown>, dataOwner = this.ownerName): void {
    this.bucket('SEARCH', entityType, dataOwner, 'PERMITTED', canonicalJson(criterion));
  }

  /** A change to personal or owner data (mutations), logged in the change's transaction. */
  changed(action: string, entityType: string, id: string, subject: string | null, fields: string[], dataOwner = this.ownerName): DisclosureEntry {
    return this.entry({
      action,
      entityType,
      dataOwner,
      decision: 'PERMITTED',
      ids: new Set([id]),
      subjects: new Set(subject ? [subject] : []),
      fields: new Set(fields),
      criterion: null,
    });
  }

  /**
   * A change to many rows at once (an import): one log row for a batch of
   * ids, with the data subjects they concern and the fields written.
   */
  changedRows(
    action: string,
    entityType: string,
    ids: readonly string[],
    subjects: readonly string[],
    fields: readonly string[],
    dataOwner = this.ownerName,
    criterion: Record<string, unknown> | null = null,
  ): DisclosureEntry {
    return this.entry({
      action,
      entityType,
      dataOwner,
      decision: 'PERMITTED',
      ids: new Set(ids),
      subjects: new Set(subjects),
      fields: new Set(fields),
      criterion: criterion ? canonicalJson(criterion) : null,
    });
  }

  get isEmpty(): boolean {
    return this.buckets.size === 0;
  }

  private entry(b: Bucket): DisclosureEntry {
    const p = this.identity.principal;
    return {
      at: new Date(),
      requestId: this.requestId,
      principal: `${p.issuer}#${p.subject}`,
      organisation: p.organisation,
      roles: [...p.roles].sort(),
      purpose: this.identity.purpose,
      operation: this.operation,
      action: b.action,
      entityType: b.entityType,
      entityIds: [...b.ids],
      dataSubjects: [...b.subjects],
      fields: [...b.fields].sort(),
      criterion: b.criterion,
      dataOwner: b.dataOwner,
      decision: b.decision,
      traceId: this.traceId,
    };
  }

  /** Takes the collected rows, leaving the collector empty. */
  drain(): DisclosureEntry[] {
    const entries = [...this.buckets.values()].map((b) => this.entry(b));
    this.buckets.clear();
    this.readBuckets.clear();
    this.lastRow = undefined;
    this.lastBuckets = [];
    return entries;
  }
}
