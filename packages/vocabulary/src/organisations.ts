/** What kind of party an organisation is; every access decision starts from it. */
export const ORGANISATION_KINDS = ['POLICE', 'MUNICIPALITY', 'HOUSING_COMPANY', 'SECRETARIAT'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export interface OrganisationInfo {
  id: string;
  name: string;
  shortName: string;
  kind: OrganisationKind;
}

/**
 * The parties to the partnership agreement and its secretariat. Every subgraph
 * knows them: an organisation's kind enters every access decision.
 */
export const ORGANISATIONS: readonly OrganisationInfo[] = [
  { id: 'police', name: 'Sydsjællands og Lolland-Falsters Politi', shortName: 'Politiet', kind: 'POLICE' },
  { id: 'slagelse-kommune', name: 'Slagelse Kommune', shortName: 'Slagelse Kommune', kind: 'MUNICIPALITY' },
  { id: 'bolig-korsor', name: 'Bolig Korsør', shortName: 'BK', kind: 'HOUSING_COMPANY' },
  { id: 'skaelskor-boligselskab', name: 'Skælskør Boligselskab', shortName: 'SKB', kind: 'HOUSING_COMPANY' },
  { id: 'fob', name: 'Fællesorganisationens Boligselskab Slagelse', shortName: 'FOB', kind: 'HOUSING_COMPANY' },
  { id: 'sab', name: 'Slagelse Almennyttige Boligselskab', shortName: 'SAB', kind: 'HOUSING_COMPANY' },
  { id: 'slagelse-boligselskab', name: 'Slagelse Boligselskab', shortName: 'SBS', kind: 'HOUSING_COMPANY' },
  { id: 'kompetencecenteret', name: 'Kompetencecenteret', shortName: 'Sekretariatet', kind: 'SECRETARIAT' },
];

const byId = new Map(ORGANISATIONS.map((o) => [o.id, o]));

export function organisationKind(id: string): OrganisationKind | undefined {
  return byId.get(id)?.kind;
}

export const HOUSING_COMPANY_IDS = ORGANISATIONS.filter((o) => o.kind === 'HOUSING_COMPANY').map((o) => o.id);

/** The short name partners use (FOB, BK, …), for messages; the id itself for an unknown one. */
export function organisationShortName(id: string): string {
  return byId.get(id)?.shortName ?? id;
}
