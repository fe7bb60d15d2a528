import { pathToFileURL } from 'node:url';
import type { ImportKind, ImportOwner } from '@partnergraph/import';
import { discoverOwners } from '@partnergraph/registry';
import { loadSubgraph } from './owners.js';

/**
 * Every registered owner with the kinds of file it imports and exports: an
 * owner's package exports `importKinds` beside `subgraph` (its `src/import/`
 * folder defines them); an owner without any exports none.
 */
export async function transferOwners(): Promise<ImportOwner[]> {
  return Promise.all(
    discoverOwners().map(async (owner) => {
      const module = (await import(pathToFileURL(owner.modulePath).href)) as { importKinds?: ImportKind<unknown>[] };
      return { subgraph: await loadSubgraph(owner), kinds: module.importKinds ?? [] };
    }),
  );
}
