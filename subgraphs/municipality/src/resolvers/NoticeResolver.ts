import { badInput, ErrorCode, forbidden, graphqlError, notFound } from '@partnergraph/common';
import { entityRef, pageOfVisible, runMutation, Where, type Page, type Queryable } from '@partnergraph/subgraph-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { MunicipalityContext } from '../context.js';
import { assertArea, assertId, assertOrganisation, isId } from '../data/ids.js';
import { MISSING_ACKNOWLEDGEMENT, NOTICE_COLUMNS } from '../data/rows.js';
import { areaList, intBetween, text } from '../data/validate.js';
import { noticeEventsCommitted } from '../delivery/committed.js';
import { recordNoticeEvent } from '../delivery/events.js';
import { MUNICIPALITY } from '../policies/resources.js';
import { HousingArea } from '../types/HousingArea.js';
import { Notice, NoticeAcknowledgement, NoticeConnection, NoticeFilter, PostNoticeInput } from '../types/Notice.js';
import { Organisation } from '../types/Organisation.js';

/** Adds a condition; a `?` in it stands for the value. */

/** Notices, newest first, narrowed by `narrow`: for the notice list and the secretariat's follow-up lists. */
function noticePage(ctx: MunicipalityContext, narrow: (where: Where) => void, first: number | undefined, after: string | undefined): Promise<Page<Notice>> {
  return pageOfVisible({
    first,
    after,
    cursor: { sort: 'instant', id: (id) => isId('notice', id) },
    key: (row) => [row.postedAt, row.id],
    visible: (rows) => ctx.authz.visible('Notice', rows),
    fetch: (cursor, limit) => {
      const where = new Where().andSql((params) => ctx.authz.sqlFilter('Notice', params));
      narrow(where);
      if (cursor) where.and('(n.posted_at, n.id) < (?::timestamptz, ?)', cursor[0], cursor[1]);
      return ctx.db.query<Notice>(
        `SELECT ${NOTICE_COLUMNS} FROM notices n ${where} ORDER BY n.posted_at DESC, n.id DESC LIMIT ${where.param(limit)}`,
        where.params,
      );
    },
  });
}

async function readNotice(tx: Queryable, id: string): Promise<Notice> {
  const [row] = await tx.query<Notice>(`SELECT ${NOTICE_COLUMNS} FROM notices n WHERE n.id = $1`, [id]);
  if (!row) throw notFound('Notice');
  return row;
}

const isPast = (at: string | null, now = Date.now()) => at !== null && Date.parse(at) <= now;

