import { serveSubgraph } from '@partnergraph/subgraph-kit';
import { worldFromEnv } from '@partnergraph/synthetic';
import { seedMunicipality } from './data/seed.js';
import { createMunicipalityServer } from './server.js';

await serveSubgraph({
  name: 'municipality',
  defaultPort: 4002,
  create: createMunicipalityServer,
  seed: (db) => seedMunicipality(db, worldFromEnv()),
});
