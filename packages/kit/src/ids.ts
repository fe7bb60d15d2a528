import { AREA_IDS, badInput } from '@partnergraph/common';

/**
 * An owner's id formats, checked before any lookup: a malformed id is a
 * client error (BAD_USER_INPUT), never a miss that could tell existence apart.
 */
export function idFormats<Kind extends string>(formats: Record<Kind, RegExp>) {
  const isId = (kind: Kind, id: unknown): id is string => typeof id === 'string' && formats[kind].test(id);
  const assertId = (kind: Kind, id: string, field = 'id'): string => {
    if (!isId(kind, id)) throw badInput(`Malformed ${kind} id.`, field);
    return id;
  };
  return { isId, assertId };
}

/** The four areas of the agreement; anything else is a client error naming them. */
export function assertArea(id: string, field = 'areaId'): string {
  if (!AREA_IDS.includes(id)) throw badInput(`Unknown area. Known areas: ${AREA_IDS.join(', ')}.`, field);
  return id;
}
