import { defineSubgraph, type SubgraphOptions } from '@partnergraph/subgraph-kit';
import { createPoliceLoaders } from './data/loaders.js';
import { policeResources } from './policies/resources.js';
import { buildPoliceSchema } from './schema.js';

export { buildPoliceSchema } from './schema.js';
export { policeImportKinds, policeImportKinds as importKinds } from './import/index.js';

/** The police district's subgraph: safety index, incidents, criminal decisions and referrals. */
export const policeSubgraph = defineSubgraph({
  name: 'police',
  // Resolved from src/ or dist/ alike: both sit one level below the package.
  packageDir: new URL('../', import.meta.url),
  ownerOrganisation: 'police',
  buildSchema: buildPoliceSchema,
  resources: policeResources,
  loaders: (db) => createPoliceLoaders(db),
});

export const createPoliceServer = (options: SubgraphOptions) => policeSubgraph.create(options);

/** What the owner registry loads from this package (composition, tests, the development launcher). */
export { policeSubgraph as subgraph };
