import { PERSONAS } from '@partnergraph/common';
import { daysAgo, ageToday, personaHas, type AccessExpectation, type AccessProbe } from '@partnergraph/subgraph-kit/testing';
import { TERMINATION_90_10_OFFENCES, type World } from '@partnergraph/synthetic';
import type { Purpose } from '@partnergraph/vocabulary';

/**
 * The police's access rules as the police state them (MISSION.md, the README's
 * table), as expectations over the synthetic world: which persona, under which
 * purpose, sees which criminal decisions and referrals, with which fields.
 * Computed from the world, not read back from the Cedar policies they test.
 * Checked at the police subgraph (access.test.ts) and through the gateway
 * (the root access matrix).
 */

const PERSONAL_PURPOSES: readonly Purpose[] = ['CRIME_PREVENTION_63D', 'TERMINATION_90_10', 'SSP_115'];
const HOUSING_PURPOSES: readonly Purpose[] = ['CRIME_PREVENTION_63D', 'TERMINATION_90_10'];
/** § 63 d: only recent decisions (about two years). */
const RECENT_DAYS = 730;

const DECISION_FIELDS = ['id', 'person', 'decidedOn', 'offenceCategory', 'decisionType', 'sentenceDays', 'withinOrAffectingArea', 'area', 'caseNumber', 'court', 'offenceDescription', 'referrals'];
/** What a housing company may learn of a decision referred to it. */
const DECISION_SUMMARY = ['id', 'decidedOn', 'offenceCategory', 'decisionType', 'area'];
const REFERRAL_FIELDS = ['id', 'decision', 'person', 'housingCompany', 'purpose', 'referredOn'];

const isPoliceStaff = (name: string) => personaHas(name, 'POLICE', 'investigator');
const isHousingCaseworker = (name: string) => personaHas(name, 'HOUSING_COMPANY', 'caseworker');
const isMunicipalCaseworker = (name: string) => personaHas(name, 'MUNICIPALITY', 'caseworker');
const rows = (ids: Iterable<string>) => new Set(ids);

/**
 * What a company may read of a referral, and so of its decision (Almenboligloven § 63 d, almenlejeloven
 * § 90 stk. 1 nr. 10): made to it, under the purpose asked under, for acts within or affecting the area, at
 * most two years old, never a withdrawn charge; under § 90 only unconditional imprisonment for a listed offence.
 */
function companyMayRead(r: Referral, company: string, purpose: Purpose): boolean {
  const d = r.decision;
  if (r.company !== company || r.purpose !== purpose) return false;
  if (!d.withinOrAffectingArea || daysAgo(d.decidedOn) > RECENT_DAYS || d.decisionType === 'CHARGE_WITHDRAWN') return false;
  return purpose === 'CRIME_PREVENTION_63D' || (d.decisionType === 'UNCONDITIONAL_IMPRISONMENT' && TERMINATION_90_10_OFFENCES.includes(d.offenceCategory));
}

type Decision = ReturnType<World['decision']>;
interface Referral {
  id: string;
  company: string;
  purpose: string;
  decision: Decision;
}

export function accessProbes(world: World): AccessProbe[] {
  const decisions = [...world.decisions()];
  const referrals = decisions.flatMap((d): Referral[] => {
    const r = world.referralFor(d);
    return r ? [{ id: r.id, company: r.housingCompany, purpose: r.purpose, decision: d }] : [];
  });

  const decisionAccess = (name: string, purpose: Purpose): AccessExpectation => {
    if (isPoliceStaff(name) && PERSONAL_PURPOSES.includes(purpose)) return { rows: rows(decisions.map((d) => d.id)), fields: DECISION_FIELDS };
    if (isHousingCaseworker(name) && HOUSING_PURPOSES.includes(purpose)) {
      const company = PERSONAS[name]!.organisation;
      return { rows: rows(referrals.filter((r) => companyMayRead(r, company, purpose)).map((r) => r.decision.id)), fields: DECISION_SUMMARY };
    }
    // § 115: the municipality's caseworkers, about persons under 18.
    if (isMunicipalCaseworker(name) && purpose === 'SSP_115') {
      return { rows: rows(decisions.filter((d) => ageToday(d.personBirthDate) < 18).map((d) => d.id)), fields: [...DECISION_SUMMARY, 'person', 'withinOrAffectingArea'] };
    }
    return 'none';
  };

  const referralAccess = (name: string, purpose: Purpose): AccessExpectation => {
    if (isPoliceStaff(name) && PERSONAL_PURPOSES.includes(purpose)) return { rows: rows(referrals.map((r) => r.id)), fields: REFERRAL_FIELDS };
    if (isHousingCaseworker(name) && HOUSING_PURPOSES.includes(purpose)) {
      const company = PERSONAS[name]!.organisation;
      return { rows: rows(referrals.filter((r) => companyMayRead(r, company, purpose)).map((r) => r.id)), fields: REFERRAL_FIELDS };
    }
    return 'none';
  };

  return [
    {
      name: 'criminal decisions',
      root: 'criminalDecisions',
      fields: DECISION_FIELDS,
      objectFields: ['person', 'area'],
      listFields: ['referrals'],
      expect: decisionAccess,
    },
    {
      name: 'referrals',
      root: 'referrals',
      fields: REFERRAL_FIELDS,
      objectFields: ['decision', 'person', 'housingCompany'],
      expect: referralAccess,
    },
  ];
}
