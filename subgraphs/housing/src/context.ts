import type { SubgraphContext } from '@partnergraph/subgraph-kit';
import type { HousingLoaders } from './data/loaders.js';

export type HousingContext = SubgraphContext<HousingLoaders>;
