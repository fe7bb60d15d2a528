import { organisationKind } from '@partnergraph/vocabulary';
import {
  dayNumber,
  defineResources,
  disclosureLogResources,
  entityRef,
  entityRefs,
  type ResourceDescriptor,
  type SqlAttribute,
  type SqlAttributeMap,
} from '@partnergraph/subgraph-kit';
import { DECISION_COLUMNS, REFERRAL_COLUMNS } from '../data/rows.js';
import type { CriminalDecision } from '../types/CriminalDecision.js';
import type { Referral } from '../types/Referral.js';

const POLICE = 'police';

/** Today (UTC) as 'YYYY-MM-DD', made once a day rather than once per row. */
let todayCache = { day: -1, text: '' };
function todayText(): string {
  const day = Math.floor(Date.now() / 86_400_000);
  if (day !== todayCache.day) todayCache = { day, text: new Date(day * 86_400_000).toISOString().slice(0, 10) };
  return todayCache.text;
}

/** Whole years between a birth date and today (UTC), from the 'YYYY-MM-DD' text: no Date per row. */
export function ageInYears(birthDate: string, today = todayText()): number {
  const age = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? age - 1 : age;
}

const nonPersonal: ResourceDescriptor<{ id?: string }> = { id: (row) => row.id ?? 'value', attributes: () => ({}) };
/** Yearly and monthly statistics change rarely: an hour in the gateway's cache is fine. */
const STATISTICS_MAX_AGE = 3600;
const aggregate = <Row>(descriptor: ResourceDescriptor<Row>): ResourceDescriptor<Row> => ({ ...descriptor, cacheMaxAgeSeconds: STATISTICS_MAX_AGE });

/** The decision facts the housing rules test, on a decision and on a referral alike. */
type DecisionFacts = Pick<CriminalDecision, 'decidedOn' | 'decisionType' | 'offenceCategory' | 'withinOrAffectingArea' | 'areaId'>;
const decisionFacts = {
  decidedOnDay: (d: DecisionFacts) => dayNumber(d.decidedOn),
  decisionType: (d: DecisionFacts) => d.decisionType,
  offenceCategory: (d: DecisionFacts) => d.offenceCategory,
  withinOrAffectingArea: (d: DecisionFacts) => d.withinOrAffectingArea,
  areaId: (d: DecisionFacts) => d.areaId,
};
const decisionFactsSql: SqlAttributeMap = {
  decidedOnDay: { sql: 'd.decided_on', kind: 'day' },
  decisionType: { sql: 'd.decision_type', kind: 'string' },
  offenceCategory: { sql: 'd.offence_category', kind: 'string' },
  withinOrAffectingArea: { sql: 'd.within_or_affecting_area', kind: 'boolean' },
  areaId: { sql: 'd.area_id', kind: 'string' },
};

const criminalDecision: ResourceDescriptor<CriminalDecision> = {
  id: (d) => d.id,
  // One function per attribute: a rule about age costs one computation per row, not six.
  attributes: {
    ...decisionFacts,
    subjectAge: (d) => ageInYears(d.personBirthDate),
    referredUnder63d: (d) => entityRefs('Organisation', d.referredUnder63d),
    referredUnder9010: (d) => entityRefs('Organisation', d.referredUnder9010),
  },
  sql: {
    ...decisionFactsSql,
    subjectAge: { sql: 'd.person_birth_date', kind: 'ageFromBirthDate' },
    referredUnder63d: { sql: 'd.referred_under_63d', kind: 'entitySet', entityType: 'Organisation', member: '(d.referred_under_63d @> ARRAY[?]::text[])' },
    referredUnder9010: { sql: 'd.referred_under_90_10', kind: 'entitySet', entityType: 'Organisation', member: '(d.referred_under_90_10 @> ARRAY[?]::text[])' },
  },
  rows: (db) => db.query<CriminalDecision>(`SELECT ${DECISION_COLUMNS} FROM criminal_decisions d`),
  personal: { subject: (d) => d.personId, owner: () => POLICE },
};

/** A referral under one purpose, as the set of companies it was referred to under each (one or none). */
const referredUnder = (purpose: string) => (r: Referral) => entityRefs('Organisation', r.purpose === purpose ? [r.housingCompanyId] : []);
const referredUnderSql = (purpose: string): SqlAttribute => ({
  sql: `(CASE WHEN r.purpose = '${purpose}' THEN ARRAY[r.housing_company] ELSE '{}'::text[] END)`,
  kind: 'entitySet',
  entityType: 'Organisation',
  member: `(r.purpose = '${purpose}' AND r.housing_company = ?)`,
});

/**
 * A referral tells its company that the police hold a criminal matter about a
 * tenant: it discloses its decision, so it carries the decision's facts and is
 * decided by the same rules (policies.cedar), not by rules of its own.
 */
const referral: ResourceDescriptor<Referral> = {
  id: (r) => r.id,
  attributes: {
    ...decisionFacts,
    housingCompany: (r) => entityRef('Organisation', r.housingCompanyId),
    purpose: (r) => r.purpose,
    referredUnder63d: referredUnder('CRIME_PREVENTION_63D'),
    referredUnder9010: referredUnder('TERMINATION_90_10'),
  },
  sql: {
    ...decisionFactsSql,
    housingCompany: { sql: 'r.housing_company', kind: 'entity', entityType: 'Organisation' },
    purpose: { sql: 'r.purpose', kind: 'string' },
    referredUnder63d: referredUnderSql('CRIME_PREVENTION_63D'),
    referredUnder9010: referredUnderSql('TERMINATION_90_10'),
  },
  rows: (db) => db.query<Referral>(`SELECT ${REFERRAL_COLUMNS} FROM referrals r JOIN criminal_decisions d ON d.id = r.decision_id`),
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
    ReferralStatistics: aggregate({ id: (s: { areaId: string }) => s.areaId, attributes: () => ({}) }),
    ReferralCount: aggregate(nonPersonal),
    Person: { id: (p: { id: string }) => p.id, attributes: () => ({}), personal: { subject: (p: { id: string }) => p.id, owner: () => POLICE } },
    CriminalDecision: criminalDecision,
    Referral: referral,
    ...disclosureLogResources,
  },
  ['CriminalDecisionConnection', 'ReferralConnection', 'DisclosureLogConnection', 'DisclosureLogVerification', 'PageInfo'],
  { safetyIndex: STATISTICS_MAX_AGE, incidentStatistics: STATISTICS_MAX_AGE },
);
