import { serveSubgraph } from '@partnergraph/subgraph-kit';
import { worldFromEnv } from '@partnergraph/synthetic';
import { seedPolice } from './data/seed.js';
import { createPoliceServer } from './server.js';

await serveSubgraph({
  name: 'police',
  defaultPort: 4001,
  create: createPoliceServer,
  seed: (db) => seedPolice(db, worldFromEnv()),
});
