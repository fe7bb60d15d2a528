import { PERSONAS } from '@partnergraph/common';
import { personaHas, type AccessExpectation, type AccessProbe } from '@partnergraph/subgraph-kit/testing';
import type { World } from '@partnergraph/synthetic';
import type { Purpose } from '@partnergraph/vocabulary';

/**
 * The housing companies' access rules as they state them (MISSION.md, the
 * README's table), as expectations over the synthetic world: each company sees
 * its own tenancies and termination cases under § 63 d / § 90 purposes, and no
 * one else sees any. Computed from the world, not read back from the Cedar
 * policies they test. Checked at the housing subgraph (access.test.ts) and
 * through the gateway (the root access matrix).
 */

const HOUSING_PURPOSES: readonly Purpose[] = ['CRIME_PREVENTION_63D', 'TERMINATION_90_10'];
const TENANCY_FIELDS = ['id', 'unitAddress', 'tenant', 'tenantName', 'householdSize', 'startDate', 'endDate', 'monthlyRent', 'isCurrent', 'department', 'company', 'area'];
const CASE_FIELDS = ['id', 'status', 'statusChangedOn', 'basis', 'openedOn', 'version', 'tenancy', 'company', 'referral'];

/** The company whose caseworker asks under a purpose that lets companies see their own tenants, else none. */
function ownCompany(name: string, purpose: Purpose): string | null {
  return personaHas(name, 'HOUSING_COMPANY', 'caseworker') && HOUSING_PURPOSES.includes(purpose) ? PERSONAS[name]!.organisation : null;
}

export function accessProbes(world: World): AccessProbe[] {
  const tenancies = [...world.tenancies()];
  const cases = [...world.decisions()].flatMap((d) => {
    const referral = world.referralFor(d);
    const found = referral && world.terminationCaseFor(referral);
    return found ? [found] : [];
  });

  const tenancyAccess = (name: string, purpose: Purpose): AccessExpectation => {
    const company = ownCompany(name, purpose);
    return company ? { rows: new Set(tenancies.filter((t) => t.companyId === company).map((t) => t.id)), fields: TENANCY_FIELDS } : 'none';
  };
  const caseAccess = (name: string, purpose: Purpose): AccessExpectation => {
    const company = ownCompany(name, purpose);
    // A case is run, and read, under the purpose of the referral it answers.
    return company ? { rows: new Set(cases.filter((c) => c.companyId === company && c.purpose === purpose).map((c) => c.id)), fields: CASE_FIELDS } : 'none';
  };

  return [
    {
      name: 'tenancies',
      root: 'tenancies',
      fields: TENANCY_FIELDS,
      objectFields: ['tenant', 'department', 'company', 'area'],
      expect: tenancyAccess,
    },
    {
      name: 'termination cases',
      root: 'terminationCases',
      fields: CASE_FIELDS,
      objectFields: ['tenancy', 'company', 'referral'],
      expect: caseAccess,
    },
  ];
}
