import { serveSubgraph } from '@partnergraph/subgraph-kit';
import { municipalitySubgraph } from './server.js';

/** The municipality subgraph's process entry, as production runs it: no synthetic data (development seeds through the launcher). */
await serveSubgraph(municipalitySubgraph);
