import { serveSubgraph } from '@partnergraph/subgraph-kit';
import { policeSubgraph } from './server.js';

/** The police subgraph's process entry, as production runs it: no synthetic data (development seeds through the launcher). */
await serveSubgraph(policeSubgraph);
