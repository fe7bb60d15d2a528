import type { RequestIdentity } from '@partnergraph/common';
import type { TraceContext } from './tracing.js';

export interface GatewayContext {
  requestId: string;
  identity: RequestIdentity;
  /** The caller's headers that subgraphs must see, verbatim. */
  forwardHeaders: Partial<Record<string, string>>;
  trace?: TraceContext;
  /** The shortest max-age any subgraph answered with; 0 = not cacheable. */
  cache?: { maxAge: number };
}
