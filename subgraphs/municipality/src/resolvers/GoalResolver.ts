import { AREA_IDS, GOAL_METRICS } from '@partnergraph/vocabulary';
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { MunicipalityContext } from '../context.js';
import { assertArea, isId } from '../data/ids.js';
import { GOAL_COLUMNS } from '../data/rows.js';
import { Goal } from '../types/Goal.js';
import { HousingArea } from '../types/HousingArea.js';

@Resolver(() => Goal)
export class GoalResolver {
  @Query(() => [Goal], { nullable: true, description: "The agreement's goals, per area in the agreement's order; the police's subgraph assesses them." })
  async goals(
    @Ctx() ctx: MunicipalityContext,
    @Arg('areaId', () => ID, { nullable: true, description: "Only this area's goals." }) areaId?: string,
  ): Promise<Goal[]> {
    if (areaId) return ctx.authz.visible('Goal', await ctx.loaders.goalsByArea.load(assertArea(areaId)));
    const rows = await ctx.db.query<Goal>(
      `SELECT ${GOAL_COLUMNS} FROM goals g ORDER BY array_position($1::text[], g.area_id), array_position($2::text[], g.metric), g.id`,
      [AREA_IDS, GOAL_METRICS],
    );
    return ctx.authz.visible('Goal', rows);
  }

  @FieldResolver(() => HousingArea, { nullable: true })
  async area(@Root() goal: Goal, @Ctx() ctx: MunicipalityContext): Promise<HousingArea | null> {
    return ctx.authz.visibleOrNull('HousingArea', await ctx.loaders.areaById.load(goal.areaId));
  }
}

export async function resolveGoalReference(ref: { id: unknown }, ctx: MunicipalityContext): Promise<Goal | null> {
  if (!isId('goal', ref.id)) return null;
  return ctx.authz.visibleOrNull('Goal', await ctx.loaders.goalById.load(ref.id));
}
