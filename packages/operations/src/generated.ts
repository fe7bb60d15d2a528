/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Search criteria; every search is logged with them. */
export type CriminalDecisionFilter = {
  areaId?: string | number | null | undefined;
  /** Decided on or after. */
  decidedFrom?: string | null | undefined;
  /** Decided on or before. */
  decidedTo?: string | null | undefined;
  decisionType?: DecisionType | null | undefined;
  personId?: string | number | null | undefined;
};

/** Outcome of a criminal decision. */
export type DecisionType =
  | 'CHARGE_WITHDRAWN'
  | 'COMMUNITY_SERVICE'
  /** Betinget fængsel. */
  | 'CONDITIONAL_IMPRISONMENT'
  | 'FINE'
  /** Ubetinget fængsel: may ground termination under almenlejeloven § 90 stk. 1 nr. 10. */
  | 'UNCONDITIONAL_IMPRISONMENT'
  /** Ungdomssanktion. */
  | 'YOUTH_SANCTION';

/** Category of reported incidents (anmeldelser). */
export type IncidentCategory =
  | 'ARSON'
  | 'BURGLARY'
  | 'DISTURBANCE'
  | 'DRUGS'
  | 'THEFT'
  | 'THREATS'
  | 'VANDALISM'
  | 'VIOLENCE';

/** Kind of offence a criminal decision concerns. */
export type OffenceCategory =
  | 'ARSON'
  | 'BURGLARY'
  | 'DRUGS'
  | 'THEFT'
  | 'THREATS'
  | 'VANDALISM'
  | 'VIOLENCE'
  | 'WEAPONS';

/** Purpose (formål) of a request or a disclosure; decides what may flow. */
export type Purpose =
  /** Non-personal data: initiatives, meetings, notices. */
  | 'COORDINATION'
  /** Almenboligloven § 63 d: recent criminal decisions to the housing organisation. */
  | 'CRIME_PREVENTION_63D'
  /** Retsplejeloven § 115: SSP/PSP/KSP exchange between authorities. */
  | 'SSP_115'
  /** Aggregates only, small cells suppressed. */
  | 'STATISTICS'
  /** Almenlejeloven § 90 stk. 1 nr. 10: termination for crime near the home. */
  | 'TERMINATION_90_10';

export type AreaIncidentsQueryVariables = Exact<{
  areaId: string | number;
  year: number;
}>;


export type AreaIncidentsQuery = { incidentStatistics: { year: number | null, total: { count: number | null, suppressed: boolean | null } | null, categoryTotals: Array<{ category: IncidentCategory | null, count: number | null, suppressed: boolean | null }> | null, months: Array<{ month: string | null, total: { count: number | null, suppressed: boolean | null } | null, byCategory: Array<{ category: IncidentCategory | null, count: number | null, suppressed: boolean | null }> | null }> | null } | null };

export type BoardOverviewQueryVariables = Exact<{ [key: string]: never; }>;


export type BoardOverviewQuery = { areas: Array<{ id: string, name: string | null, isSpecialArea: boolean | null, activeInitiativeCount: number | null, currentTenancyCount: number | null, latestSafetyIndex: { year: number | null, shareFeelingSafe: number | null, comparableAreasShare: number | null } | null }> | null };

