import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { DevIssuer } from '@partnergraph/common';
import { createGateway, gatewayConfig, type Gateway, type GatewayConfig } from '@partnergraph/gateway';
import { discoverOwners, sourceOf, type Owner } from '@partnergraph/registry';
import type { Database, Subgraph, SubgraphOptions, SubgraphServer } from '@partnergraph/subgraph-kit';
import { createTestDatabase, personaClient, type StatementRecorder } from '@partnergraph/subgraph-kit/testing';
import { World } from '@partnergraph/synthetic';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

export const SUPERGRAPH = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));

export interface OwnerSetup {
  owner: Owner;
  subgraph: Subgraph;
  seed: (db: Database, world: World) => Promise<boolean>;
}

/** Every registered owner, its subgraph and its seed loaded from source (the registry says where). */
export async function loadOwners(): Promise<OwnerSetup[]> {
  return Promise.all(
    discoverOwners().map(async (owner) => ({
      owner,
      subgraph: ((await import(sourceOf(owner.modulePath))) as { subgraph: Subgraph }).subgraph,
      seed: ((await import(sourceOf(owner.seedPath))) as { seed: OwnerSetup['seed'] }).seed,
    })),
  );
}

export interface RunningOwner {
  db: Database;
  server: SubgraphServer;
  url: string;
}

export interface System {
  world: World;
  issuer: DevIssuer;
  /** The deployment's internal key, shared by the gateway and the subgraphs. */
  internalKey: string;
  /** The scraper's bearer token for `/metrics`. */
  metricsToken: string;
  gatewayUrl: string;
  gateway: Gateway;
  owners: Record<string, RunningOwner>;
  /** Posts to the gateway as a persona, under a purpose. */
  gql: ReturnType<typeof personaClient>;
  /** The same, with a typed saved operation. */
  run<R, V extends Record<string, unknown>>(
    persona: string | null,
    purpose: string | null,
    document: TypedDocumentNode<R, V>,
    variables?: V,
  ): Promise<{ status: number; body: { data?: R | null; errors?: Array<{ message: string; path?: (string | number)[]; extensions?: Record<string, any> }> } }>;
  /** Posts straight to one owner's subgraph, bypassing the gateway. */
  direct(owner: string): ReturnType<typeof personaClient>;
  /** Where the subgraphs find each other, by owner: set one to put a proxy between them (e.g. police → housing). */
  peerOverrides: Record<string, string>;
  /** Another gateway process over the same subgraphs, configured otherwise; stopped with the system. */
  extraGateway(overrides: Partial<GatewayConfig>): Promise<{ url: string; gateway: Gateway; gql: ReturnType<typeof personaClient> }>;
  stop(): Promise<void>;
}

/**
 * The whole system in one process: each owner's subgraph on its own database
 * (real PostgreSQL when TEST_DATABASE_URL is set, PGlite otherwise or when
 * `embedded`), seeded from one synthetic world, and the gateway on the
 * committed supergraph. Every server binds port 0.
 */
export async function startSystem(
  options: {
    embedded?: boolean;
    world?: World;
    gateway?: Partial<GatewayConfig>;
    /** Further options of each owner's subgraph, by owner (e.g. its own Redis). */
    owner?: (name: string) => Partial<SubgraphOptions>;
    peerTimeoutMs?: number;
    /** Records every statement the owners' subgraphs send (seeding excluded), for plan tests. */
    recorder?: StatementRecorder;
    /** An issuer whose keys are on disk too, for the commands that sign with them. */
    issuer?: DevIssuer;
  } = {},
): Promise<System> {
  const world = options.world ?? new World();
  const issuer = options.issuer ?? (await DevIssuer.create());
  const trust = issuer.trustConfig();
  // As deployed: the gateway's fetches prove themselves to the subgraphs, so only callers who bypass it are counted there.
  const internalKey = randomBytes(32).toString('base64url');
  // The scraper's token: /metrics of the gateway and the subgraphs answer only it.
  const metricsToken = randomBytes(16).toString('hex');
  const owners: Record<string, RunningOwner> = {};
  const peerOverrides: Record<string, string> = {};
  await Promise.all(
    (await loadOwners()).map(async ({ owner: { name }, ...setup }) => {
      const db = await createTestDatabase(name, { embedded: options.embedded ?? false });
      // Each owner finds its peers (police ↔ housing) by name once all listen.
      const server = await setup.subgraph.create({
        db: options.recorder ? options.recorder.wrap(name, db) : db,
        trust,
        peers: (owner) => peerOverrides[owner] ?? owners[owner]?.url,
        internalKey,
        metricsToken,
        ...(options.peerTimeoutMs ? { peerTimeoutMs: options.peerTimeoutMs } : {}),
        ...options.owner?.(name),
      });
      await setup.seed(db, world);
      const running = await server.listen(0);
      owners[name] = { db, server, url: running.url };
    }),
  );
  const gateway = await createGateway(
    gatewayConfig({
      supergraphPath: SUPERGRAPH,
      subgraphUrls: Object.fromEntries(Object.entries(owners).map(([name, o]) => [name, o.url])),
      trust,
      internalKey,
      metricsToken,
      ...options.gateway,
    }),
  );
  const running = await gateway.listen(0);
  const sign = (persona: string) => issuer.signPersona(persona);
  const extras: Gateway[] = [];
  const subgraphUrls = Object.fromEntries(Object.entries(owners).map(([name, o]) => [name, o.url]));
  const gql = personaClient(running.url, sign);
  return {
    world,
    issuer,
    internalKey,
    metricsToken,
    gatewayUrl: running.url,
    gateway,
    owners,
    gql,
    run: (persona, purpose, document, variables) => gql(persona, purpose, print(document), variables) as never,
    direct: (owner) => personaClient(owners[owner]!.url, sign),
    peerOverrides,
    async extraGateway(overrides) {
      const extra = await createGateway(
        gatewayConfig({ supergraphPath: SUPERGRAPH, trust, internalKey, metricsToken, ...overrides, subgraphUrls: { ...subgraphUrls, ...overrides.subgraphUrls } }),
      );
      extras.push(extra);
      const { url } = await extra.listen(0);
      return { url, gateway: extra, gql: personaClient(url, sign) };
    },
    async stop() {
      await Promise.all(extras.map((g) => g.stop()));
      await gateway.stop();
      await Promise.all(
        Object.values(owners).map(async (o) => {
          await o.server.stop();
          await o.db.close();
        }),
      );
    },
  };
}
