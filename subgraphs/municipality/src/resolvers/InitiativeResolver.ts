import { badInput } from '@partnergraph/common';
import { pageOfVisible, Where, type Page } from '@partnergraph/subgraph-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { MunicipalityContext } from '../context.js';
import { assertArea, assertId, assertOrganisation, isId } from '../data/ids.js';
import { INITIATIVE_COLUMNS, initiativeStatus, statusCondition, today } from '../data/rows.js';
import { InitiativeStatus } from '../types/enums.js';
import { HousingArea } from '../types/HousingArea.js';
import { Initiative, InitiativeConnection, InitiativeFilter } from '../types/Initiative.js';
import { Organisation } from '../types/Organisation.js';

/** The register, newest start first, for `Query.initiatives` and `HousingArea.initiatives`. */
export function initiativePage(
  ctx: MunicipalityContext,
  filter: Partial<InitiativeFilter> | undefined,
  first: number | undefined,
  after: string | undefined,
): Promise<Page<Initiative>> {
  if (filter?.areaId) assertArea(filter.areaId, 'filter.areaId');
  if (filter?.organisationId) assertOrganisation(filter.organisationId, 'filter.organisationId');
  if (filter?.startsFrom && filter.startsTo && filter.startsFrom > filter.startsTo) {
    throw badInput('filter.startsFrom must not be after filter.startsTo.', 'filter.startsFrom');
  }
  const day = today();
  return pageOfVisible({
    first,
    after,
    cursor: { sort: 'day', id: (id) => isId('initiative', id) },
    key: (row) => [row.startsOn, row.id],
    visible: (rows) => ctx.authz.visible('Initiative', rows),
    fetch: (cursor, limit) => {
      const where = new Where()
        .andSql((params) => ctx.authz.sqlFilter('Initiative', params))
        .andIf(filter?.areaId, 'EXISTS (SELECT 1 FROM initiative_areas ia WHERE ia.initiative_id = i.id AND ia.area_id = ?)')
        .andIf(filter?.kind, 'i.kind = ?')
        .andIf(filter?.organisationId, 'i.responsible_organisation = ?')
        .andIf(filter?.activeOn, statusCondition('ACTIVE', '?'))
        .andIf(filter?.startsFrom, 'i.starts_on >= ?::date')
        .andIf(filter?.startsTo, 'i.starts_on <= ?::date');
      if (filter?.status) where.and(statusCondition(filter.status, '?'), day);
      if (cursor) where.and('(i.starts_on, i.id) < (?::date, ?)', cursor[0], cursor[1]);
      return ctx.db.query<Initiative>(
        `SELECT ${INITIATIVE_COLUMNS} FROM initiatives i ${where}
         ORDER BY i.starts_on DESC, i.id DESC LIMIT ${where.param(limit)}`,
        where.params,
      );
    },
  });
}

@Resolver(() => Initiative)
export class InitiativeResolver {
  @Query(() => InitiativeConnection, { description: "The partnership's initiative register, newest start first." })
  initiatives(
    @Ctx() ctx: MunicipalityContext,
    @Arg('filter', () => InitiativeFilter, { nullable: true }) filter?: InitiativeFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<Page<Initiative>> {
    return initiativePage(ctx, filter, first, after);
  }

  @Query(() => Initiative, { nullable: true, description: 'One initiative; null when absent.' })
  async initiative(@Ctx() ctx: MunicipalityContext, @Arg('id', () => ID, { nullable: false }) id: string): Promise<Initiative | null> {
    assertId('initiative', id);
    return ctx.authz.visibleOrNull('Initiative', await ctx.loaders.initiativeById.load(id));
  }

  @FieldResolver(() => Organisation, { nullable: true })
  async responsibleOrganisation(@Root() initiative: Initiative, @Ctx() ctx: MunicipalityContext): Promise<Organisation | null> {
    return ctx.authz.visibleOrNull('Organisation', await ctx.loaders.organisationById.load(initiative.responsibleOrganisationId));
  }

  @FieldResolver(() => [HousingArea], { nullable: true })
  async areas(@Root() initiative: Initiative, @Ctx() ctx: MunicipalityContext): Promise<HousingArea[]> {
    const rows = await ctx.loaders.areaById.loadMany(initiative.areaIds);
    return ctx.authz.visible('HousingArea', rows.filter((r): r is HousingArea => r !== null && !(r instanceof Error)));
  }

  @FieldResolver(() => InitiativeStatus)
  status(@Root() initiative: Initiative): string {
    return initiativeStatus(initiative, today());
  }
}

export async function resolveInitiativeReference(ref: { id: unknown }, ctx: MunicipalityContext): Promise<Initiative | null> {
  if (!isId('initiative', ref.id)) return null;
  return ctx.authz.visibleOrNull('Initiative', await ctx.loaders.initiativeById.load(ref.id));
}
