import { organisationKind } from '@partnergraph/common';
import { dayNumber, defineResources, disclosureLogResources, entityRef, entityRefs, type ResourceDescriptor } from '@partnergraph/subgraph-kit';
import type { CriminalDecision } from '../types/CriminalDecision.js';
import type { Referral } from '../types/Referral.js';

const POLICE = 'police';

/** Whole years between a birth date and today (UTC), from the 'YYYY-MM-DD' text: no Date per row. */
export function ageInYears(birthDate: string, today = new Date().toISOString().slice(0, 10)): number {
  const age = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? age - 1 : age;
}

const nonPersonal: ResourceDescriptor<{ id?: string }> = { id: (row) => row.id ?? 'value', attributes: () => ({}) };
/** Yearly and monthly statistics change rarely: an hour in the gateway's cache is fine. */
const STATISTICS_MAX_AGE = 3600;
const aggregate = <Row>(descriptor: ResourceDescriptor<Row>): ResourceDescriptor<Row> => ({ ...descriptor, cacheMaxAgeSeconds: STATISTICS_MAX_AGE });

const criminalDecision: ResourceDescriptor<CriminalDecision> = {
  id: (d) => d.id,
  // One function per attribute: a rule about age costs one computation per row, not six.
  attributes: {
    subjectAge: (d) => ageInYears(d.personBirthDate),
    decidedOnDay: (d) => dayNumber(d.decidedOn),
    referredTo: (d) => entityRefs('Organisation', d.referredTo),
    areaId: (d) => d.areaId,
    withinOrAffectingArea: (d) => d.withinOrAffectingArea,
    decisionType: (d) => d.decisionType,
  },
  sql: {
    decidedOnDay: { sql: 'd.decided_on', kind: 'day' },
    referredTo: { sql: 'd.referred_to', kind: 'entitySet', entityType: 'Organisation', member: '(d.referred_to @> ARRAY[?]::text[])' },
    subjectAge: { sql: 'd.person_birth_date', kind: 'ageFromBirthDate' },
    areaId: { sql: 'd.area_id', kind: 'string' },
    withinOrAffectingArea: { sql: 'd.within_or_affecting_area', kind: 'boolean' },
    decisionType: { sql: 'd.decision_type', kind: 'string' },
  },
  personal: { subject: (d) => d.personId, owner: () => POLICE },
};

const referral: ResourceDescriptor<Referral> = {
  id: (r) => r.id,
  attributes: {
    housingCompany: (r) => entityRef('Organisation', r.housingCompanyId),
    decidedOnDay: (r) => dayNumber(r.decidedOn),
  },
  sql: {
    housingCompany: { sql: 'r.housing_company', kind: 'entity', entityType: 'Organisation' },
    decidedOnDay: { sql: 'd.decided_on', kind: 'day' },
  },
  personal: { subject: (r) => r.personId, owner: () => POLICE },
};

/** Every type the police subgraph serves, as the police's policies see it. */
export const policeResources = defineResources(
  {
    Query: nonPersonal,
    Mutation: nonPersonal,
    Goal: aggregate({ id: (g: { id: string }) => g.id, attributes: () => ({}) }),
    GoalAssessment: aggregate(nonPersonal),
    HousingArea: aggregate(nonPersonal),
    Organisation: aggregate({ id: (o: { id: string }) => o.id, attributes: (o: { id: string }) => ({ kind: organisationKind(o.id) ?? 'UNKNOWN' }) }),
    SafetyIndexMeasurement: aggregate({ id: (m: { areaId: string; year: number }) => `${m.areaId}:${m.year}`, attributes: (m: { areaId: string }) => ({ areaId: m.areaId }) }),
    IncidentStatistics: aggregate({ id: (s: { areaId: string; year: number }) => `${s.areaId}:${s.year}`, attributes: (s: { areaId: string }) => ({ areaId: s.areaId }) }),
    IncidentMonth: aggregate(nonPersonal),
    IncidentCount: aggregate(nonPersonal),
    Person: { id: (p: { id: string }) => p.id, attributes: () => ({}), personal: { subject: (p: { id: string }) => p.id, owner: () => POLICE } },
    CriminalDecision: criminalDecision,
    Referral: referral,
    ...disclosureLogResources,
  },
  ['CriminalDecisionConnection', 'ReferralConnection', 'DisclosureLogConnection', 'DisclosureLogVerification', 'PageInfo'],
  { safetyIndex: STATISTICS_MAX_AGE, incidentStatistics: STATISTICS_MAX_AGE },
);
