import { fileURLToPath } from 'node:url';
import type { TokenVerifier, TrustConfig } from '@partnergraph/common';
import type { GraphQLSchema } from 'graphql';
import { loadPolicySource, PolicyEngine } from './authz/PolicyEngine.js';
import type { RequestAuthorizer } from './authz/RequestAuthorizer.js';
import type { ResourceRegistry } from './authz/resources.js';
import { createSubgraphServer, type SubgraphServer } from './createSubgraphServer.js';
import type { Database } from './db/Database.js';
import { migrate, migrationsFromFolder, type Migration } from './db/migrate.js';
import { kitMigrations } from './kitMigrations.js';
import type { PeerUrls } from './peers.js';

export interface SubgraphOptions {
  db: Database;
  trust: TrustConfig | TokenVerifier;
  /** Off only for the owner's own benchmark baseline. */
  enforcePolicies?: boolean;
  /** Where the other owners' subgraphs answer, for the checks this owner makes with them. */
  peers?: PeerUrls;
  peerTimeoutMs?: number;
}

export interface SubgraphDefinitionOptions<Loaders> {
  name: string;
  /** The package folder: migrations in `src/data/migrations/`, policies in `src/policies/`. */
  packageDir: URL;
  /** Data owner recorded in log rows when a row names no other. */
  ownerOrganisation: string;
  buildSchema: () => Promise<GraphQLSchema>;
  resources: ResourceRegistry;
  loaders: (db: Database, authz: RequestAuthorizer) => Loaders;
}

export interface Subgraph {
  name: string;
  migrations(): Migration[];
  policies(): PolicyEngine;
  /** Migrates the database, then builds the server (not listening). */
  create(options: SubgraphOptions): Promise<SubgraphServer>;
}

/** What every owner's package exports: its migrations, its policies, and a server factory. */
export function defineSubgraph<Loaders>(definition: SubgraphDefinitionOptions<Loaders>): Subgraph {
  const migrations = () => [
    ...kitMigrations(),
    ...migrationsFromFolder(definition.name, fileURLToPath(new URL('src/data/migrations/', definition.packageDir))),
  ];
  const policies = () => new PolicyEngine(definition.name, loadPolicySource(new URL('src/policies/', definition.packageDir)));
  return {
    name: definition.name,
    migrations,
    policies,
    async create(options) {
      await migrate(options.db, migrations());
      return createSubgraphServer({
        name: definition.name,
        ownerOrganisation: definition.ownerOrganisation,
        schema: await definition.buildSchema(),
        db: options.db,
        trust: options.trust,
        policies: policies(),
        resources: definition.resources,
        loaders: definition.loaders,
        ...(options.enforcePolicies === false ? { enforcePolicies: false } : {}),
        ...(options.peers ? { peers: options.peers } : {}),
        ...(options.peerTimeoutMs ? { peerTimeoutMs: options.peerTimeoutMs } : {}),
      });
    },
  };
}
