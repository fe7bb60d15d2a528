import type { Role } from './principal.js';
import type { Purpose } from '@partnergraph/vocabulary';

export interface Persona {
  subject: string;
  organisation: string;
  roles: Role[];
  purposes: Purpose[];
  areas: string[];
  description: string;
}

const ALL_AREAS = ['motalavej', 'ringparken', 'sydbyen', 'parkvej'];
const housingCaseworker = (organisation: string, areas: string[]): Omit<Persona, 'subject' | 'description'> => ({
  organisation,
  roles: ['caseworker'],
  purposes: ['CRIME_PREVENTION_63D', 'TERMINATION_90_10', 'STATISTICS', 'COORDINATION'],
  areas,
});

/** Synthetic dev identities; none is a real person. */
export const PERSONAS: Record<string, Persona> = {
  'police-investigator': {
    subject: 'dev-police-investigator',
    organisation: 'police',
    roles: ['investigator'],
    purposes: ['CRIME_PREVENTION_63D', 'TERMINATION_90_10', 'SSP_115', 'STATISTICS', 'COORDINATION'],
    areas: ALL_AREAS,
    description: 'Investigator at Sydsjællands og Lolland-Falsters Politi',
  },
  'police-auditor': {
    subject: 'dev-police-auditor',
    organisation: 'police',
    roles: ['auditor'],
    purposes: ['STATISTICS', 'COORDINATION'],
    areas: ALL_AREAS,
    description: "Reads the police district's disclosure log",
  },
  'municipality-caseworker': {
    subject: 'dev-municipality-caseworker',
    organisation: 'slagelse-kommune',
    roles: ['caseworker'],
    purposes: ['SSP_115', 'STATISTICS', 'COORDINATION'],
    areas: ALL_AREAS,
    description: 'Social-services caseworker at Slagelse Kommune',
  },
  'municipality-auditor': {
    subject: 'dev-municipality-auditor',
    organisation: 'slagelse-kommune',
    roles: ['auditor'],
    purposes: ['STATISTICS', 'COORDINATION'],
    areas: ALL_AREAS,
    description: "Reads Slagelse Kommune's disclosure log",
  },
  'housing-fob-caseworker': {
    subject: 'dev-fob-caseworker',
    ...housingCaseworker('fob', ['ringparken', 'sydbyen']),
    description: 'Caseworker at Fællesorganisationens Boligselskab Slagelse',
  },
  'housing-bk-caseworker': {
    subject: 'dev-bk-caseworker',
    ...housingCaseworker('bolig-korsor', ['motalavej']),
    description: 'Caseworker at Bolig Korsør',
  },
  'housing-sab-caseworker': {
    subject: 'dev-sab-caseworker',
    ...housingCaseworker('sab', ['ringparken', 'sydbyen']),
    description: 'Caseworker at Slagelse Almennyttige Boligselskab',
  },
  'housing-fob-auditor': {
    subject: 'dev-fob-auditor',
    organisation: 'fob',
    roles: ['auditor'],
    purposes: ['STATISTICS', 'COORDINATION'],
    areas: [],
    description: "Reads the housing subgraph's disclosure log rows of FOB",
  },
  'secretariat-coordinator': {
    subject: 'dev-secretariat-coordinator',
    organisation: 'kompetencecenteret',
    roles: ['coordinator'],
    purposes: ['COORDINATION', 'STATISTICS'],
    areas: ALL_AREAS,
    description: "Coordinator at Kompetencecenteret, the partnership's secretariat",
  },
  'board-member': {
    subject: 'dev-board-member',
    organisation: 'slagelse-kommune',
    roles: ['board-member'],
    purposes: ['COORDINATION', 'STATISTICS'],
    areas: ALL_AREAS,
    description: "Member of the partnership's board",
  },
  analyst: {
    subject: 'dev-analyst',
    organisation: 'kompetencecenteret',
    roles: ['analyst'],
    purposes: ['STATISTICS'],
    areas: ALL_AREAS,
    description: 'Analyst running ad-hoc aggregate queries',
  },
};
