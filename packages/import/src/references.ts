import { AREAS, ORGANISATIONS } from '@partnergraph/vocabulary';
import { choice, choiceList, type Choice } from './values.js';

/**
 * The agreement's areas by id or name; an area with two names (Ringparken /
 * Schackenborg Vænge) by either. The CSV export writes the full name.
 */
export const AREA_CHOICES: readonly Choice[] = AREAS.map((a) => ({
  value: a.id,
  labels: [a.name, ...(a.name.includes('/') ? a.name.split('/').map((part) => part.trim()) : []), a.id],
}));

export const area = choice('area', AREA_CHOICES);
export const areas = choiceList('area', AREA_CHOICES);

/** The parties by id, short name or full name (`Politiet`, `FOB`, `Slagelse Kommune`); the CSV export writes the short name. */
export const ORGANISATION_CHOICES: readonly Choice[] = ORGANISATIONS.map((o) => ({ value: o.id, labels: [o.shortName, o.name, o.id] }));

export const organisation = choice('organisation', ORGANISATION_CHOICES);
