import { badInput } from '@partnergraph/common';
import { AREA_IDS, INCIDENT_CATEGORIES } from '@partnergraph/vocabulary';
import { suppressTable } from '@partnergraph/subgraph-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { PoliceContext } from '../context.js';
import { assertArea } from '../data/ids.js';
import { HousingArea } from '../types/HousingArea.js';
import { IncidentStatistics } from '../types/IncidentStatistics.js';
import { SafetyIndexMeasurement } from '../types/SafetyIndexMeasurement.js';

const withArea = (m: SafetyIndexMeasurement): SafetyIndexMeasurement => ({ ...m, area: { id: m.areaId } });

function yearRange(from?: number, to?: number): [number, number] {
  const lo = from ?? 2000;
  const hi = to ?? 2100;
  if (lo > hi) throw badInput('fromYear must not be after toYear.', 'fromYear');
  return [lo, hi];
}

async function incidentStatistics(ctx: PoliceContext, areaId: string, year: number): Promise<IncidentStatistics | null> {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw badInput('year must be between 2000 and 2100.', 'year');
  const rows = await ctx.db.query<{ month: string; category: string; count: number }>(
    `SELECT to_char(month, 'YYYY-MM') AS month, category, count FROM incident_counts
     WHERE area_id = $1 AND month >= make_date($2, 1, 1) AND month < make_date($2 + 1, 1, 1) ORDER BY month`,
    [areaId, year],
  );
  if (rows.length === 0) return null;
  const months = [...new Set(rows.map((r) => r.month))];
  const counts = months.map((m) => INCIDENT_CATEGORIES.map((c) => rows.find((r) => r.month === m && r.category === c)?.count ?? 0));
  const table = suppressTable(counts);
  const cell = (category: string | null, count: number | null) => ({ category, count, suppressed: count === null });
  return {
    areaId,
    area: { id: areaId },
    year,
    months: months.map((month, i) => ({
      month,
      byCategory: INCIDENT_CATEGORIES.map((c, j) => cell(c, table.cells[i]![j]!)),
      total: cell(null, table.rowTotals[i]!),
    })),
    categoryTotals: INCIDENT_CATEGORIES.map((c, j) => cell(c, table.columnTotals[j]!)),
    total: cell(null, table.total),
  };
}

@Resolver()
export class SafetyQueryResolver {
  @Query(() => [SafetyIndexMeasurement], { nullable: true, description: "The police's safety index, per area and year." })
  async safetyIndex(
    @Ctx() ctx: PoliceContext,
    @Arg('areaId', () => ID, { nullable: true }) areaId?: string,
    @Arg('fromYear', () => Int, { nullable: true }) fromYear?: number,
    @Arg('toYear', () => Int, { nullable: true }) toYear?: number,
  ): Promise<SafetyIndexMeasurement[]> {
    const [lo, hi] = yearRange(fromYear, toYear);
    const areas = areaId ? [assertArea(areaId)] : AREA_IDS;
    const perArea = await ctx.loaders.safetyIndexByArea.loadMany(areas);
    const rows = perArea.flatMap((r) => (r instanceof Error ? [] : r)).filter((m) => m.year >= lo && m.year <= hi);
    return ctx.authz.visible('SafetyIndexMeasurement', rows.map(withArea));
  }

  @Query(() => IncidentStatistics, {
    nullable: true,
    description: 'Monthly reported incidents by category for an area and year; small cells suppressed.',
  })
  async incidentStatistics(
    @Ctx() ctx: PoliceContext,
    @Arg('areaId', () => ID, { nullable: false }) areaId: string,
    @Arg('year', () => Int, { nullable: false }) year: number,
  ): Promise<IncidentStatistics | null> {
    return ctx.authz.visibleOrNull('IncidentStatistics', await incidentStatistics(ctx, assertArea(areaId), year));
  }

}

/** The police's contribution to HousingArea. */
@Resolver(() => HousingArea)
export class AreaSafetyResolver {
  @FieldResolver(() => [SafetyIndexMeasurement], { nullable: true, description: 'Safety index measurements, oldest first.' })
  async safetyIndex(
    @Root() area: HousingArea,
    @Ctx() ctx: PoliceContext,
    @Arg('fromYear', () => Int, { nullable: true }) fromYear?: number,
    @Arg('toYear', () => Int, { nullable: true }) toYear?: number,
  ): Promise<SafetyIndexMeasurement[]> {
    const [lo, hi] = yearRange(fromYear, toYear);
    const rows = (await ctx.loaders.safetyIndexByArea.load(area.id)).filter((m) => m.year >= lo && m.year <= hi);
    return ctx.authz.visible('SafetyIndexMeasurement', rows.map(withArea));
  }

  @FieldResolver(() => SafetyIndexMeasurement, { nullable: true, description: 'The most recent measurement.' })
  async latestSafetyIndex(@Root() area: HousingArea, @Ctx() ctx: PoliceContext): Promise<SafetyIndexMeasurement | null> {
    const rows = await ctx.loaders.safetyIndexByArea.load(area.id);
    const latest = rows[rows.length - 1];
    return latest ? ctx.authz.visibleOrNull('SafetyIndexMeasurement', withArea(latest)) : null;
  }

  @FieldResolver(() => IncidentStatistics, { nullable: true })
  async incidentStatistics(
    @Root() area: HousingArea,
    @Ctx() ctx: PoliceContext,
    @Arg('year', () => Int, { nullable: false }) year: number,
  ): Promise<IncidentStatistics | null> {
    return ctx.authz.visibleOrNull('IncidentStatistics', await incidentStatistics(ctx, area.id, year));
  }
}

export function resolveAreaReference(ref: { id: string }, ctx: PoliceContext): HousingArea | null {
  return typeof ref.id === 'string' && AREA_IDS.includes(ref.id) ? ctx.authz.visibleOrNull('HousingArea', { id: ref.id }) : null;
}
