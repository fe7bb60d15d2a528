import { PERSONAS, PURPOSES, type Purpose } from '@partnergraph/common';
import { municipalityInjunctions, TERMINATION_90_10_OFFENCES, type World } from '@partnergraph/synthetic';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type System } from './support/system.js';

/**
 * The access matrix: every persona × every purpose × every personal type, its
 * fields and its entity lookups, through the gateway and straight at the
 * owner's subgraph. Expectations are written from the rules as the owners
 * state them (issue #3, MISSION.md), computed from the synthetic world — not
 * read back from the Cedar policies they test.
 */

type Expect = { rows: Set<string>; fields: readonly string[] } | 'none';

const DAY = 86_400_000;
const today = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z');
const daysAgo = (date: string) => Math.round((today.getTime() - Date.parse(`${date}T00:00:00Z`)) / DAY);
const ageToday = (birth: string) => {
  const b = new Date(`${birth}T00:00:00Z`);
  let age = today.getUTCFullYear() - b.getUTCFullYear();
  if (today.getUTCMonth() < b.getUTCMonth() || (today.getUTCMonth() === b.getUTCMonth() && today.getUTCDate() < b.getUTCDate())) age--;
  return age;
};
const HOUSING_PERSONAL = new Set(['CRIME_PREVENTION_63D', 'TERMINATION_90_10']);

type Decision = ReturnType<World['decision']>;
interface Facts {
  decisions: Decision[];
  referrals: Array<{ id: string; company: string; purpose: string; decision: Decision }>;
  tenancies: ReturnType<World['tenancy']>[];
  cases: Array<{ id: string; company: string; purpose: string; referralId: string }>;
  injunctions: string[];
}

function facts(world: World): Facts {
  const decisions = [...world.decisions()];
  const referrals: Facts['referrals'] = [];
  const cases: Facts['cases'] = [];
  for (const d of decisions) {
    const r = world.referralFor(d);
    if (!r) continue;
    referrals.push({ id: r.id, company: r.housingCompany, purpose: r.purpose, decision: d });
    const c = world.terminationCaseFor(r);
    if (c) cases.push({ id: c.id, company: c.companyId, purpose: c.purpose, referralId: r.id });
  }
  return { decisions, referrals, tenancies: [...world.tenancies()], cases, injunctions: municipalityInjunctions(world).map((i) => i.id) };
}

/**
 * What a company may read of a referral, and so of its decision (Almenboligloven § 63 d, almenlejeloven
 * § 90 stk. 1 nr. 10): made to it, under the purpose asked under, for acts within or affecting the area, at
 * most two years old, never a withdrawn charge; under § 90 only unconditional imprisonment for a listed offence.
 */
function companyMayRead(r: Facts['referrals'][number], company: string, purpose: string): boolean {
  const d = r.decision;
  if (r.company !== company || r.purpose !== purpose) return false;
  if (!d.withinOrAffectingArea || daysAgo(d.decidedOn) > 730 || d.decisionType === 'CHARGE_WITHDRAWN') return false;
  return purpose === 'CRIME_PREVENTION_63D' || (d.decisionType === 'UNCONDITIONAL_IMPRISONMENT' && TERMINATION_90_10_OFFENCES.includes(d.offenceCategory));
}

const persona = (name: string) => PERSONAS[name]!;
const isHousingCaseworker = (name: string) => persona(name).roles.includes('caseworker') && name.startsWith('housing-');
const isPoliceStaff = (name: string) => name === 'police-investigator';

const DECISION_FIELDS = ['id', 'person', 'decidedOn', 'offenceCategory', 'decisionType', 'sentenceDays', 'withinOrAffectingArea', 'area', 'caseNumber', 'court', 'offenceDescription', 'referrals'];
const DECISION_SUMMARY = ['id', 'decidedOn', 'offenceCategory', 'decisionType', 'area'];

function expectDecisions(f: Facts, name: string, purpose: Purpose): Expect {
  const p = persona(name);
  if (isPoliceStaff(name) && ['CRIME_PREVENTION_63D', 'TERMINATION_90_10', 'SSP_115'].includes(purpose)) {
    return { rows: new Set(f.decisions.map((d) => d.id)), fields: DECISION_FIELDS };
  }
  if (isHousingCaseworker(name) && HOUSING_PERSONAL.has(purpose)) {
    const rows = f.referrals.filter((r) => companyMayRead(r, p.organisation, purpose)).map((r) => r.decision);
    return { rows: new Set(rows.map((d) => d.id)), fields: DECISION_SUMMARY };
  }
  if (name === 'municipality-caseworker' && purpose === 'SSP_115') {
    const rows = f.decisions.filter((d) => ageToday(d.personBirthDate) < 18);
    return { rows: new Set(rows.map((d) => d.id)), fields: [...DECISION_SUMMARY, 'person', 'withinOrAffectingArea'] };
  }
  return 'none';
}

const REFERRAL_FIELDS = ['id', 'decision', 'person', 'housingCompany', 'purpose', 'referredOn'];
function expectReferrals(f: Facts, name: string, purpose: Purpose): Expect {
  if (isPoliceStaff(name) && ['CRIME_PREVENTION_63D', 'TERMINATION_90_10', 'SSP_115'].includes(purpose)) {
    return { rows: new Set(f.referrals.map((r) => r.id)), fields: REFERRAL_FIELDS };
  }
  if (isHousingCaseworker(name) && HOUSING_PERSONAL.has(purpose)) {
    const rows = f.referrals.filter((r) => companyMayRead(r, persona(name).organisation, purpose));
    return { rows: new Set(rows.map((r) => r.id)), fields: REFERRAL_FIELDS };
  }
  return 'none';
}

