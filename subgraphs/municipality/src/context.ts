import type { SubgraphContext } from '@partnergraph/subgraph-kit';
import type { MunicipalityLoaders } from './data/loaders.js';

export type MunicipalityContext = SubgraphContext<MunicipalityLoaders>;
