import { badInput } from '@partnergraph/common';
import { HOUSING_COMPANY_IDS } from '@partnergraph/vocabulary';
import { idFormats, RANDOM_ID_BODY } from '@partnergraph/subgraph-kit';

export { assertArea } from '@partnergraph/subgraph-kit';

/**
 * The housing companies' id formats. Case ids reach the police and referral
 * ids come from them: both random (`randomId`), or numbered (a letter and
 * seven digits) for rows made before.
 */
export const { assertId, isId } = idFormats({
  tenancy: /^T\d{7}$/,
  person: /^P[0-9A-Z]{10}$/,
  department: /^[a-z0-9-]{3,64}$/,
  terminationCase: new RegExp(`^C(\\d{7}|${RANDOM_ID_BODY})$`),
  referral: new RegExp(`^R(\\d{7}|${RANDOM_ID_BODY})$`),
});

export function assertCompany(id: string, field = 'companyId'): string {
  if (!HOUSING_COMPANY_IDS.includes(id)) throw badInput('Unknown housing company.', field);
  return id;
}
