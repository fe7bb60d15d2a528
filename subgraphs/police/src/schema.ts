import { buildSubgraph, createDisclosureLogResolver } from '@partnergraph/subgraph-kit';
import type { GraphQLSchema } from 'graphql';
import { CriminalDecisionResolver, resolveDecisionReference } from './resolvers/CriminalDecisionResolver.js';
import { DecisionMutationResolver } from './resolvers/DecisionMutationResolver.js';
import { GoalResolver, resolveGoalReference } from './resolvers/GoalResolver.js';
import { PersonResolver, resolvePersonReference } from './resolvers/PersonResolver.js';
import { ReferralResolver, resolveReferralReference } from './resolvers/ReferralResolver.js';
import { AreaReferralStatisticsResolver } from './resolvers/ReferralStatisticsResolver.js';
import { AreaSafetyResolver, resolveAreaReference, SafetyQueryResolver } from './resolvers/SafetyResolver.js';
import { Goal } from './types/Goal.js';
import { Organisation } from './types/Organisation.js';

export function buildPoliceSchema(): Promise<GraphQLSchema> {
  return buildSubgraph({
    resolvers: [
      SafetyQueryResolver,
      AreaSafetyResolver,
      GoalResolver,
      CriminalDecisionResolver,
      DecisionMutationResolver,
      ReferralResolver,
      AreaReferralStatisticsResolver,
      PersonResolver,
      createDisclosureLogResolver('police'),
    ],
    orphanedTypes: [Organisation, Goal],
    referenceResolvers: {
      HousingArea: resolveAreaReference,
      Person: resolvePersonReference,
      CriminalDecision: resolveDecisionReference,
      Referral: resolveReferralReference,
      Goal: resolveGoalReference,
    },
  });
}
