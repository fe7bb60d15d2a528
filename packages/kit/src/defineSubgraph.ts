import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createLogger, type OperationLimits, type RateLimit, type RequestIdentity, type TokenVerifier, type TrustConfig } from '@partnergraph/common';
import { readOwnerManifest } from '@partnergraph/registry';
import type { GraphQLSchema } from 'graphql';
import { loadPolicySource, PolicyEngine } from './authz/PolicyEngine.js';
import { DisclosureLog } from './audit/DisclosureLog.js';
import { RequestAudit } from './audit/RequestAudit.js';
import { RequestAuthorizer } from './authz/RequestAuthorizer.js';
import type { SubgraphContext } from './context.js';
import type { ResourceRegistry } from './authz/resources.js';
import { createSubgraphServer, type SubgraphServer } from './createSubgraphServer.js';
import type { Database } from './db/Database.js';
import { migrate, migrationsFromFolder, type Migration } from './db/migrate.js';
import { kitMigrations } from './kitMigrations.js';
import { peerCaller, type PeerUrls } from './peers.js';
import type { BackgroundWorker } from './serveSubgraph.js';

export interface SubgraphOptions {
  db: Database;
  trust: TrustConfig | TokenVerifier;
  /** Off only for the owner's own benchmark baseline. */
  enforcePolicies?: boolean;
  /** Where the other owners' subgraphs answer, for the checks this owner makes with them. */
  peers?: PeerUrls;
  peerTimeoutMs?: number;
  /** Development: introspection, suggestions and `_service` open. */
  development?: boolean;
  /** Limits for callers who bypass the gateway (default: the gateway's defaults). */
  rateLimit?: RateLimit | false;
  limits?: OperationLimits;
  /** Subscriptions open at once per principal for direct callers, all processes sharing Redis together (default DEFAULT_STREAMS_PER_PRINCIPAL; 0: unbounded). */
  streamsPerPrincipal?: number;
  /** REDIS_URL: rate-limit counters shared by this owner's processes. */
  redisUrl?: string;
  /** REDIS_PREFIX (default `partnergraph:`). */
  redisPrefix?: string;
  /** PARTNERGRAPH_INTERNAL_KEY: the gateway's fetches prove themselves with it. */
  internalKey?: string;
  /** METRICS_TOKEN: the scraper's bearer token for `/metrics`. */
  metricsToken?: string;
}

export interface SubgraphDefinitionOptions<Loaders> {
  /** The owner's name, as its package.json's `partnergraph` block states it. */
  name: string;
  /** The package folder: its package.json (the registry block), migrations in `src/data/migrations/`, policies in `src/policies/`. */
  packageDir: URL;
  /** Data owner recorded in log rows when a row names no other. */
  ownerOrganisation: string;
  buildSchema: () => Promise<GraphQLSchema>;
  resources: ResourceRegistry;
  loaders: (db: Database, authz: RequestAuthorizer) => Loaders;
  /**
   * Data every instance holds whether or not anything else is loaded (the
   * agreement's own definitions, say): written after migrating, keeping rows
   * that exist.
   */
  referenceData?: (db: Database) => Promise<void>;
  /**
   * Changes to existing rows that SQL cannot make (they need the process's
   * configuration, e.g. a key): run after the SQL migrations, on every start,
   * so each must find nothing to do the second time.
   */
  migrateData?: (db: Database) => Promise<void>;
  /** Work the owner's process does beside answering (e.g. delivering webhooks); started and stopped by serveSubgraph. */
  workers?: (db: Database, env: NodeJS.ProcessEnv) => Promise<BackgroundWorker[]>;
}

export interface Subgraph {
  name: string;
  /** From the owner's package.json: where it listens unless `<NAME>_PORT` says otherwise. */
  defaultPort: number;
  /** Data owner recorded in log rows when a row names no other. */
  ownerOrganisation: string;
  resources: ResourceRegistry;
  /** The subgraph's GraphQL schema (what composition and the coverage check read). */
  schema(): Promise<GraphQLSchema>;
  migrations(): Migration[];
  policies(): PolicyEngine;
  /**
   * A context for work done outside an HTTP request (imports, exports) by a
   * verified identity: the owner's policies, audit and disclosure log, exactly
   * as a request of that identity gets them.
   */
  context(db: Database, identity: RequestIdentity, requestId?: string): SubgraphContext;
  /** Migrates the database and makes sure of the owner's reference data: what a server and a command both need first. */
  prepare(db: Database): Promise<void>;
  /** Migrates the database, then builds the server (not listening). */
  create(options: SubgraphOptions): Promise<SubgraphServer>;
  workers?: (db: Database, env: NodeJS.ProcessEnv) => Promise<BackgroundWorker[]>;
}

/** What every owner's package exports: its migrations, its policies, and a server factory. */
export function defineSubgraph<Loaders>(definition: SubgraphDefinitionOptions<Loaders>): Subgraph {
  const manifest = readOwnerManifest(fileURLToPath(definition.packageDir));
  if (manifest.name !== definition.name) {
    throw new Error(`Subgraph "${definition.name}" is registered as "${manifest.name}" in its package.json: the names must agree.`);
  }
  const migrations = () => [
    ...kitMigrations(),
    ...migrationsFromFolder(definition.name, fileURLToPath(new URL('src/data/migrations/', definition.packageDir))),
  ];
  const policies = () => new PolicyEngine(definition.name, loadPolicySource(new URL('src/policies/', definition.packageDir)));
  let engine: PolicyEngine | undefined;
  return {
    name: definition.name,
    defaultPort: manifest.defaultPort,
    ownerOrganisation: definition.ownerOrganisation,
    resources: definition.resources,
    schema: definition.buildSchema,
    migrations,
    policies,
    ...(definition.workers ? { workers: definition.workers } : {}),
    context(db, identity, requestId = randomUUID()) {
      engine ??= policies();
      const authz = new RequestAuthorizer(engine, definition.resources, identity);
      return {
        requestId,
        identity,
        authz,
        audit: new RequestAudit(requestId, identity, definition.ownerOrganisation),
        loaders: definition.loaders(db, authz),
        db,
        disclosureLog: new DisclosureLog(db),
        log: createLogger(`subgraph-${definition.name}`),
        cache: { maxAge: 0 },
        // Work outside a request asks no other owner (and has no caller token to forward).
        peers: peerCaller(() => undefined, { authorization: undefined, purpose: identity.purpose, requestId, traceparent: undefined }, { logger: createLogger(`subgraph-${definition.name}`) }),
      };
    },
    async prepare(db) {
      await migrate(db, migrations());
      await definition.migrateData?.(db);
      await definition.referenceData?.(db);
    },
    async create(options) {
      await this.prepare(options.db);
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
        ...(options.development ? { development: true } : {}),
        ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
        ...(options.limits ? { limits: options.limits } : {}),
        ...(options.streamsPerPrincipal !== undefined ? { streamsPerPrincipal: options.streamsPerPrincipal } : {}),
        ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
        ...(options.redisPrefix ? { redisPrefix: options.redisPrefix } : {}),
        ...(options.internalKey ? { internalKey: options.internalKey } : {}),
        ...(options.metricsToken ? { metricsToken: options.metricsToken } : {}),
      });
    },
  };
}
