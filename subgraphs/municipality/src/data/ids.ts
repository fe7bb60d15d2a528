import { AREA_IDS, badInput, ORGANISATIONS } from '@partnergraph/common';
import { PARTNERSHIP_BODIES } from '@partnergraph/synthetic';

const FORMATS = {
  initiative: /^I\d{5}$/,
  injunction: /^J\d{7}$/,
  person: /^P[0-9A-Z]{10}$/,
  goal: /^goal-[a-z0-9-]{1,80}$/,
  notice: /^N\d{6}$/,
  meeting: /^M\d{6}$/,
  decision: /^MD\d{6}$/,
} as const;

export type IdKind = keyof typeof FORMATS;

export const isId = (kind: IdKind, id: unknown): id is string => typeof id === 'string' && FORMATS[kind].test(id);

/** Ids are checked for shape before any lookup: a malformed id is a client error, not a miss. */
export function assertId(kind: IdKind, id: string, field = 'id'): string {
  if (!isId(kind, id)) throw badInput(`Malformed ${kind} id.`, field);
  return id;
}

export function assertArea(id: string, field = 'areaId'): string {
  if (!AREA_IDS.includes(id)) throw badInput(`Unknown area. Known areas: ${AREA_IDS.join(', ')}.`, field);
  return id;
}

const ORGANISATION_IDS = ORGANISATIONS.map((o) => o.id);

export function assertOrganisation(id: string, field = 'organisationId'): string {
  if (!ORGANISATION_IDS.includes(id)) throw badInput(`Unknown organisation. Known organisations: ${ORGANISATION_IDS.join(', ')}.`, field);
  return id;
}

const BODY_IDS = PARTNERSHIP_BODIES.map((b) => b.id);

export function assertBody(id: string, field = 'bodyId'): string {
  if (!BODY_IDS.includes(id)) throw badInput(`Unknown body. Known bodies: ${BODY_IDS.join(', ')}.`, field);
  return id;
}
