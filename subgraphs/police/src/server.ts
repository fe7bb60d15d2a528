import { type TokenVerifier, type TrustConfig } from '@partnergraph/common';
import {
  createSubgraphServer,
  kitMigrations,
  loadPolicySource,
  migrate,
  migrationsFromFolder,
  PolicyEngine,
  type Database,
  type SubgraphServer,
} from '@partnergraph/subgraph-kit';
import { fileURLToPath } from 'node:url';
import { createPoliceLoaders } from './data/loaders.js';
import { policeResources } from './policies/resources.js';
import { buildPoliceSchema } from './schema.js';

/** Resolved from src/ or dist/ alike: both sit one level below the package. */
const packageDir = new URL('../', import.meta.url);

export const policeMigrations = () => [
  ...kitMigrations(),
  ...migrationsFromFolder('police', fileURLToPath(new URL('src/data/migrations/', packageDir))),
];

export const policePolicies = () => new PolicyEngine('police', loadPolicySource(new URL('src/policies/', packageDir)));

export interface PoliceServerOptions {
  db: Database;
  trust: TrustConfig | TokenVerifier;
  /** Off only for the owner's own benchmark baseline. */
  enforcePolicies?: boolean;
}

/** The police district's subgraph: schema and server, not listening yet. */
export async function createPoliceServer(options: PoliceServerOptions): Promise<SubgraphServer> {
  await migrate(options.db, policeMigrations());
  return createSubgraphServer({
    name: 'police',
    ownerOrganisation: 'police',
    schema: await buildPoliceSchema(),
    db: options.db,
    trust: options.trust,
    policies: policePolicies(),
    resources: policeResources,
    loaders: (db) => createPoliceLoaders(db),
    ...(options.enforcePolicies === false ? { enforcePolicies: false } : {}),
  });
}
