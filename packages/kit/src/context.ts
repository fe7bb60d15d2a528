import type { Logger, RequestIdentity } from '@partnergraph/common';
import type { RequestAudit } from './audit/RequestAudit.js';
import type { RequestAuthorizer } from './authz/RequestAuthorizer.js';
import type { DisclosureLog } from './audit/DisclosureLog.js';
import type { Database } from './db/Database.js';

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
  /** Shortest cache lifetime of anything resolved so far (0 = not cacheable). */
  cache: { maxAge: number };
}
