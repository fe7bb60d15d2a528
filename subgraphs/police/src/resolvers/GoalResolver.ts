import { badInput } from '@partnergraph/common';
import { Arg, Ctx, Directive, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { PoliceContext } from '../context.js';
import { Goal, GoalAssessment, GoalMetric, GoalStatus } from '../types/Goal.js';
import type { SafetyIndexMeasurement } from '../types/SafetyIndexMeasurement.js';

/** The rule of each goal, from the agreement's "Mål": compare this year with a reference. */
const RULES: Record<string, (m: SafetyIndexMeasurement, previous: SafetyIndexMeasurement | undefined) => { value: number; reference: number | null; met: boolean | null }> = {
  [GoalMetric.SAFETY_SHARE_VS_COMPARABLE_AREAS]: (m) => ({ value: m.shareFeelingSafe, reference: m.comparableAreasShare, met: m.shareFeelingSafe >= m.comparableAreasShare }),
  [GoalMetric.SAFETY_SHARE_VS_PREVIOUS_YEAR]: (m, p) => ({ value: m.shareFeelingSafe, reference: p?.shareFeelingSafe ?? null, met: p ? m.shareFeelingSafe > p.shareFeelingSafe : null }),
  [GoalMetric.NEIGHBOURHOOD_PROBLEMS_VS_PREVIOUS_YEAR]: (m, p) => ({
    value: m.neighbourhoodProblemsIndex,
    reference: p?.neighbourhoodProblemsIndex ?? null,
    met: p ? m.neighbourhoodProblemsIndex < p.neighbourhoodProblemsIndex : null,
  }),
};

export function assess(goal: Goal, measurements: SafetyIndexMeasurement[], year: number): GoalAssessment {
  const rule = RULES[goal.metric];
  const m = measurements.find((x) => x.year === year);
  if (!rule || !m) return { year, status: GoalStatus.NO_DATA, value: null, reference: null };
  const { value, reference, met } = rule(m, measurements.find((x) => x.year === year - 1));
  return { year, status: met === null ? GoalStatus.NO_DATA : met ? GoalStatus.MET : GoalStatus.NOT_MET, value, reference };
}

@Resolver(() => Goal)
export class GoalResolver {
  @FieldResolver(() => GoalAssessment, { nullable: true, description: 'The verdict for a year (default: the latest year measured).' })
  @Directive('@requires(fields: "areaId metric")')
  async assessment(@Root() goal: Goal, @Ctx() ctx: PoliceContext, @Arg('year', () => Int, { nullable: true }) year?: number): Promise<GoalAssessment> {
    const measurements = await ctx.loaders.safetyIndexByArea.load(goal.areaId);
    const latest = measurements[measurements.length - 1]?.year;
    return assess(goal, measurements, year ?? latest ?? new Date().getUTCFullYear());
  }

  @FieldResolver(() => [GoalAssessment], { nullable: true, description: 'Verdicts year by year, oldest first.' })
  @Directive('@requires(fields: "areaId metric")')
  async assessments(
    @Root() goal: Goal,
    @Ctx() ctx: PoliceContext,
    @Arg('fromYear', () => Int, { nullable: true }) fromYear?: number,
    @Arg('toYear', () => Int, { nullable: true }) toYear?: number,
  ): Promise<GoalAssessment[]> {
    const measurements = await ctx.loaders.safetyIndexByArea.load(goal.areaId);
    if (measurements.length === 0) return [];
    const lo = fromYear ?? measurements[0]!.year;
    const hi = toYear ?? measurements[measurements.length - 1]!.year;
    if (lo > hi || hi - lo > 100) throw badInput('fromYear must not be after toYear.', 'fromYear');
    return Array.from({ length: hi - lo + 1 }, (_, i) => assess(goal, measurements, lo + i));
  }
}

/** The representation carries areaId and metric (required from the municipality); nothing else is trusted. */
export function resolveGoalReference(ref: { id: string; areaId?: string; metric?: string }, ctx: PoliceContext): Goal | null {
  if (typeof ref.id !== 'string' || typeof ref.areaId !== 'string' || typeof ref.metric !== 'string') return null;
  return ctx.authz.visibleOrNull('Goal', { id: ref.id, areaId: ref.areaId, metric: ref.metric });
}