const TENANCY_FIELDS = ['id', 'unitAddress', 'tenant', 'tenantName', 'householdSize', 'startDate', 'endDate', 'monthlyRent', 'isCurrent', 'department', 'company', 'area'];
function expectTenancies(f: Facts, name: string, purpose: Purpose): Expect {
  if (isHousingCaseworker(name) && HOUSING_PERSONAL.has(purpose)) {
    return { rows: new Set(f.tenancies.filter((t) => t.companyId === persona(name).organisation).map((t) => t.id)), fields: TENANCY_FIELDS };
  }
  return 'none';
}

const CASE_FIELDS = ['id', 'status', 'statusChangedOn', 'basis', 'openedOn', 'version', 'tenancy', 'company', 'referral'];
function expectCases(f: Facts, name: string, purpose: Purpose): Expect {
  if (isHousingCaseworker(name) && HOUSING_PERSONAL.has(purpose)) {
    // A case is run, and read, under the purpose of the referral it answers.
    const rows = f.cases.filter((c) => c.company === persona(name).organisation && c.purpose === purpose);
    return { rows: new Set(rows.map((c) => c.id)), fields: CASE_FIELDS };
  }
  return 'none';
}

const INJUNCTION_FIELDS = ['id', 'person', 'kind', 'area', 'issuedOn', 'endsOn', 'reason', 'caseworker'];
function expectInjunctions(f: Facts, name: string, purpose: Purpose): Expect {
  if (name === 'municipality-caseworker' && purpose === 'SSP_115') return { rows: new Set(f.injunctions), fields: INJUNCTION_FIELDS };
  return 'none';
}

const selection = (fields: readonly string[]) =>
  fields.map((f) => (['person', 'area', 'department', 'company', 'tenant', 'housingCompany', 'decision', 'tenancy', 'referral'].includes(f) ? `${f} { id }` : f === 'referrals' ? 'referrals { id }' : f)).join(' ');

interface ListProbe {
  name: string;
  owner: string;
  root: string;
  fields: readonly string[];
  expect: (f: Facts, persona: string, purpose: Purpose) => Expect;
}

const LISTS: ListProbe[] = [
  { name: 'criminal decisions', owner: 'police', root: 'criminalDecisions', fields: DECISION_FIELDS, expect: expectDecisions },
  { name: 'referrals', owner: 'police', root: 'referrals', fields: REFERRAL_FIELDS, expect: expectReferrals },
  { name: 'tenancies', owner: 'housing', root: 'tenancies', fields: TENANCY_FIELDS, expect: expectTenancies },
  { name: 'termination cases', owner: 'housing', root: 'terminationCases', fields: CASE_FIELDS, expect: expectCases },
  { name: 'injunctions', owner: 'municipality', root: 'injunctions', fields: INJUNCTION_FIELDS, expect: expectInjunctions },
];

type Res = Awaited<ReturnType<System['gql']>>;

/** Asserts a list answer against the expectation: the exact rows, the visible fields set, the refused ones null with FORBIDDEN. */
function assertList(res: Res, probe: ListProbe, expected: Expect, label: string) {
  const list = res.body.data?.[probe.root];
  if (expected === 'none') {
    const nodes = list?.nodes ?? [];
    expect(nodes, `${label}: no rows`).toEqual([]);
    return;
  }
  expect(list, `${label}: list present (${JSON.stringify(res.body.errors?.slice(0, 2))})`).toBeTruthy();
  const ids = new Set<string>(list.nodes.map((n: { id: string }) => n.id));
  expect([...ids].sort(), `${label}: exactly the permitted rows`).toEqual([...expected.rows].sort());
  if (ids.size === 0) return;
  const refused = probe.fields.filter((f) => !expected.fields.includes(f));
  for (const field of refused) {
    expect(list.nodes.every((n: Record<string, unknown>) => n[field] === null), `${label}: ${field} withheld`).toBe(true);
  }
  const forbiddenFields = new Set(
    (res.body.errors ?? []).filter((e) => e.extensions?.['code'] === 'FORBIDDEN').map((e) => String(e.path?.[e.path.length - 1])),
  );
  expect([...forbiddenFields].sort(), `${label}: FORBIDDEN exactly on refused fields`).toEqual([...refused].sort());
  for (const field of expected.fields) {
    if (field === 'referrals') continue;
    expect(list.nodes.some((n: Record<string, unknown>) => n[field] !== null && n[field] !== undefined), `${label}: ${field} visible`).toBe(true);
  }
  const codes = new Set((res.body.errors ?? []).map((e) => e.extensions?.['code']));
  codes.delete('FORBIDDEN');
  expect([...codes], `${label}: no other errors`).toEqual([]);
}

const COMBOS = Object.keys(PERSONAS).flatMap((name) => PURPOSES.map((purpose) => [name, purpose] as const));

describe('access matrix', () => {
  let system: System;
  let f: Facts;
  beforeAll(async () => {
    system = await startSystem();
    f = facts(system.world);
  });
  afterAll(() => system?.stop());

  it.each(COMBOS)('%s under %s', async (name, purpose) => {
    const mayUse = persona(name).purposes.includes(purpose);
    for (const probe of LISTS) {
      const query = `{ ${probe.root}(first: 1000) { nodes { ${selection(probe.fields)} } } }`;
      for (const [path, client] of [
        ['gateway', system.gql],
        ['direct', system.direct(probe.owner)],
      ] as const) {
        const res = await client(name, purpose, query);
        const label = `${probe.name} via ${path} as ${name} under ${purpose}`;
        if (!mayUse) {
          expect(res.body.errors?.[0]?.extensions?.['code'], label).toBe('PURPOSE_NOT_ALLOWED');
          expect(res.body.data ?? null, label).toBeNull();
          continue;
        }
        assertList(res, probe, probe.expect(f, name, purpose), label);
      }
    }
  });
});
