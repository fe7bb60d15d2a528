import type { SubgraphContext } from '@partnergraph/subgraph-kit';
import type { PoliceLoaders } from './data/loaders.js';

export type PoliceContext = SubgraphContext<PoliceLoaders>;
