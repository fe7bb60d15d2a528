import { AREA_IDS, badInput } from '@partnergraph/common';

const FORMATS = {
  decision: /^D\d{7}$/,
  referral: /^R\d{7}$/,
  person: /^P[0-9A-Z]{10}$/,
} as const;

/** Ids are checked for shape before any lookup: a malformed id is a client error, not a miss. */
export function assertId(kind: keyof typeof FORMATS, id: string, field = 'id'): string {
  if (!FORMATS[kind].test(id)) throw badInput(`Malformed ${kind} id.`, field);
  return id;
}

export function assertArea(id: string, field = 'areaId'): string {
  if (!AREA_IDS.includes(id)) throw badInput(`Unknown area. Known areas: ${AREA_IDS.join(', ')}.`, field);
  return id;
}