@Resolver(() => Notice)
export class NoticeResolver {
  @Query(() => NoticeConnection, { description: 'Notices of public statements, newest first. Every party sees every notice.' })
  notices(
    @Ctx() ctx: MunicipalityContext,
    @Arg('filter', () => NoticeFilter, { nullable: true }) filter?: NoticeFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<Page<Notice>> {
    if (filter?.areaId) assertArea(filter.areaId, 'filter.areaId');
    if (filter?.postedBy) assertOrganisation(filter.postedBy, 'filter.postedBy');
    if (filter?.unacknowledgedBy) assertOrganisation(filter.unacknowledgedBy, 'filter.unacknowledgedBy');
    return noticePage(
      ctx,
      (where) =>
        where
          .andIf(filter?.areaId, 'EXISTS (SELECT 1 FROM notice_areas na WHERE na.notice_id = n.id AND na.area_id = ?)')
          .andIf(filter?.postedBy, 'n.posted_by = ?')
          .andIf(
            filter?.unacknowledgedBy,
            'n.posted_by <> ? AND NOT EXISTS (SELECT 1 FROM notice_acknowledgements k WHERE k.notice_id = n.id AND k.organisation_id = ?)',
          ),
      first,
      after,
    );
  }

  @Query(() => Notice, { nullable: true, description: 'One notice; null when absent.' })
  async notice(@Ctx() ctx: MunicipalityContext, @Arg('id', () => ID, { nullable: false }) id: string): Promise<Notice | null> {
    assertId('notice', id);
    return ctx.authz.visibleOrNull('Notice', await ctx.loaders.noticeById.load(id));
  }

  @Query(() => NoticeConnection, {
    description: "For the secretariat: notices posted longer ago than `olderThanHours` that some party has not acknowledged, newest first.",
  })
  overdueAcknowledgements(
    @Ctx() ctx: MunicipalityContext,
    @Arg('olderThanHours', () => Int, { nullable: true, defaultValue: 48 }) olderThanHours: number,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<Page<Notice>> {
    const hours = intBetween(olderThanHours ?? 48, 'olderThanHours', 0, 24 * 366);
    const cutoff = new Date(Date.now() - hours * 3_600_000).toISOString();
    return noticePage(
      ctx,
      (where) => where.and('n.posted_at < ?::timestamptz', cutoff).and(MISSING_ACKNOWLEDGEMENT),
      first,
      after,
    );
  }

  @Query(() => NoticeConnection, { description: 'For the secretariat: notices posted after the statement was published, newest first.' })
  lateNotices(
    @Ctx() ctx: MunicipalityContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<Page<Notice>> {
    return noticePage(ctx, (where) => where.and('n.published_at IS NOT NULL AND n.posted_at > n.published_at'), first, after);
  }

  @FieldResolver(() => Organisation, { nullable: true })
  async postedBy(@Root() notice: Notice, @Ctx() ctx: MunicipalityContext): Promise<Organisation | null> {
    return ctx.authz.visibleOrNull('Organisation', await ctx.loaders.organisationById.load(notice.postedById));
  }

  @FieldResolver(() => [HousingArea], { nullable: true })
  async areas(@Root() notice: Notice, @Ctx() ctx: MunicipalityContext): Promise<HousingArea[]> {
    const rows = await ctx.loaders.areaById.loadMany(notice.areaIds);
    return ctx.authz.visible('HousingArea', rows.filter((r): r is HousingArea => r !== null && !(r instanceof Error)));
  }

  @FieldResolver(() => Boolean, { nullable: true })
  alreadyPublished(@Root() notice: Notice): boolean {
    return notice.publishedAt !== null || isPast(notice.plannedPublicationAt);
  }

  @FieldResolver(() => Boolean, { nullable: true })
  isLate(@Root() notice: Notice): boolean {
    return notice.publishedAt !== null && Date.parse(notice.postedAt) > Date.parse(notice.publishedAt);
  }

  @FieldResolver(() => [NoticeAcknowledgement], { nullable: true })
  async acknowledgements(@Root() notice: Notice, @Ctx() ctx: MunicipalityContext): Promise<NoticeAcknowledgement[]> {
    return ctx.authz.visible('NoticeAcknowledgement', await ctx.loaders.acknowledgementsByNotice.load(notice.id));
  }

  @FieldResolver(() => [Organisation], { nullable: true })
  async missingAcknowledgements(@Root() notice: Notice, @Ctx() ctx: MunicipalityContext): Promise<Organisation[]> {
    const [parties, acknowledgements] = await Promise.all([ctx.loaders.partyIds.load('all'), ctx.loaders.acknowledgementsByNotice.load(notice.id)]);
    const done = new Set(acknowledgements.map((a) => a.organisationId));
    const missing = parties.filter((id) => id !== notice.postedById && !done.has(id));
    const rows = await ctx.loaders.organisationById.loadMany(missing);
    return ctx.authz.visible('Organisation', rows.filter((r): r is Organisation => r !== null && !(r instanceof Error)));
  }

  @Mutation(() => Notice, {
    description:
      'Notifies the other parties of a public statement: before it (plannedPublicationAt, in the future) or, if that was impossible, after it (alreadyPublishedAt, in the past, with reasonForLateNotice).',
  })
  async postNotice(
    @Ctx() ctx: MunicipalityContext,
    @Arg('input', () => PostNoticeInput, { nullable: false }) input: PostNoticeInput,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey?: string,
  ): Promise<Notice> {
    const organisation = ctx.authz.organisation;
    if (!ctx.authz.canDo('Notice:post', 'Notice', { postedBy: entityRef('Organisation', organisation) })) throw forbidden();
    const notice = await runMutation(ctx, {
      name: 'postNotice',
      idempotencyKey,
      input: { ...input },
      work: async (tx) => {
        const subject = text(input.subject, 'input.subject', 3, 200);
        const summary = text(input.summary, 'input.summary', 3, 4000);
        const areaIds = areaList(input.areaIds, 'input.areaIds');
        const planned = input.plannedPublicationAt ?? null;
        const published = input.alreadyPublishedAt ?? null;
        const now = new Date();
        if ((planned === null) === (published === null)) {
          throw badInput(
            'Give exactly one of plannedPublicationAt (a statement to come) or alreadyPublishedAt (a statement already made).',
            planned === null ? 'input.plannedPublicationAt' : 'input.alreadyPublishedAt',
          );
        }
        let reason: string | null = null;
        if (planned !== null) {
          if (planned.getTime() <= now.getTime()) {
            throw badInput(
              'plannedPublicationAt must be in the future; for a statement already made, give alreadyPublishedAt and reasonForLateNotice.',
              'input.plannedPublicationAt',
            );
          }
          if (input.reasonForLateNotice != null) throw badInput('reasonForLateNotice is only for a notice made after publication.', 'input.reasonForLateNotice');
        } else {
          if (published!.getTime() > now.getTime()) {
            throw badInput('alreadyPublishedAt must be in the past; for a statement to come, give plannedPublicationAt.', 'input.alreadyPublishedAt');
          }
          if (!input.reasonForLateNotice?.trim()) {
            throw badInput('A notice made after publication needs reasonForLateNotice: why the others could not be notified before.', 'input.reasonForLateNotice');
          }
          reason = text(input.reasonForLateNotice, 'input.reasonForLateNotice', 3, 1000);
        }
        const p = ctx.identity.principal;
        const [created] = await tx.query<{ id: string }>(
          `INSERT INTO notices (id, posted_by, posted_by_principal, subject, summary, posted_at, planned_publication_at, published_at, reason_for_late_notice)
           VALUES ('N' || lpad(nextval('notice_number')::text, 6, '0'), $1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
          [organisation, `${p.issuer}#${p.subject}`, subject, summary, now.toISOString(), planned?.toISOString() ?? null, published?.toISOString() ?? null, reason],
        );
        const id = created!.id;
        await tx.query('INSERT INTO notice_areas (notice_id, area_id) SELECT $1, unnest($2::text[])', [id, areaIds]);
        await recordNoticeEvent(tx, 'NOTICE_POSTED', id, organisation);
        const fields = ['subject', 'summary', 'areas', planned ? 'plannedPublicationAt' : 'publishedAt', ...(reason ? ['reasonForLateNotice'] : [])];
        return { result: await readNotice(tx, id), changes: [ctx.audit.changed('POST', 'Notice', id, null, fields, MUNICIPALITY)] };
      },
    });
    noticeEventsCommitted();
    return notice;
  }

  @Mutation(() => Notice, {
    description: "Acknowledges a notice for the caller's organisation (not the poster's). Once per organisation: acknowledging again returns the notice.",
  })
  async acknowledgeNotice(
    @Ctx() ctx: MunicipalityContext,
    @Arg('id', () => ID, { nullable: false }) id: string,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey?: string,
  ): Promise<Notice> {
    assertId('notice', id);
    const organisation = ctx.authz.organisation;
    const acknowledged = await runMutation(ctx, {
      name: 'acknowledgeNotice',
      idempotencyKey,
      input: { id },
      work: async (tx) => {
        const notice = await readNotice(tx, id);
        if (!ctx.authz.canDo('Notice:acknowledge', 'Notice', { postedBy: entityRef('Organisation', notice.postedById) }, id)) {
          if (notice.postedById === organisation) {
            throw graphqlError(ErrorCode.FORBIDDEN, 'Your organisation posted this notice: the other parties acknowledge it.');
          }
          throw forbidden();
        }
        const inserted = await tx.query(
          `INSERT INTO notice_acknowledgements (notice_id, organisation_id, acknowledged_at, acknowledged_by) VALUES ($1, $2, $3, $4)
           ON CONFLICT (notice_id, organisation_id) DO NOTHING RETURNING notice_id`,
          [id, organisation, new Date().toISOString(), ctx.identity.principal.subject],
        );
        // A second acknowledgement by the same organisation changes nothing, logs nothing and tells no one.
        if (inserted.length) await recordNoticeEvent(tx, 'NOTICE_ACKNOWLEDGED', id, organisation);
        const changes = inserted.length ? [ctx.audit.changed('ACKNOWLEDGE', 'Notice', id, null, ['acknowledgements'], MUNICIPALITY)] : [];
        return { result: notice, changes };
      },
    });
    noticeEventsCommitted();
    return acknowledged;
  }
}

@Resolver(() => NoticeAcknowledgement)
export class NoticeAcknowledgementResolver {
  @FieldResolver(() => Organisation, { nullable: true })
  async organisation(@Root() acknowledgement: NoticeAcknowledgement, @Ctx() ctx: MunicipalityContext): Promise<Organisation | null> {
    return ctx.authz.visibleOrNull('Organisation', await ctx.loaders.organisationById.load(acknowledgement.organisationId));
  }
}

export async function resolveNoticeReference(ref: { id: unknown }, ctx: MunicipalityContext): Promise<Notice | null> {
  if (!isId('notice', ref.id)) return null;
  return ctx.authz.visibleOrNull('Notice', await ctx.loaders.noticeById.load(ref.id));
}
