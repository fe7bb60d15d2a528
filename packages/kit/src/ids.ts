import { randomBytes } from 'node:crypto';
import { badInput } from '@partnergraph/common';
import { AREA_IDS } from '@partnergraph/vocabulary';

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

const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** The body of an id made by `randomId`, for an owner's id formats. */
export const RANDOM_ID_BODY = '[0-9A-HJKMNP-TV-Z]{16}';

/**
 * An id for a record that is handed to another owner (a referral, a case): a
 * prefix and 16 base-32 characters of 80 random bits, so that no one can
 * guess other records' ids from the ones they were given.
 */
export function randomId(prefix: string): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 16; i++) {
    out = BASE32[Number(bits & 31n)]! + out;
    bits >>= 5n;
  }
  return `${prefix}${out}`;
}
