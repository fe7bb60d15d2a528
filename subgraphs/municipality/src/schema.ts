import { buildSubgraph, createDisclosureLogResolver } from '@partnergraph/subgraph-kit';
import type { GraphQLSchema } from 'graphql';
import { AreaResolver, resolveAreaReference } from './resolvers/AreaResolver.js';
import { InitiativeResolver, resolveInitiativeReference } from './resolvers/InitiativeResolver.js';
import { InjunctionResolver, resolveInjunctionReference } from './resolvers/InjunctionResolver.js';
import { InjunctionStatisticsResolver } from './resolvers/InjunctionStatisticsResolver.js';
import { OrganisationResolver, resolveOrganisationReference } from './resolvers/OrganisationResolver.js';
import { PersonResolver, resolvePersonReference } from './resolvers/PersonResolver.js';

export function buildMunicipalitySchema(): Promise<GraphQLSchema> {
  return buildSubgraph({
    resolvers: [
      AreaResolver,
      OrganisationResolver,
      InitiativeResolver,
      InjunctionResolver,
      InjunctionStatisticsResolver,
      PersonResolver,
      createDisclosureLogResolver('municipality'),
    ],
    referenceResolvers: {
      HousingArea: resolveAreaReference,
      Organisation: resolveOrganisationReference,
      Initiative: resolveInitiativeReference,
      Injunction: resolveInjunctionReference,
      Person: resolvePersonReference,
    },
  });
}
