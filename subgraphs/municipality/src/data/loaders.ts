import { manyByKey, oneByKey, type Database } from '@partnergraph/subgraph-kit';
import { GOAL_METRICS, INITIATIVE_KINDS, ORGANISATIONS } from '@partnergraph/vocabulary';
import DataLoader from 'dataloader';
import type { InitiativeKindCount } from '../types/AreaActivity.js';
import type { Goal } from '../types/Goal.js';
import type { HousingArea } from '../types/HousingArea.js';
import type { Initiative } from '../types/Initiative.js';
import type { Injunction } from '../types/Injunction.js';
import type { Body, Meeting, MeetingDecision, MeetingParticipation } from '../types/Meeting.js';
import type { Notice, NoticeAcknowledgement } from '../types/Notice.js';
import type { Organisation } from '../types/Organisation.js';
import {
  ACKNOWLEDGEMENT_COLUMNS,
  AREA_COLUMNS,
  BODY_COLUMNS,
  DECISION_COLUMNS,
  GOAL_COLUMNS,
  INITIATIVE_COLUMNS,
  INJUNCTION_COLUMNS,
  MEETING_COLUMNS,
  MISSING_ACKNOWLEDGEMENT,
  NOTICE_COLUMNS,
  ORGANISATION_COLUMNS,
  PARTICIPANT_COLUMNS,
  statusCondition,
  today,
} from './rows.js';

type Participation = MeetingParticipation & { meetingId: string };

