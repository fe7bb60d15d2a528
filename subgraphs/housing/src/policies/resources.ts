import { organisationKind } from '@partnergraph/common';
import { defineResources, disclosureLogResources, entityRef, type ResourceDescriptor } from '@partnergraph/subgraph-kit';
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
  personal: { subject: (t) => t.tenantPersonId, owner: (t) => t.companyId },
};

const terminationCase: ResourceDescriptor<TerminationCase> = {
  id: (c) => c.id,
  attributes: {
    company: (c) => entityRef('Organisation', c.companyId),
    fromPoliceReferral: (c) => c.referralId !== null,
  },
  sql: {
    company: { sql: 'c.company_id', kind: 'entity', entityType: 'Organisation' },
    fromPoliceReferral: { sql: '(c.referral_id IS NOT NULL)', kind: 'boolean' },
  },
  personal: { subject: (c) => c.tenantPersonId, owner: (c) => c.companyId },
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
    CrimeTermination: {
      id: (c: { personId: string; companyId: string }) => `${c.personId}:${c.companyId}`,
      attributes: () => ({}),
      personal: { subject: (c: { personId: string }) => c.personId, owner: (c: { companyId: string }) => c.companyId },
    },
    HousingArea: cacheable(nonPersonal),
    Organisation: cacheable({ id: (o: { id: string }) => o.id, attributes: (o: { id: string }) => ({ kind: organisationKind(o.id) ?? 'UNKNOWN' }) }),
    Department: cacheable<{ id: string; companyId: string }>({ id: (d) => d.id, attributes: (d) => ({ company: entityRef('Organisation', d.companyId) }) }),
    OccupancyStatistics: cacheable({ id: (o: { areaId: string }) => o.areaId, attributes: () => ({}) }),
    DepartmentOccupancy: cacheable({ id: (o: { departmentId: string }) => o.departmentId, attributes: () => ({}) }),
    Person: { id: (p: { id: string }) => p.id, attributes: () => ({}), personal: { subject: (p: { id: string }) => p.id, owner: () => HOUSING } },
    Tenancy: tenancy,
    TenancyHolding: tenancyHolding,
    TerminationCase: terminationCase,
    Referral: nonPersonal,
    ...disclosureLogResources,
  },
  ['TenancyConnection', 'TerminationCaseConnection', 'DisclosureLogConnection', 'DisclosureLogVerification', 'PageInfo'],
  { departments: SLOW_MAX_AGE },
);
