import { badInput } from '@partnergraph/common';
import { AREA_IDS } from '@partnergraph/vocabulary';
import { assertArea } from './ids.js';

/** Trimmed text of `min`–`max` characters, or a client error naming the field. */
export function text(value: string | null | undefined, field: string, min: number, max: number): string {
  const trimmed = (value ?? '').trim();
  if (trimmed.length < min || trimmed.length > max) {
    throw badInput(min > 0 ? `${field} must be ${min}–${max} characters.` : `${field} must be at most ${max} characters.`, field);
  }
  return trimmed;
}

/** One or more distinct known areas, in the agreement's order. */
export function areaList(ids: readonly string[] | null | undefined, field: string): string[] {
  if (!ids || ids.length === 0) throw badInput(`${field} must name at least one area (${AREA_IDS.join(', ')}).`, field);
  for (const id of ids) assertArea(id, field);
  if (new Set(ids).size !== ids.length) throw badInput(`${field} names an area twice.`, field);
  return AREA_IDS.filter((a) => ids.includes(a));
}

/** A GraphQL Int argument within bounds. */
export function intBetween(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw badInput(`${field} must be between ${min} and ${max}.`, field);
  return value;
}
