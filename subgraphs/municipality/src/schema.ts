import { buildSubgraph, createDisclosureLogResolver } from '@partnergraph/subgraph-kit';
import type { GraphQLSchema } from 'graphql';
import { AreaResolver, resolveAreaReference } from './resolvers/AreaResolver.js';
import { GoalResolver, resolveGoalReference } from './resolvers/GoalResolver.js';
import { InitiativeMutationResolver } from './resolvers/InitiativeMutationResolver.js';
import {
  BodyResolver,
  MeetingDecisionResolver,
  MeetingParticipationResolver,
  MeetingResolver,
  resolveMeetingReference,
} from './resolvers/MeetingResolver.js';
import { NoticeAcknowledgementResolver, NoticeResolver, resolveNoticeReference } from './resolvers/NoticeResolver.js';
import { NoticeSubscriptionResolver } from './resolvers/NoticeSubscriptionResolver.js';
import { WebhookDeliveryStateResolver, WebhookResolver } from './resolvers/WebhookResolver.js';
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
      InitiativeMutationResolver,
      GoalResolver,
      NoticeResolver,
      NoticeAcknowledgementResolver,
      NoticeSubscriptionResolver,
      WebhookResolver,
      WebhookDeliveryStateResolver,
      BodyResolver,
      MeetingResolver,
      MeetingParticipationResolver,
      MeetingDecisionResolver,
      InjunctionResolver,
      InjunctionStatisticsResolver,
      PersonResolver,
      createDisclosureLogResolver('municipality'),
    ],
    referenceResolvers: {
      HousingArea: resolveAreaReference,
      Organisation: resolveOrganisationReference,
      Initiative: resolveInitiativeReference,
      Goal: resolveGoalReference,
      Notice: resolveNoticeReference,
      Meeting: resolveMeetingReference,
      Injunction: resolveInjunctionReference,
      Person: resolvePersonReference,
    },
  });
}
