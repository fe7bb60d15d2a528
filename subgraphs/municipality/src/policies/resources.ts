import { organisationKind } from '@partnergraph/vocabulary';
import { defineResources, disclosureLogResources, entityRef, type ResourceDescriptor } from '@partnergraph/subgraph-kit';
import { INJUNCTION_COLUMNS } from '../data/rows.js';
import type { Initiative } from '../types/Initiative.js';
import type { Injunction } from '../types/Injunction.js';
import type { MeetingDecision } from '../types/Meeting.js';
import type { Notice, NoticeAcknowledgement } from '../types/Notice.js';

/** The organisation whose records these are: every disclosure is logged as its. */
export const MUNICIPALITY = 'slagelse-kommune';

const nonPersonal: ResourceDescriptor<{ id?: string }> = { id: (row) => row.id ?? 'value', attributes: () => ({}) };

/**
 * How long the gateway may keep answers made only of these (per access scope):
 * the register for five minutes (the gateway also forgets cached answers after
 * any mutation through it), notices and meetings — work lists that change
 * during the day — for a minute, counts and reference data for an hour.
 * Mutation root fields are never listed: an answer with a mutation is never cached.
 */
const REGISTER_MAX_AGE = 300;
const WORKFLOW_MAX_AGE = 60;
const STATISTICS_MAX_AGE = 3600;
const cacheFor = <Row>(seconds: number, descriptor: ResourceDescriptor<Row>): ResourceDescriptor<Row> => ({ ...descriptor, cacheMaxAgeSeconds: seconds });

const injunction: ResourceDescriptor<Injunction> = {
  id: (j) => j.id,
  attributes: (j) => ({ areaId: j.areaId }),
  sql: { areaId: { sql: 'j.area_id', kind: 'string' } },
  rows: (db) => db.query<Injunction>(`SELECT ${INJUNCTION_COLUMNS} FROM injunctions j`),
  personal: { subject: (j) => j.personId, owner: () => MUNICIPALITY },
};

/** Write rules speak of the organisation a record belongs to. */
const initiative: ResourceDescriptor<Initiative> = {
  id: (i) => i.id,
  attributes: (i) => ({ responsible: entityRef('Organisation', i.responsibleOrganisationId) }),
  sql: { responsible: { sql: 'i.responsible_organisation', kind: 'entity', entityType: 'Organisation' } },
};
const notice: ResourceDescriptor<Notice> = {
  id: (n) => n.id,
  attributes: (n) => ({ postedBy: entityRef('Organisation', n.postedById) }),
};
const decision: ResourceDescriptor<MeetingDecision> = {
  id: (d) => d.id,
  attributes: (d) => ({ owner: entityRef('Organisation', d.ownerId) }),
  sql: { owner: { sql: 'd.owner_organisation', kind: 'entity', entityType: 'Organisation' } },
};

/** A party's own record, keyed and ruled by its organisation. */
const ofOrganisation: ResourceDescriptor<{ organisationId: string }> = {
  id: (r) => r.organisationId,
  attributes: (r) => ({ organisation: entityRef('Organisation', r.organisationId) }),
};

/** Every type the municipality subgraph serves, as the municipality's policies see it. */
export const municipalityResources = defineResources(
  {
    Query: nonPersonal,
    Mutation: nonPersonal,
    Subscription: nonPersonal,
    HousingArea: cacheFor(REGISTER_MAX_AGE, nonPersonal),
    Organisation: cacheFor(STATISTICS_MAX_AGE, {
      id: (o: { id: string }) => o.id,
      attributes: (o: { id: string }) => ({ kind: organisationKind(o.id) ?? 'UNKNOWN' }),
    }),
    Initiative: cacheFor(REGISTER_MAX_AGE, initiative),
    InitiativeKindCount: cacheFor(REGISTER_MAX_AGE, { id: (c: { kind: string }) => c.kind, attributes: () => ({}) }),
    Goal: cacheFor(REGISTER_MAX_AGE, nonPersonal),
    Notice: cacheFor(WORKFLOW_MAX_AGE, notice),
    NoticeAcknowledgement: cacheFor(WORKFLOW_MAX_AGE, {
      id: (a: NoticeAcknowledgement) => `${a.noticeId}:${a.organisationId}`,
      attributes: (a: NoticeAcknowledgement) => ({ organisation: entityRef('Organisation', a.organisationId) }),
      // Who acknowledged is a member of staff: that one field is their personal data.
      personal: { subject: (a: NoticeAcknowledgement) => a.acknowledgedBy, owner: () => MUNICIPALITY, fields: ['acknowledgedBy'] },
    }),
    Body: cacheFor(STATISTICS_MAX_AGE, nonPersonal),
    Meeting: cacheFor(WORKFLOW_MAX_AGE, nonPersonal),
    MeetingParticipation: cacheFor(WORKFLOW_MAX_AGE, {
      id: (p: { meetingId: string; organisationId: string }) => `${p.meetingId}:${p.organisationId}`,
      attributes: () => ({}),
    }),
    MeetingDecision: cacheFor(WORKFLOW_MAX_AGE, decision),
    InjunctionStatistics: cacheFor(STATISTICS_MAX_AGE, {
      id: (s: { areaId: string | null; fromYear: number; toYear: number }) => `${s.areaId ?? 'all'}:${s.fromYear}-${s.toYear}`,
      attributes: () => ({}),
    }),
    InjunctionYear: cacheFor(STATISTICS_MAX_AGE, nonPersonal),
    InjunctionCount: cacheFor(STATISTICS_MAX_AGE, nonPersonal),
    Person: { id: (p: { id: string }) => p.id, attributes: () => ({}), personal: { subject: (p: { id: string }) => p.id, owner: () => MUNICIPALITY } },
    Injunction: injunction,
    // Never cached: a party's own integration settings and live delivery counts.
    Webhook: ofOrganisation,
    WebhookDeliveryState: ofOrganisation,
    ...disclosureLogResources,
  },
  [
    'InitiativeConnection',
    'NoticeConnection',
    'MeetingConnection',
    'InjunctionConnection',
    'DisclosureLogConnection',
    'DisclosureLogVerification',
    'PageInfo',
  ],
  {
    areas: REGISTER_MAX_AGE,
    area: REGISTER_MAX_AGE,
    organisations: STATISTICS_MAX_AGE,
    organisation: STATISTICS_MAX_AGE,
    initiatives: REGISTER_MAX_AGE,
    initiative: REGISTER_MAX_AGE,
    goals: REGISTER_MAX_AGE,
    bodies: STATISTICS_MAX_AGE,
    notices: WORKFLOW_MAX_AGE,
    notice: WORKFLOW_MAX_AGE,
    overdueAcknowledgements: WORKFLOW_MAX_AGE,
    lateNotices: WORKFLOW_MAX_AGE,
    meetings: WORKFLOW_MAX_AGE,
    meeting: WORKFLOW_MAX_AGE,
    overdueDecisions: WORKFLOW_MAX_AGE,
    injunctionStatistics: STATISTICS_MAX_AGE,
  },
);
