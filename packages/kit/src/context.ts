import type { Logger, RequestIdentity } from '@partnergraph/common';
import type { RequestAudit } from './audit/RequestAudit.js';
import type { RequestAuthorizer } from './authz/RequestAuthorizer.js';
import type { DisclosureLog } from './audit/DisclosureLog.js';
import type { Database } from './db/Database.js';
import type { Peers } from './peers.js';

/** What every resolver of every subgraph gets. */
export interface SubgraphContext<Loaders = unknown> {
  requestId: string;
  identity: RequestIdentity;
  authz: RequestAuthorizer;
  audit: RequestAudit;
  loaders: Loaders;
  db: Database;
  disclosureLog: DisclosureLog;
  log: Logger;
  /** Other owners' subgraphs, asked as the caller (token and purpose forwarded). */
  peers: Peers;
  /**
   * The request proved it comes from the gateway (or a peer owner) with the
   * deployment's internal key: admitted there, and the composition's own
   * caller for `_service`. Grants no access to data.
   */
  viaGateway?: boolean;
  /** Shortest cache lifetime of anything resolved so far (0 = not cacheable). */
  cache: { maxAge: number };
}
