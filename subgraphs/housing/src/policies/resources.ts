import { organisationKind } from '@partnergraph/vocabulary';
import { dayNumber, defineResources, disclosureLogResources, entityRef, entityRefs, type ResourceDescriptor } from '@partnergraph/subgraph-kit';
import { CASE_COLUMNS, TENANCY_COLUMNS } from '../data/rows.js';
import type { CrimeTermination } from '../types/CrimeTermination.js';
import type { Referral } from '../types/Referral.js';
import type { Tenancy } from '../types/Tenancy.js';
import type { TenancyHolding } from '../types/TenancyHolding.js';
import type { TerminationCase } from '../types/TerminationCase.js';

/** Rows not owned by one company (a person's key, a holding without tenancy) are logged as the subgraph's. */
const HOUSING = 'housing';

const nonPersonal: ResourceDescriptor<{ id?: string }> = { id: (row) => row.id ?? 'value', attributes: () => ({}) };
/** Departments and occupancy change slowly; five minutes in the gateway's cache. */
const SLOW_MAX_AGE = 300;
const cacheable = <Row>(descriptor: ResourceDescriptor<Row>): ResourceDescriptor<Row> => ({ ...descriptor, cacheMaxAgeSeconds: SLOW_MAX_AGE });

const tenancy: ResourceDescriptor<Tenancy> = {
  id: (t) => t.id,
  attributes: {
    company: (t) => entityRef('Organisation', t.companyId),
    areaId: (t) => t.areaId,
    isCurrent: (t) => t.isCurrent,
  },
  sql: {
    company: { sql: 't.company_id', kind: 'entity', entityType: 'Organisation' },
    areaId: { sql: 't.area_id', kind: 'string' },
    isCurrent: { sql: '(t.end_date IS NULL)', kind: 'boolean' },
  },
  rows: (db) => db.query<Tenancy>(`SELECT ${TENANCY_COLUMNS} FROM tenancies t`),
  personal: { subject: (t) => t.tenantPersonId, owner: (t) => t.companyId },
};

const terminationCase: ResourceDescriptor<TerminationCase> = {
  id: (c) => c.id,
  attributes: {
    company: (c) => entityRef('Organisation', c.companyId),
    purpose: (c) => c.purpose,
    fromConfirmedReferral: (c) => c.fromConfirmedReferral,
    referralDecidedOnDay: (c) => (c.referralDecidedOn ? dayNumber(c.referralDecidedOn) : 0),
  },
  sql: {
    company: { sql: 'c.company_id', kind: 'entity', entityType: 'Organisation' },
    purpose: { sql: 'c.purpose', kind: 'string' },
    fromConfirmedReferral: { sql: '(c.referral_confirmed_at IS NOT NULL)', kind: 'boolean' },
    referralDecidedOnDay: { sql: "coalesce(c.referral_decided_on, DATE '1970-01-01')", kind: 'day' },
  },
  rows: (db) => db.query<TerminationCase>(`SELECT ${CASE_COLUMNS} FROM termination_cases c JOIN tenancies t ON t.id = c.tenancy_id`),
  personal: { subject: (c) => c.tenantPersonId, owner: (c) => c.companyId },
};

/** § 63 e: the fact of a termination for crime, with what decides whether another company may learn it. */
const crimeTermination: ResourceDescriptor<CrimeTermination> = {
  id: (c) => `${c.personId}:${c.companyId}`,
  attributes: {
    terminatingCompany: (c) => entityRef('Organisation', c.companyId),
    areaCompanies: (c) => entityRefs('Organisation', c.areaCompanyIds),
    fromConfirmedReferral: (c) => c.fromConfirmedReferral,
    basis: (c) => c.basis,
    status: (c) => c.status,
  },
  personal: { subject: (c) => c.personId, owner: (c) => c.companyId },
};

/** The police's referral as a caller presented it (from the police's answer, through the gateway). */
const referral: ResourceDescriptor<Referral> = {
  id: (r) => r.id,
  attributes: { claimedCompany: (r) => entityRefs('Organisation', r.housingCompany?.id ? [r.housingCompany.id] : []) },
};

const tenancyHolding: ResourceDescriptor<TenancyHolding> = {
  id: (h) => h.personId,
  attributes: () => ({}),
  personal: { subject: (h) => h.personId, owner: (h) => (h.companyIds.length ? h.companyIds : HOUSING) },
};

/** Every type the housing subgraph serves, as the housing companies' policies see it. */
export const housingResources = defineResources(
  {
    Query: nonPersonal,
    Mutation: nonPersonal,
    CrimeTermination: crimeTermination,
    HousingArea: cacheable(nonPersonal),
    Organisation: cacheable({ id: (o: { id: string }) => o.id, attributes: (o: { id: string }) => ({ kind: organisationKind(o.id) ?? 'UNKNOWN' }) }),
    Department: cacheable<{ id: string; companyId: string }>({
      id: (d) => d.id,
      attributes: (d) => ({ company: entityRef('Organisation', d.companyId) }),
      sql: { company: { sql: 'd.company_id', kind: 'entity', entityType: 'Organisation' } },
    }),
    OccupancyStatistics: cacheable({ id: (o: { areaId: string }) => o.areaId, attributes: () => ({}) }),
    TerminationCaseStatistics: cacheable({ id: (s: { areaId: string }) => s.areaId, attributes: () => ({}) }),
    TerminationCaseCount: cacheable(nonPersonal),
    DepartmentOccupancy: cacheable({ id: (o: { departmentId: string }) => o.departmentId, attributes: () => ({}) }),
    Person: { id: (p: { id: string }) => p.id, attributes: () => ({}), personal: { subject: (p: { id: string }) => p.id, owner: () => HOUSING } },
    Tenancy: tenancy,
    TenancyHolding: tenancyHolding,
    TerminationCase: terminationCase,
    Referral: referral,
    ...disclosureLogResources,
  },
  ['TenancyConnection', 'TerminationCaseConnection', 'DisclosureLogConnection', 'DisclosureLogVerification', 'PageInfo'],
  { departments: SLOW_MAX_AGE },
);
