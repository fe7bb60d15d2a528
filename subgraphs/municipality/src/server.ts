import { defineSubgraph, type SubgraphOptions, type SubgraphServer } from '@partnergraph/subgraph-kit';
import { createMunicipalityLoaders } from './data/loaders.js';
import { ensureReferenceData } from './data/seed.js';
import { MUNICIPALITY, municipalityResources } from './policies/resources.js';
import { buildMunicipalitySchema } from './schema.js';

export { seedMunicipality } from './data/seed.js';
export { buildMunicipalitySchema } from './schema.js';

/**
 * Slagelse Kommune's subgraph: areas, organisations, the initiative register,
 * the agreement's goals, notices of public statements, the bodies' meetings and
 * decisions, and injunctions.
 */
export const municipalitySubgraph = defineSubgraph({
  name: 'municipality',
  // Resolved from src/ or dist/ alike: both sit one level below the package.
  packageDir: new URL('../', import.meta.url),
  ownerOrganisation: MUNICIPALITY,
  buildSchema: buildMunicipalitySchema,
  resources: municipalityResources,
  loaders: (db) => createMunicipalityLoaders(db),
});

export const municipalityMigrations = () => municipalitySubgraph.migrations();
export const municipalityPolicies = () => municipalitySubgraph.policies();

/** Migrates, makes sure the areas, parties, goals and bodies exist (also unseeded), and builds the server. */
export async function createMunicipalityServer(options: SubgraphOptions): Promise<SubgraphServer> {
  const server = await municipalitySubgraph.create(options);
  await ensureReferenceData(options.db);
  return server;
}
