import { BODY_KINDS, INITIATIVE_KINDS, INJUNCTION_KINDS, ORGANISATION_KINDS } from '@partnergraph/vocabulary';
import { enumValues } from '@partnergraph/subgraph-kit';
import { registerEnumType } from 'type-graphql';

export const OrganisationKind = enumValues(ORGANISATION_KINDS);
registerEnumType(OrganisationKind, {
  name: 'OrganisationKind',
  description: 'What kind of party an organisation is.',
  valuesConfig: { SECRETARIAT: { description: "Kompetencecenteret, the partnership's secretariat." } },
});

/** The agreement's three kinds of initiative (indsatser). */
export const InitiativeKind = enumValues(INITIATIVE_KINDS);
registerEnumType(InitiativeKind, {
  name: 'InitiativeKind',
  description: "Kind of initiative (indsats) in the partnership agreement.",
  valuesConfig: {
    BUILDING_UP: { description: 'Opbyggende: education and income. Led by the municipality and the housing companies.' },
    PREVENTIVE: { description: 'Forebyggende: raises the feeling of safety. Any party.' },
    CRIME_PREVENTIVE: { description: 'Kriminalitetsforebyggende: prevents crime. Led by the police.' },
  },
});

export const INITIATIVE_STATUSES = ['PLANNED', 'ACTIVE', 'CLOSED'] as const;
export type InitiativeStatusValue = (typeof INITIATIVE_STATUSES)[number];
export const InitiativeStatus = enumValues(INITIATIVE_STATUSES);
registerEnumType(InitiativeStatus, {
  name: 'InitiativeStatus',
  description: "Where an initiative is today, from its period: not started, running, or ended.",
});

/** The municipality's sanctions; the old Serviceloven references are kept for readers of older cases. */
export const InjunctionKind = enumValues(INJUNCTION_KINDS);
registerEnumType(InjunctionKind, {
  name: 'InjunctionKind',
  description: "The municipality's injunctions (pålæg) under barnets lov.",
  valuesConfig: {
    PARENTAL_INJUNCTION: { description: 'Forældrepålæg, barnets lov § 38 (formerly Serviceloven § 57 a): an injunction to the parents.' },
    CHILD_YOUTH_INJUNCTION: {
      description: 'Børne- og ungepålæg, barnets lov § 39 (formerly Serviceloven § 57 b): an injunction to a child or young person aged 10–17.',
    },
  },
});

/** Goals' metrics are shared with the police: see GoalMetric in the kit. */
export { GoalMetric } from '@partnergraph/subgraph-kit';

/** The agreement's bodies (Organisering). */
export const BodyKind = enumValues(BODY_KINDS);
registerEnumType(BodyKind, {
  name: 'BodyKind',
  description: "A body of the partnership's organisation.",
  valuesConfig: {
    BOARD: { description: "The master plan's board, joined twice a year by 3 representatives of the police's management." },
    COORDINATION_GROUP: { description: 'Koordinationsgruppen: 2 police representatives, the municipal efforts and Kompetencecenteret.' },
    FOLLOW_UP_GROUP: { description: 'Følgegruppe: one per area, with 1–2 police representatives.' },
    ANNUAL_CONFERENCE: { description: "The yearly conference for the staff and managers working in the areas." },
  },
});
