import { AREA_IDS, badInput, HOUSING_COMPANY_IDS } from '@partnergraph/common';

const FORMATS = {
  tenancy: /^T\d{7}$/,
  person: /^P[0-9A-Z]{10}$/,
  department: /^[a-z0-9-]{3,64}$/,
  terminationCase: /^C\d{7}$/,
  referral: /^R\d{7}$/,
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

export function assertCompany(id: string, field = 'companyId'): string {
  if (!HOUSING_COMPANY_IDS.includes(id)) throw badInput('Unknown housing company.', field);
  return id;
}
