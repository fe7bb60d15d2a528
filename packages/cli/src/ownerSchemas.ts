import { buildHousingSchema } from '@partnergraph/housing';
import { buildMunicipalitySchema } from '@partnergraph/municipality';
import { buildPoliceSchema } from '@partnergraph/police';
import type { GraphQLSchema } from 'graphql';

/** Each owner's schema builder, for composition (kept apart so the launcher need not load them). */
export const OWNER_SCHEMAS: Record<string, () => Promise<GraphQLSchema>> = {
  police: buildPoliceSchema,
  municipality: buildMunicipalitySchema,
  housing: buildHousingSchema,
};
