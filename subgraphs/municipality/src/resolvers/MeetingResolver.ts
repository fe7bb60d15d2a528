import { badInput, forbidden, notFound } from '@partnergraph/common';
import { PARTNERSHIP_BODIES } from '@partnergraph/vocabulary';
import { assertUpdated, conflict, entityRef, pageOfVisible, runMutation, Where, type Page, type Queryable } from '@partnergraph/subgraph-kit';
import { LocalDateResolver } from 'graphql-scalars';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { MunicipalityContext } from '../context.js';
import { assertBody, assertId, assertOrganisation, isId } from '../data/ids.js';
import { BODY_COLUMNS, DECISION_COLUMNS, MEETING_COLUMNS, today } from '../data/rows.js';
import { validateCompletion, validateDecision, validateMeeting } from '../data/rules.js';
import { MUNICIPALITY } from '../policies/resources.js';
import { HousingArea } from '../types/HousingArea.js';
import {
  Body,
  Meeting,
  MeetingConnection,
  MeetingDecision,
  MeetingParticipation,
  RecordDecisionInput,
  ScheduleMeetingInput,
} from '../types/Meeting.js';
import { Organisation } from '../types/Organisation.js';

const BODY_IDS = PARTNERSHIP_BODIES.map((b) => b.id);

async function readMeeting(tx: Queryable, id: string): Promise<Meeting> {
  const [row] = await tx.query<Meeting>(`SELECT ${MEETING_COLUMNS} FROM meetings m WHERE m.id = $1`, [id]);
  if (!row) throw notFound('Meeting');
  return row;
}

async function readDecision(tx: Queryable, id: string): Promise<MeetingDecision & { meetingOn: string }> {
  const [row] = await tx.query<MeetingDecision & { meetingOn: string }>(
    `SELECT ${DECISION_COLUMNS}, m.scheduled_for AS "meetingOn" FROM meeting_decisions d JOIN meetings m ON m.id = d.meeting_id WHERE d.id = $1`,
    [id],
  );
  if (!row) throw notFound('Decision');
  return row;
}

@Resolver(() => Body)
export class BodyResolver {
  @Query(() => [Body], { nullable: true, description: "The partnership's bodies: board, coordination group, a follow-up group per area, annual conference." })
  async bodies(@Ctx() ctx: MunicipalityContext): Promise<Body[]> {
    const rows = await ctx.db.query<Body>(`SELECT ${BODY_COLUMNS} FROM bodies b ORDER BY array_position($1::text[], b.id), b.id`, [BODY_IDS]);
    return ctx.authz.visible('Body', rows);
  }

  @FieldResolver(() => HousingArea, { nullable: true })
  async area(@Root() body: Body, @Ctx() ctx: MunicipalityContext): Promise<HousingArea | null> {
    if (!body.areaId) return null;
    return ctx.authz.visibleOrNull('HousingArea', await ctx.loaders.areaById.load(body.areaId));
  }
}

