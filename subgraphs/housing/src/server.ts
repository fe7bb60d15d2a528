import { defineSubgraph, type SubgraphOptions } from '@partnergraph/subgraph-kit';
import { createHousingLoaders } from './data/loaders.js';
import { housingResources } from './policies/resources.js';
import { buildHousingSchema } from './schema.js';

export { buildHousingSchema } from './schema.js';
export { housingImportKinds, housingImportKinds as importKinds } from './import/index.js';

/** The five housing companies' subgraph: departments, tenancies, termination cases, occupancy. */
export const housingSubgraph = defineSubgraph({
  name: 'housing',
  // Resolved from src/ or dist/ alike: both sit one level below the package.
  packageDir: new URL('../', import.meta.url),
  ownerOrganisation: 'housing',
  buildSchema: buildHousingSchema,
  resources: housingResources,
  loaders: (db) => createHousingLoaders(db),
});

export const createHousingServer = (options: SubgraphOptions) => housingSubgraph.create(options);

/** What the owner registry loads from this package (composition, tests, the development launcher). */
export { housingSubgraph as subgraph };
