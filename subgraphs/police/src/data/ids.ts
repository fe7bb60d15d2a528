import { idFormats, RANDOM_ID_BODY } from '@partnergraph/subgraph-kit';

export { assertArea } from '@partnergraph/subgraph-kit';

/**
 * The police's id formats. Decision and referral ids reach housing companies,
 * so they are random (`randomId`); rows made before that keep their numbered
 * ids (a letter and seven digits), which stay valid.
 */
export const { assertId, isId } = idFormats({
  decision: new RegExp(`^D(\\d{7}|${RANDOM_ID_BODY})$`),
  referral: new RegExp(`^R(\\d{7}|${RANDOM_ID_BODY})$`),
  person: /^P[0-9A-Z]{10}$/,
});
