import { badInput } from '@partnergraph/common';
import { organisationKind, type OrganisationKind } from '@partnergraph/vocabulary';
import { INITIATIVE_KINDS } from '@partnergraph/vocabulary';
import { assertOrganisation } from './ids.js';
import { addDays, today } from './rows.js';
import { areaList, intBetween, text } from './validate.js';

/**
 * The municipality's rules for the records it keeps, in one place: its
 * GraphQL mutations and its imports apply the same ones. Each throws a client
 * error naming the field (`<prefix>.<field>`, or the field alone without a prefix).
 */
const at = (prefix: string, field: string) => (prefix ? `${prefix}.${field}` : field);

/** The agreement: the municipality and the housing companies lead building-up, the police crime-preventive; all may do preventive. */
const LEADS: Record<string, readonly OrganisationKind[]> = {
  BUILDING_UP: ['MUNICIPALITY', 'HOUSING_COMPANY'],
  PREVENTIVE: ['POLICE', 'MUNICIPALITY', 'HOUSING_COMPANY', 'SECRETARIAT'],
  CRIME_PREVENTIVE: ['POLICE'],
};
const LEAD_WORDS: Record<string, string> = {
  BUILDING_UP: 'Building-up initiatives are led by the municipality or a housing company',
  CRIME_PREVENTIVE: 'Crime-preventive initiatives are led by the police',
  PREVENTIVE: 'Preventive initiatives are led by any party',
};

/** Initiatives in the register start from 2000 and at most ten years ahead: anything else is a typing error. */
const EARLIEST = '2000-01-01';

export interface InitiativeState {
  title: string;
  description: string;
  kind: string;
  areaIds: string[];
  startsOn: string;
  endsOn: string | null;
}

export function validateInitiative(input: Partial<Record<keyof InitiativeState, unknown>>, responsible: string, prefix: string): InitiativeState {
  const title = text(input.title as string, at(prefix, 'title'), 3, 200);
  const description = text((input.description as string | null) ?? '', at(prefix, 'description'), 0, 4000);
  const kind = input.kind as string;
  if (!(INITIATIVE_KINDS as readonly string[]).includes(kind)) throw badInput(`Unknown kind. Known kinds: ${INITIATIVE_KINDS.join(', ')}.`, at(prefix, 'kind'));
  const leadKind = organisationKind(responsible);
  if (!leadKind || !LEADS[kind]!.includes(leadKind)) {
    throw badInput(`${LEAD_WORDS[kind]} (the agreement's "Indsatser"); the responsible organisation here is ${responsible}.`, at(prefix, 'kind'));
  }
  const areaIds = areaList(input.areaIds as string[], at(prefix, 'areaIds'));
  const startsOn = input.startsOn as string;
  const latest = addDays(today(), 3653);
  if (startsOn < EARLIEST || startsOn > latest) throw badInput(`startsOn must lie between ${EARLIEST} and ${latest}.`, at(prefix, 'startsOn'));
  const endsOn = (input.endsOn as string | null | undefined) ?? null;
  if (endsOn !== null && endsOn < startsOn) throw badInput('endsOn must not be before startsOn.', at(prefix, 'endsOn'));
  return { title, description, kind, areaIds, startsOn, endsOn };
}

/** The first partnership agreement took effect in April 2014. */
export const FIRST_MEETING = '2014-04-01';

const BODY_WORDS: Record<string, string> = {
  BOARD: 'A board meeting',
  COORDINATION_GROUP: 'A coordination group meeting',
  FOLLOW_UP_GROUP: 'A follow-up group meeting',
  ANNUAL_CONFERENCE: 'The annual conference',
};

export interface BodyRule {
  kind: string;
  /** Police representatives the agreement asks for (null: not stated). */
  minPoliceRepresentatives: number | null;
  policeRepresentatives: number | null;
}

export interface MeetingState {
  scheduledFor: string;
  title: string;
  participants: Array<{ organisationId: string; representatives: number }>;
}

/** A meeting: its day between the first agreement and five years ahead, and the police's representatives as the agreement says for the body. */
export function validateMeeting(body: BodyRule, input: MeetingState, prefix: string): MeetingState {
  const title = text(input.title, at(prefix, 'title'), 3, 200);
  const latest = addDays(today(), 5 * 365);
  if (input.scheduledFor < FIRST_MEETING || input.scheduledFor > latest) {
    throw badInput(`scheduledFor must lie between ${FIRST_MEETING} (the first agreement) and ${latest}.`, at(prefix, 'scheduledFor'));
  }
  const participants = input.participants;
  if (!participants || participants.length === 0) throw badInput('participants must name at least one organisation.', at(prefix, 'participants'));
  const seen = new Set<string>();
  participants.forEach((p, i) => {
    assertOrganisation(p.organisationId, `${at(prefix, 'participants')}[${i}].organisationId`);
    if (seen.has(p.organisationId)) throw badInput('participants names an organisation twice.', `${at(prefix, 'participants')}[${i}].organisationId`);
    seen.add(p.organisationId);
    intBetween(p.representatives, `${at(prefix, 'participants')}[${i}].representatives`, 1, 50);
  });
  const police = participants.filter((p) => organisationKind(p.organisationId) === 'POLICE').reduce((n, p) => n + p.representatives, 0);
  const min = body.minPoliceRepresentatives;
  const max = body.policeRepresentatives;
  if (!(min === null || max === null || (police >= min && police <= max))) {
    const rule = min === max ? `exactly ${min}` : `${min}–${max}`;
    throw badInput(`${BODY_WORDS[body.kind]} has ${rule} police representatives (the agreement's "Organisering"); got ${police}.`, at(prefix, 'participants'));
  }
  return { scheduledFor: input.scheduledFor, title, participants };
}

export interface DecisionState {
  text: string;
  ownerId: string;
  dueOn: string;
  completedOn: string | null;
}

/** A decision of a meeting that has been held: its follow-up due not before the meeting, completed (if so) between the meeting and today. */
export function validateDecision(meetingOn: string, input: DecisionState, prefix: string): DecisionState {
  if (meetingOn > today()) throw badInput(`Decisions are recorded for a meeting that has been held; this one is on ${meetingOn}.`, at(prefix, 'meetingId'));
  const decisionText = text(input.text, at(prefix, 'text'), 3, 2000);
  const ownerId = assertOrganisation(input.ownerId, at(prefix, 'ownerId'));
  if (input.dueOn < meetingOn) throw badInput(`dueOn must not be before the meeting (${meetingOn}).`, at(prefix, 'dueOn'));
  if (input.completedOn !== null) validateCompletion(meetingOn, input.completedOn, at(prefix, 'completedOn'));
  return { text: decisionText, ownerId, dueOn: input.dueOn, completedOn: input.completedOn };
}

export function validateCompletion(meetingOn: string, completedOn: string, field: string): void {
  if (completedOn > today()) throw badInput('completedOn must not be in the future.', field);
  if (completedOn < meetingOn) throw badInput(`completedOn must not be before the meeting (${meetingOn}).`, field);
}
