import { badInput, HOUSING_COMPANY_IDS } from '@partnergraph/common';
import { idFormats } from '@partnergraph/subgraph-kit';

export { assertArea } from '@partnergraph/subgraph-kit';

/** The housing companies' id formats. */
export const { assertId } = idFormats({
  tenancy: /^T\d{7}$/,
  person: /^P[0-9A-Z]{10}$/,
  department: /^[a-z0-9-]{3,64}$/,
  terminationCase: /^C\d{7}$/,
  referral: /^R\d{7}$/,
});

export function assertCompany(id: string, field = 'companyId'): string {
  if (!HOUSING_COMPANY_IDS.includes(id)) throw badInput('Unknown housing company.', field);
  return id;
}