@Resolver(() => Meeting)
export class MeetingResolver {
  @Query(() => MeetingConnection, { description: "Meetings of the partnership's bodies, latest first." })
  meetings(
    @Ctx() ctx: MunicipalityContext,
    @Arg('bodyId', () => ID, { nullable: true }) bodyId?: string,
    @Arg('from', () => LocalDateResolver, { nullable: true, description: 'Meetings on or after this day.' }) from?: string,
    @Arg('to', () => LocalDateResolver, { nullable: true, description: 'Meetings on or before this day.' }) to?: string,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<Page<Meeting>> {
    if (bodyId) assertBody(bodyId);
    if (from && to && from > to) throw badInput('from must not be after to.', 'from');
    return pageOfVisible({
      first,
      after,
      cursor: { sort: 'day', id: (id) => isId('meeting', id) },
      key: (row) => [row.scheduledFor, row.id],
      visible: (rows) => ctx.authz.visible('Meeting', rows),
      fetch: (cursor, limit) => {
        const where = new Where()
          .andSql((params) => ctx.authz.sqlFilter('Meeting', params))
          .andIf(bodyId, 'm.body_id = ?')
          .andIf(from, 'm.scheduled_for >= ?::date')
          .andIf(to, 'm.scheduled_for <= ?::date');
        if (cursor) where.and('(m.scheduled_for, m.id) < (?::date, ?)', cursor[0], cursor[1]);
        return ctx.db.query<Meeting>(
          `SELECT ${MEETING_COLUMNS} FROM meetings m ${where} ORDER BY m.scheduled_for DESC, m.id DESC LIMIT ${where.param(limit)}`,
          where.params,
        );
      },
    });
  }

  @Query(() => Meeting, { nullable: true, description: 'One meeting; null when absent.' })
  async meeting(@Ctx() ctx: MunicipalityContext, @Arg('id', () => ID, { nullable: false }) id: string): Promise<Meeting | null> {
    assertId('meeting', id);
    return ctx.authz.visibleOrNull('Meeting', await ctx.loaders.meetingById.load(id));
  }

  @Query(() => [MeetingDecision], { nullable: true, description: 'Decisions due before today and not completed, the longest overdue first (at most 1000).' })
  async overdueDecisions(
    @Ctx() ctx: MunicipalityContext,
    @Arg('ownerId', () => ID, { nullable: true, description: "Only this organisation's decisions." }) ownerId?: string,
  ): Promise<MeetingDecision[]> {
    if (ownerId) assertOrganisation(ownerId, 'ownerId');
    const where = new Where()
      .andSql((params) => ctx.authz.sqlFilter('MeetingDecision', params))
      .and('d.completed_on IS NULL')
      .and('d.due_on < ?::date', today())
      .andIf(ownerId, 'd.owner_organisation = ?');
    const rows = await ctx.db.query<MeetingDecision>(`SELECT ${DECISION_COLUMNS} FROM meeting_decisions d ${where} ORDER BY d.due_on, d.id LIMIT 1000`, where.params);
    return ctx.authz.visible('MeetingDecision', rows);
  }

  @FieldResolver(() => Body, { nullable: true })
  async body(@Root() meeting: Meeting, @Ctx() ctx: MunicipalityContext): Promise<Body | null> {
    return ctx.authz.visibleOrNull('Body', await ctx.loaders.bodyById.load(meeting.bodyId));
  }

  @FieldResolver(() => LocalDateResolver, { nullable: true })
  heldOn(@Root() meeting: Meeting): string | null {
    return meeting.scheduledFor <= today() ? meeting.scheduledFor : null;
  }

  @FieldResolver(() => [MeetingParticipation], { nullable: true })
  async participants(@Root() meeting: Meeting, @Ctx() ctx: MunicipalityContext): Promise<MeetingParticipation[]> {
    return ctx.authz.visible('MeetingParticipation', await ctx.loaders.participantsByMeeting.load(meeting.id));
  }

  @FieldResolver(() => [MeetingDecision], { nullable: true })
  async decisions(@Root() meeting: Meeting, @Ctx() ctx: MunicipalityContext): Promise<MeetingDecision[]> {
    return ctx.authz.visible('MeetingDecision', await ctx.loaders.decisionsByMeeting.load(meeting.id));
  }

  @Mutation(() => Meeting, {
    description:
      "Schedules (or records) a meeting of a body, for the secretariat's coordinators and the municipality. The police's representatives must match the agreement: board 3, coordination group 2, follow-up group 1–2.",
  })
  async scheduleMeeting(
    @Ctx() ctx: MunicipalityContext,
    @Arg('input', () => ScheduleMeetingInput, { nullable: false }) input: ScheduleMeetingInput,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey?: string,
  ): Promise<Meeting> {
    if (!ctx.authz.canDo('Meeting:write', 'Meeting', {})) throw forbidden();
    return runMutation(ctx, {
      name: 'scheduleMeeting',
      idempotencyKey,
      input: { ...input, participants: input.participants?.map((p) => ({ ...p })) },
      work: async (tx) => {
        const bodyId = assertBody(input.bodyId, 'input.bodyId');
        const [body] = await tx.query<Body>(`SELECT ${BODY_COLUMNS} FROM bodies b WHERE b.id = $1`, [bodyId]);
        if (!body) throw badInput('Unknown body.', 'input.bodyId');
        const { title } = validateMeeting(body, input, 'input');
        const [created] = await tx.query<{ id: string }>(
          `INSERT INTO meetings (id, body_id, scheduled_for, title) VALUES ('M' || lpad(nextval('meeting_number')::text, 6, '0'), $1, $2, $3) RETURNING id`,
          [bodyId, input.scheduledFor, title],
        );
        const id = created!.id;
        await tx.query(
          `INSERT INTO meeting_participants (meeting_id, organisation_id, representatives)
           SELECT $1, x.organisation_id, x.representatives FROM json_to_recordset($2::json) AS x(organisation_id text, representatives int)`,
          [id, JSON.stringify(input.participants.map((p) => ({ organisation_id: p.organisationId, representatives: p.representatives })))],
        );
        return {
          result: await readMeeting(tx, id),
          changes: [ctx.audit.changed('SCHEDULE', 'Meeting', id, null, ['body', 'scheduledFor', 'title', 'participants'], MUNICIPALITY)],
        };
      },
    });
  }

  @Mutation(() => MeetingDecision, {
    description: "Records a decision taken at a meeting that has been held, for the secretariat's coordinators and the municipality.",
  })
  async recordDecision(
    @Ctx() ctx: MunicipalityContext,
    @Arg('meetingId', () => ID, { nullable: false }) meetingId: string,
    @Arg('input', () => RecordDecisionInput, { nullable: false }) input: RecordDecisionInput,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey?: string,
  ): Promise<MeetingDecision> {
    assertId('meeting', meetingId, 'meetingId');
    if (!ctx.authz.canDo('Meeting:write', 'Meeting', {}, meetingId)) throw forbidden();
    return runMutation(ctx, {
      name: 'recordDecision',
      idempotencyKey,
      input: { meetingId, input: { ...input } },
      work: async (tx) => {
        const meeting = await readMeeting(tx, meetingId);
        if (meeting.scheduledFor > today()) {
          throw badInput(`Decisions are recorded for a meeting that has been held; this one is on ${meeting.scheduledFor}.`, 'meetingId');
        }
        const { text: decisionText, ownerId } = validateDecision(meeting.scheduledFor, { ...input, completedOn: null }, 'input');
        const [created] = await tx.query<{ id: string }>(
          `INSERT INTO meeting_decisions (id, meeting_id, text, owner_organisation, due_on)
           VALUES ('MD' || lpad(nextval('meeting_decision_number')::text, 6, '0'), $1, $2, $3, $4) RETURNING id`,
          [meetingId, decisionText, ownerId, input.dueOn],
        );
        const decision = await readDecision(tx, created!.id);
        const { meetingOn: _, ...result } = decision;
        return {
          result,
          changes: [ctx.audit.changed('RECORD', 'MeetingDecision', decision.id, null, ['meeting', 'text', 'owner', 'dueOn'], MUNICIPALITY)],
        };
      },
    });
  }

  @Mutation(() => MeetingDecision, {
    description: "Marks a decision completed, for the secretariat's coordinators or the decision's owner. A stale version is refused with CONFLICT.",
  })
  async completeDecision(
    @Ctx() ctx: MunicipalityContext,
    @Arg('id', () => ID, { nullable: false }) id: string,
    @Arg('version', () => Int, { nullable: false }) version: number,
    @Arg('completedOn', () => LocalDateResolver, { nullable: false }) completedOn: string,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey?: string,
  ): Promise<MeetingDecision> {
    assertId('decision', id);
    return runMutation(ctx, {
      name: 'completeDecision',
      idempotencyKey,
      input: { id, version, completedOn },
      work: async (tx) => {
        const decision = await readDecision(tx, id);
        if (!ctx.authz.canDo('MeetingDecision:complete', 'MeetingDecision', { owner: entityRef('Organisation', decision.ownerId) }, id)) throw forbidden();
        if (decision.version !== version) throw conflict('Decision');
        if (decision.completedOn !== null) throw badInput(`The decision was already completed on ${decision.completedOn}.`, 'id');
        validateCompletion(decision.meetingOn, completedOn, 'completedOn');
        const rows = await tx.query<{ id: string }>(
          'UPDATE meeting_decisions SET completed_on = $3, version = version + 1 WHERE id = $1 AND version = $2 RETURNING id',
          [id, version, completedOn],
        );
        await assertUpdated(tx, rows, 'meeting_decisions', id, 'Decision');
        const { meetingOn: _, ...result } = await readDecision(tx, id);
        return { result, changes: [ctx.audit.changed('COMPLETE', 'MeetingDecision', id, null, ['completedOn'], MUNICIPALITY)] };
      },
    });
  }
}

@Resolver(() => MeetingParticipation)
export class MeetingParticipationResolver {
  @FieldResolver(() => Organisation, { nullable: true })
  async organisation(@Root() participation: MeetingParticipation, @Ctx() ctx: MunicipalityContext): Promise<Organisation | null> {
    return ctx.authz.visibleOrNull('Organisation', await ctx.loaders.organisationById.load(participation.organisationId));
  }
}

@Resolver(() => MeetingDecision)
export class MeetingDecisionResolver {
  @FieldResolver(() => Meeting, { nullable: true })
  async meeting(@Root() decision: MeetingDecision, @Ctx() ctx: MunicipalityContext): Promise<Meeting | null> {
    return ctx.authz.visibleOrNull('Meeting', await ctx.loaders.meetingById.load(decision.meetingId));
  }

  @FieldResolver(() => Organisation, { nullable: true })
  async owner(@Root() decision: MeetingDecision, @Ctx() ctx: MunicipalityContext): Promise<Organisation | null> {
    return ctx.authz.visibleOrNull('Organisation', await ctx.loaders.organisationById.load(decision.ownerId));
  }

  @FieldResolver(() => Boolean, { nullable: true })
  isOverdue(@Root() decision: MeetingDecision): boolean {
    return decision.completedOn === null && decision.dueOn < today();
  }
}

export async function resolveMeetingReference(ref: { id: unknown }, ctx: MunicipalityContext): Promise<Meeting | null> {
  if (!isId('meeting', ref.id)) return null;
  return ctx.authz.visibleOrNull('Meeting', await ctx.loaders.meetingById.load(ref.id));
}