export type CriminalDecisionsQueryVariables = Exact<{
  filter?: CriminalDecisionFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type CriminalDecisionsQuery = { criminalDecisions: { nodes: Array<{ id: string, decidedOn: string | null, offenceCategory: OffenceCategory | null, decisionType: DecisionType | null, area: { id: string } | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null };

export type PersonOverviewQueryVariables = Exact<{
  id: string | number;
}>;


export type PersonOverviewQuery = { person: { id: string, tenancies: Array<{ id: string, unitAddress: string | null, isCurrent: boolean | null, company: { id: string } | null }> | null, criminalDecisions: Array<{ id: string, decidedOn: string | null, offenceCategory: OffenceCategory | null, decisionType: DecisionType | null }> | null } | null };

export type ReferralInboxQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ReferralInboxQuery = { referrals: { nodes: Array<{ id: string, purpose: Purpose | null, referredOn: string | null, person: { id: string } | null, decision: { id: string, decidedOn: string | null, offenceCategory: OffenceCategory | null, decisionType: DecisionType | null } | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null };

export type TenancyHoldingQueryVariables = Exact<{
  personId: string | number;
}>;


export type TenancyHoldingQuery = { person: { id: string, tenancyHolding: { holdsCurrentTenancy: boolean | null, housingCompanies: Array<{ id: string, name: string | null }> | null } | null } | null };


export const AreaIncidentsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AreaIncidents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"areaId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"year"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"incidentStatistics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"areaId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"areaId"}}},{"kind":"Argument","name":{"kind":"Name","value":"year"},"value":{"kind":"Variable","name":{"kind":"Name","value":"year"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"year"}},{"kind":"Field","name":{"kind":"Name","value":"total"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}}]}},{"kind":"Field","name":{"kind":"Name","value":"categoryTotals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}}]}},{"kind":"Field","name":{"kind":"Name","value":"months"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"month"}},{"kind":"Field","name":{"kind":"Name","value":"total"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}}]}},{"kind":"Field","name":{"kind":"Name","value":"byCategory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}}]}}]}}]}}]}}]} as unknown as DocumentNode<AreaIncidentsQuery, AreaIncidentsQueryVariables>;
export const BoardOverviewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"BoardOverview"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"areas"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"isSpecialArea"}},{"kind":"Field","name":{"kind":"Name","value":"latestSafetyIndex"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"year"}},{"kind":"Field","name":{"kind":"Name","value":"shareFeelingSafe"}},{"kind":"Field","name":{"kind":"Name","value":"comparableAreasShare"}}]}},{"kind":"Field","name":{"kind":"Name","value":"activeInitiativeCount"}},{"kind":"Field","name":{"kind":"Name","value":"currentTenancyCount"}}]}}]}}]} as unknown as DocumentNode<BoardOverviewQuery, BoardOverviewQueryVariables>;
export const CriminalDecisionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CriminalDecisions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CriminalDecisionFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"criminalDecisions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"decidedOn"}},{"kind":"Field","name":{"kind":"Name","value":"offenceCategory"}},{"kind":"Field","name":{"kind":"Name","value":"decisionType"}},{"kind":"Field","name":{"kind":"Name","value":"area"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<CriminalDecisionsQuery, CriminalDecisionsQueryVariables>;
export const PersonOverviewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PersonOverview"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"tenancies"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"unitAddress"}},{"kind":"Field","name":{"kind":"Name","value":"isCurrent"}},{"kind":"Field","name":{"kind":"Name","value":"company"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"criminalDecisions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"decidedOn"}},{"kind":"Field","name":{"kind":"Name","value":"offenceCategory"}},{"kind":"Field","name":{"kind":"Name","value":"decisionType"}}]}}]}}]}}]} as unknown as DocumentNode<PersonOverviewQuery, PersonOverviewQueryVariables>;
export const ReferralInboxDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ReferralInbox"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"referrals"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"purpose"}},{"kind":"Field","name":{"kind":"Name","value":"referredOn"}},{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decision"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"decidedOn"}},{"kind":"Field","name":{"kind":"Name","value":"offenceCategory"}},{"kind":"Field","name":{"kind":"Name","value":"decisionType"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<ReferralInboxQuery, ReferralInboxQueryVariables>;
export const TenancyHoldingDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TenancyHolding"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"personId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"person"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"personId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"tenancyHolding"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"holdsCurrentTenancy"}},{"kind":"Field","name":{"kind":"Name","value":"housingCompanies"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<TenancyHoldingQuery, TenancyHoldingQueryVariables>;