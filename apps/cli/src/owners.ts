import { pathToFileURL } from 'node:url';
import type { Owner } from '@partnergraph/registry';
import type { Database, Subgraph } from '@partnergraph/subgraph-kit';
import type { World } from '@partnergraph/synthetic';

/** An owner's `subgraph`, loaded from its package (the registry gives the path; no static import of any owner). */
export async function loadSubgraph(owner: Owner): Promise<Subgraph> {
  const module = (await import(pathToFileURL(owner.modulePath).href)) as { subgraph?: Subgraph };
  if (!module.subgraph) throw new Error(`${owner.modulePath} does not export \`subgraph\` (see docs/partners.md).`);
  return module.subgraph;
}

export type Seed = (db: Database, world: World) => Promise<boolean>;

/** An owner's synthetic data loader: development and tests only. */
export async function loadSeed(owner: Owner): Promise<Seed> {
  const module = (await import(pathToFileURL(owner.seedPath).href)) as { seed?: Seed };
  if (!module.seed) throw new Error(`${owner.seedPath} does not export \`seed\` (see docs/partners.md).`);
  return module.seed;
}
