import { buildSubgraph, createDisclosureLogResolver } from '@partnergraph/subgraph-kit';
import type { GraphQLSchema } from 'graphql';
import { CriminalDecisionResolver, resolveDecisionReference } from './resolvers/CriminalDecisionResolver.js';
import { PersonResolver, resolvePersonReference } from './resolvers/PersonResolver.js';
import { ReferralResolver, resolveReferralReference } from './resolvers/ReferralResolver.js';
import { AreaSafetyResolver, resolveAreaReference, SafetyQueryResolver } from './resolvers/SafetyResolver.js';
import { Organisation } from './types/Organisation.js';

export function buildPoliceSchema(): Promise<GraphQLSchema> {
  return buildSubgraph({
    resolvers: [SafetyQueryResolver, AreaSafetyResolver, CriminalDecisionResolver, ReferralResolver, PersonResolver, createDisclosureLogResolver('police')],
    orphanedTypes: [Organisation],
    referenceResolvers: {
      HousingArea: resolveAreaReference,
      Person: resolvePersonReference,
      CriminalDecision: resolveDecisionReference,
      Referral: resolveReferralReference,
    },
  });
}
