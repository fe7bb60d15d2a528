import { organisationKind } from '@partnergraph/common';
import { defineResources, disclosureLogResources, type ResourceDescriptor } from '@partnergraph/subgraph-kit';
import type { Injunction } from '../types/Injunction.js';

/** The organisation whose records these are: every disclosure is logged as its. */
export const MUNICIPALITY = 'slagelse-kommune';

const nonPersonal: ResourceDescriptor<{ id?: string }> = { id: (row) => row.id ?? 'value', attributes: () => ({}) };

/**
 * How long the gateway may keep answers made only of these (per access scope):
 * the register for five minutes (the gateway also forgets cached answers after
 * any mutation through it), counts and reference data for an hour.
 */
const REGISTER_MAX_AGE = 300;
const STATISTICS_MAX_AGE = 3600;
const cacheFor = <Row>(seconds: number, descriptor: ResourceDescriptor<Row>): ResourceDescriptor<Row> => ({ ...descriptor, cacheMaxAgeSeconds: seconds });

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
    HousingArea: cacheFor(REGISTER_MAX_AGE, nonPersonal),
    Organisation: cacheFor(STATISTICS_MAX_AGE, {
      id: (o: { id: string }) => o.id,
      attributes: (o: { id: string }) => ({ kind: organisationKind(o.id) ?? 'UNKNOWN' }),
    }),
    Initiative: cacheFor(REGISTER_MAX_AGE, nonPersonal),
    InjunctionStatistics: cacheFor(STATISTICS_MAX_AGE, {
      id: (s: { areaId: string | null; fromYear: number; toYear: number }) => `${s.areaId ?? 'all'}:${s.fromYear}-${s.toYear}`,
      attributes: () => ({}),
    }),
    InjunctionYear: cacheFor(STATISTICS_MAX_AGE, nonPersonal),
    InjunctionCount: cacheFor(STATISTICS_MAX_AGE, nonPersonal),
    Person: { id: (p: { id: string }) => p.id, attributes: () => ({}), personal: { subject: (p: { id: string }) => p.id, owner: () => MUNICIPALITY } },
    Injunction: injunction,
    ...disclosureLogResources,
  },
  ['InitiativeConnection', 'InjunctionConnection', 'DisclosureLogConnection', 'DisclosureLogVerification', 'PageInfo'],
  {
    areas: REGISTER_MAX_AGE,
    area: REGISTER_MAX_AGE,
    organisations: STATISTICS_MAX_AGE,
    organisation: STATISTICS_MAX_AGE,
    initiatives: REGISTER_MAX_AGE,
    initiative: REGISTER_MAX_AGE,
    injunctionStatistics: STATISTICS_MAX_AGE,
  },
);
