import { badInput } from '@partnergraph/common';
import { ORGANISATIONS, PARTNERSHIP_BODIES } from '@partnergraph/vocabulary';
import { idFormats } from '@partnergraph/subgraph-kit';

/** The municipality's id formats. */
const FORMATS = {
  initiative: /^I\d{5}$/,
  injunction: /^J\d{7}$/,
  person: /^P[0-9A-Z]{10}$/,
  goal: /^goal-[a-z0-9-]{1,80}$/,
  notice: /^N\d{6}$/,
  meeting: /^M\d{6}$/,
  decision: /^MD\d{6}$/,
};

export type IdKind = keyof typeof FORMATS;
export const { isId, assertId } = idFormats(FORMATS);
export { assertArea } from '@partnergraph/subgraph-kit';

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
