import { AREA_IDS } from '@partnergraph/vocabulary';
import type { Page } from '@partnergraph/subgraph-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { MunicipalityContext } from '../context.js';
import { assertArea } from '../data/ids.js';
import { AREA_COLUMNS } from '../data/rows.js';
import { InitiativeKindCount } from '../types/AreaActivity.js';
import { Goal } from '../types/Goal.js';
import { HousingArea } from '../types/HousingArea.js';
import { AreaInitiativeFilter, Initiative, InitiativeConnection } from '../types/Initiative.js';
import { initiativePage } from './InitiativeResolver.js';

@Resolver(() => HousingArea)
export class AreaResolver {
  @Query(() => [HousingArea], { nullable: true, description: "The partnership's housing areas, in the agreement's order." })
  async areas(@Ctx() ctx: MunicipalityContext): Promise<HousingArea[]> {
    const rows = await ctx.db.query<HousingArea>(
      `SELECT ${AREA_COLUMNS} FROM housing_areas a ORDER BY array_position($1::text[], a.id), a.id`,
      [AREA_IDS],
    );
    return ctx.authz.visible('HousingArea', rows);
  }

  @Query(() => HousingArea, { nullable: true, description: 'One area by id; an unknown id is a client error.' })
  async area(@Ctx() ctx: MunicipalityContext, @Arg('id', () => ID, { nullable: false }) id: string): Promise<HousingArea | null> {
    return ctx.authz.visibleOrNull('HousingArea', await ctx.loaders.areaById.load(assertArea(id, 'id')));
  }

  @FieldResolver(() => InitiativeConnection, { description: 'Initiatives in this area, newest start first.' })
  initiatives(
    @Root() area: HousingArea,
    @Ctx() ctx: MunicipalityContext,
    @Arg('filter', () => AreaInitiativeFilter, { nullable: true }) filter?: AreaInitiativeFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<Page<Initiative>> {
    return initiativePage(ctx, { ...filter, areaId: area.id }, first, after);
  }

  @FieldResolver(() => [Goal], { nullable: true, description: "The agreement's goals for this area." })
  async goals(@Root() area: HousingArea, @Ctx() ctx: MunicipalityContext): Promise<Goal[]> {
    return ctx.authz.visible('Goal', await ctx.loaders.goalsByArea.load(area.id));
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Initiatives in this area running today.' })
  activeInitiativeCount(@Root() area: HousingArea, @Ctx() ctx: MunicipalityContext): Promise<number> {
    return ctx.loaders.activeInitiativeCountByArea.load(area.id);
  }

  @FieldResolver(() => [InitiativeKindCount], {
    nullable: true,
    description: 'Initiatives in this area running today, by kind (every kind, zeros included).',
  })
  async activeInitiativesByKind(@Root() area: HousingArea, @Ctx() ctx: MunicipalityContext): Promise<InitiativeKindCount[]> {
    return ctx.authz.visible('InitiativeKindCount', await ctx.loaders.activeInitiativesByKindByArea.load(area.id));
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Notices concerning this area that some party other than the poster has not acknowledged yet.',
  })
  noticesAwaitingAcknowledgement(@Root() area: HousingArea, @Ctx() ctx: MunicipalityContext): Promise<number> {
    return ctx.loaders.awaitingAcknowledgementByArea.load(area.id);
  }
}

export async function resolveAreaReference(ref: { id: unknown }, ctx: MunicipalityContext): Promise<HousingArea | null> {
  if (typeof ref.id !== 'string' || !AREA_IDS.includes(ref.id)) return null;
  return ctx.authz.visibleOrNull('HousingArea', await ctx.loaders.areaById.load(ref.id));
}
