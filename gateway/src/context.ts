import { CombinedCacheability, type RequestIdentity } from '@partnergraph/common';
import type { CostReport } from '@partnergraph/common';
import type { TraceContext } from './tracing.js';

/**
 * The supergraph's owners (subgraphs) as bits, so a request can note which it
 * read and which it changed without allocating. With more than 30 owners some
 * share a bit: that only makes a change retire more cached answers, never fewer.
 */
export class Owners {
  readonly names: string[] = [];

  /** Registers an owner (in supergraph order) and returns its bit. */
  add(name: string): number {
    let index = this.names.indexOf(name);
    if (index === -1) index = this.names.push(name) - 1;
    return this.bit(index);
  }

  bit(index: number): number {
    return 1 << index % 30;
  }

  /** The names whose bit is in `mask`. */
  namesIn(mask: number): string[] {
    return this.names.filter((_, i) => (mask & this.bit(i)) !== 0);
  }
}

/** What the subgraph fetches of one request found out, combined as they answer. */
export class FetchRecord {
  /** The owners' statements on reuse, combined. */
  readonly cacheability = new CombinedCacheability();
  /** Owners whose answers went into this request's answer. */
  read = 0;
  /** Owners where a mutation of this request executed (answered with data). */
  changed = 0;
}

export interface GatewayContext {
  requestId: string;
  identity: RequestIdentity;
  /** The caller's headers that subgraphs must see, verbatim. */
  forwardHeaders: Partial<Record<string, string>>;
  trace?: TraceContext;
  fetches: FetchRecord;
  /** The operation's cost and budget, returned in `extensions.cost`. */
  cost?: CostReport | undefined;
}