/** One SQL statement per loader per request tick, however many entities are asked for. */
export function createMunicipalityLoaders(db: Database) {
  return {
    areaById: new DataLoader<string, HousingArea | null>(async (ids) =>
      oneByKey(ids, await db.query<HousingArea>(`SELECT ${AREA_COLUMNS} FROM housing_areas a WHERE a.id = ANY($1)`, [ids]), (r) => r.id),
    ),
    organisationById: new DataLoader<string, Organisation | null>(async (ids) =>
      oneByKey(ids, await db.query<Organisation>(`SELECT ${ORGANISATION_COLUMNS} FROM organisations o WHERE o.id = ANY($1)`, [ids]), (r) => r.id),
    ),
    initiativeById: new DataLoader<string, Initiative | null>(async (ids) =>
      oneByKey(ids, await db.query<Initiative>(`SELECT ${INITIATIVE_COLUMNS} FROM initiatives i WHERE i.id = ANY($1)`, [ids]), (r) => r.id),
    ),
    /** Initiatives running today, per area. */
    activeInitiativeCountByArea: new DataLoader<string, number>(async (areaIds) => {
      const rows = await db.query<{ areaId: string; n: number }>(
        `SELECT ia.area_id AS "areaId", count(*)::int AS n FROM initiatives i JOIN initiative_areas ia ON ia.initiative_id = i.id
         WHERE ia.area_id = ANY($1) AND ${statusCondition('ACTIVE', '$2')} GROUP BY ia.area_id`,
        [areaIds, today()],
      );
      return oneByKey(areaIds, rows, (r) => r.areaId).map((r) => r?.n ?? 0);
    }),
    /** Initiatives running today, per area and kind (every kind, zeros included). */
    activeInitiativesByKindByArea: new DataLoader<string, InitiativeKindCount[]>(async (areaIds) => {
      const rows = await db.query<{ areaId: string; kind: string; n: number }>(
        `SELECT ia.area_id AS "areaId", i.kind, count(*)::int AS n FROM initiatives i JOIN initiative_areas ia ON ia.initiative_id = i.id
         WHERE ia.area_id = ANY($1) AND ${statusCondition('ACTIVE', '$2')} GROUP BY ia.area_id, i.kind`,
        [areaIds, today()],
      );
      return areaIds.map((areaId) =>
        INITIATIVE_KINDS.map((kind) => ({ kind, count: rows.find((r) => r.areaId === areaId && r.kind === kind)?.n ?? 0 })),
      );
    }),
    /** Notices concerning each area that some party other than the poster has not acknowledged. */
    awaitingAcknowledgementByArea: new DataLoader<string, number>(async (areaIds) => {
      const rows = await db.query<{ areaId: string; n: number }>(
        `SELECT na.area_id AS "areaId", count(*)::int AS n FROM notices n JOIN notice_areas na ON na.notice_id = n.id
         WHERE na.area_id = ANY($1) AND ${MISSING_ACKNOWLEDGEMENT} GROUP BY na.area_id`,
        [areaIds],
      );
      return oneByKey(areaIds, rows, (r) => r.areaId).map((r) => r?.n ?? 0);
    }),
    injunctionById: new DataLoader<string, Injunction | null>(async (ids) =>
      oneByKey(ids, await db.query<Injunction>(`SELECT ${INJUNCTION_COLUMNS} FROM injunctions j WHERE j.id = ANY($1)`, [ids]), (r) => r.id),
    ),
    injunctionsByPerson: new DataLoader<string, Injunction[]>(async (personIds) =>
      manyByKey(
        personIds,
        await db.query<Injunction>(
          `SELECT ${INJUNCTION_COLUMNS} FROM injunctions j WHERE j.person_id = ANY($1) ORDER BY j.issued_on DESC, j.id DESC`,
          [personIds],
        ),
        (r) => r.personId,
      ),
    ),
    /** The parties and the secretariat, in the agreement's order (one key: 'all'). */
    partyIds: new DataLoader<string, string[]>(async (keys) => {
      const rows = await db.query<{ id: string }>('SELECT o.id FROM organisations o ORDER BY array_position($1::text[], o.id), o.id', [
        ORGANISATIONS.map((o) => o.id),
      ]);
      return keys.map(() => rows.map((r) => r.id));
    }),
    goalById: new DataLoader<string, Goal | null>(async (ids) =>
      oneByKey(ids, await db.query<Goal>(`SELECT ${GOAL_COLUMNS} FROM goals g WHERE g.id = ANY($1)`, [ids]), (r) => r.id),
    ),
    goalsByArea: new DataLoader<string, Goal[]>(async (areaIds) =>
      manyByKey(
        areaIds,
        await db.query<Goal>(
          `SELECT ${GOAL_COLUMNS} FROM goals g WHERE g.area_id = ANY($1) ORDER BY g.area_id, array_position($2::text[], g.metric), g.id`,
          [areaIds, GOAL_METRICS],
        ),
        (r) => r.areaId,
      ),
    ),
    noticeById: new DataLoader<string, Notice | null>(async (ids) =>
      oneByKey(ids, await db.query<Notice>(`SELECT ${NOTICE_COLUMNS} FROM notices n WHERE n.id = ANY($1)`, [ids]), (r) => r.id),
    ),
    acknowledgementsByNotice: new DataLoader<string, NoticeAcknowledgement[]>(async (noticeIds) =>
      manyByKey(
        noticeIds,
        await db.query<NoticeAcknowledgement>(
          `SELECT ${ACKNOWLEDGEMENT_COLUMNS} FROM notice_acknowledgements k WHERE k.notice_id = ANY($1) ORDER BY k.acknowledged_at, k.organisation_id`,
          [noticeIds],
        ),
        (r) => r.noticeId,
      ),
    ),
    bodyById: new DataLoader<string, Body | null>(async (ids) =>
      oneByKey(ids, await db.query<Body>(`SELECT ${BODY_COLUMNS} FROM bodies b WHERE b.id = ANY($1)`, [ids]), (r) => r.id),
    ),
    meetingById: new DataLoader<string, Meeting | null>(async (ids) =>
      oneByKey(ids, await db.query<Meeting>(`SELECT ${MEETING_COLUMNS} FROM meetings m WHERE m.id = ANY($1)`, [ids]), (r) => r.id),
    ),
    participantsByMeeting: new DataLoader<string, Participation[]>(async (meetingIds) =>
      manyByKey(
        meetingIds,
        await db.query<Participation>(
          `SELECT ${PARTICIPANT_COLUMNS} FROM meeting_participants p WHERE p.meeting_id = ANY($1) ORDER BY p.meeting_id, p.organisation_id`,
          [meetingIds],
        ),
        (r) => r.meetingId,
      ),
    ),
    decisionsByMeeting: new DataLoader<string, MeetingDecision[]>(async (meetingIds) =>
      manyByKey(
        meetingIds,
        await db.query<MeetingDecision>(
          `SELECT ${DECISION_COLUMNS} FROM meeting_decisions d WHERE d.meeting_id = ANY($1) ORDER BY d.due_on, d.id`,
          [meetingIds],
        ),
        (r) => r.meetingId,
      ),
    ),
  };
}

export type MunicipalityLoaders = ReturnType<typeof createMunicipalityLoaders>;
