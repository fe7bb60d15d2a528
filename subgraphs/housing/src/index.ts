import { serveSubgraph } from '@partnergraph/subgraph-kit';
import { housingSubgraph } from './server.js';

/** The housing subgraph's process entry, as production runs it: no synthetic data (development seeds through the launcher). */
await serveSubgraph(housingSubgraph);
