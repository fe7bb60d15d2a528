import type { RequestIdentity } from '@partnergraph/common';

export interface GatewayContext {
  requestId: string;
  identity: RequestIdentity;
  /** The caller's headers that subgraphs must see, verbatim. */
  forwardHeaders: Partial<Record<string, string>>;
}
