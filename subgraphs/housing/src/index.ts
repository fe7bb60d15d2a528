import { serveSubgraph } from '@partnergraph/subgraph-kit';
import { worldFromEnv } from '@partnergraph/synthetic';
import { seedHousing } from './data/seed.js';
import { createHousingServer } from './server.js';

await serveSubgraph({
  name: 'housing',
  defaultPort: 4003,
  create: createHousingServer,
  seed: (db) => seedHousing(db, worldFromEnv()),
});
