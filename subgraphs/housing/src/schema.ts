import { buildSubgraph, createDisclosureLogResolver } from '@partnergraph/subgraph-kit';
import type { GraphQLSchema } from 'graphql';
import {
  AreaHousingResolver,
  CompanyDepartmentsResolver,
  DepartmentResolver,
  resolveAreaReference,
  resolveDepartmentReference,
  resolveOrganisationReference,
} from './resolvers/DepartmentResolver.js';
import { CaseMutationResolver } from './resolvers/CaseMutationResolver.js';
import { AreaCaseStatisticsResolver } from './resolvers/CaseStatisticsResolver.js';
import { PersonResolver, resolvePersonReference, TenancyHoldingResolver } from './resolvers/PersonResolver.js';
import { resolveTenancyReference, TenancyResolver } from './resolvers/TenancyResolver.js';
import {
  ReferralOutcomeResolver,
  resolveCaseReference,
  resolveReferralReference,
  TerminationCaseResolver,
} from './resolvers/TerminationCaseResolver.js';

export function buildHousingSchema(): Promise<GraphQLSchema> {
  return buildSubgraph({
    resolvers: [
      TenancyResolver,
      PersonResolver,
      TenancyHoldingResolver,
      DepartmentResolver,
      AreaHousingResolver,
      AreaCaseStatisticsResolver,
      CompanyDepartmentsResolver,
      TerminationCaseResolver,
      ReferralOutcomeResolver,
      CaseMutationResolver,
      createDisclosureLogResolver('housing'),
    ],
    referenceResolvers: {
      HousingArea: resolveAreaReference,
      Organisation: resolveOrganisationReference,
      Department: resolveDepartmentReference,
      Person: resolvePersonReference,
      Tenancy: resolveTenancyReference,
      TerminationCase: resolveCaseReference,
      Referral: resolveReferralReference,
    },
  });
}
