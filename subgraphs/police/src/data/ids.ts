import { idFormats } from '@partnergraph/subgraph-kit';

export { assertArea } from '@partnergraph/subgraph-kit';

/** The police's id formats. */
export const { assertId } = idFormats({
  decision: /^D\d{7}$/,
  referral: /^R\d{7}$/,
  person: /^P[0-9A-Z]{10}$/,
});
