import { organisationKind } from '@partnergraph/common';
import { defineResources, disclosureLogResources, type ResourceDescriptor } from '@partnergraph/subgraph-kit';
import type { Injunction } from '../types/Injunction.js';

/** The organisation whose records these are: every disclosure is logged as its. */
export const MUNICIPALITY = 'slagelse-kommune';

const nonPersonal: ResourceDescriptor<{ id?: string }> = { id: (row) => row.id ?? 'value', attributes: () => ({}) };

const injunction: ResourceDescriptor<Injunction> = {
  id: (j) => j.id,
  attributes: (j) => ({ areaId: j.areaId }),
  sql: { areaId: { sql: 'j.area_id', kind: 'string' } },
  personal: { subject: (j) => j.personId, owner: () => MUNICIPALITY },
};

/** Every type the municipality subgraph serves, as the municipality's policies see it. */
export const municipalityResources = defineResources(
  {
    Query: nonPersonal,
    HousingArea: nonPersonal,
    Organisation: { id: (o: { id: string }) => o.id, attributes: (o: { id: string }) => ({ kind: organisationKind(o.id) ?? 'UNKNOWN' }) },
    Initiative: nonPersonal,
    InjunctionStatistics: {
      id: (s: { areaId: string | null; fromYear: number; toYear: number }) => `${s.areaId ?? 'all'}:${s.fromYear}-${s.toYear}`,
      attributes: () => ({}),
    },
    InjunctionYear: nonPersonal,
    InjunctionCount: nonPersonal,
    Person: { id: (p: { id: string }) => p.id, attributes: () => ({}), personal: { subject: (p: { id: string }) => p.id, owner: () => MUNICIPALITY } },
    Injunction: injunction,
    ...disclosureLogResources,
  },
  ['InitiativeConnection', 'InjunctionConnection', 'DisclosureLogConnection', 'DisclosureLogVerification', 'PageInfo'],
);
