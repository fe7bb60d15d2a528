import { badInput } from '@partnergraph/common';
import { AREA_IDS, INJUNCTION_KINDS } from '@partnergraph/vocabulary';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { MunicipalityContext } from '../context.js';
import { assertArea } from '../data/ids.js';
import { suppressCube } from '@partnergraph/subgraph-kit';
import { HousingArea } from '../types/HousingArea.js';
import { InjunctionStatistics } from '../types/InjunctionStatistics.js';

const FIRST_YEAR = 2014;
const MAX_YEARS = 50;

function yearRange(from: number | undefined, to: number | undefined): [number, number] {
  const hi = to ?? new Date().getUTCFullYear();
  const lo = from ?? Math.min(FIRST_YEAR, hi);
  for (const [value, field] of [[lo, 'fromYear'], [hi, 'toYear']] as const) {
    if (!Number.isInteger(value) || value < 2000 || value > 2100) throw badInput(`${field} must be between 2000 and 2100.`, field);
  }
  if (lo > hi) throw badInput('fromYear must not be after toYear.', 'fromYear');
  if (hi - lo >= MAX_YEARS) throw badInput(`At most ${MAX_YEARS} years at a time.`, 'fromYear');
  return [lo, hi];
}

/** Counts per area × year × kind with every total, for all data: the one table every request is a slice of. */
async function injunctionCube(ctx: MunicipalityContext) {
  // CUBE gives every combination of totals; the columns are NOT NULL, so NULL marks a total.
  const rows = await ctx.db.query<{ area: string | null; year: number | null; kind: string | null; n: number; persons: number }>(
    `SELECT area_id AS area, year, kind, count(*)::int AS n, count(DISTINCT person_id)::int AS persons
     FROM (SELECT area_id, extract(year FROM issued_on)::int AS year, kind, person_id FROM injunctions) j
     GROUP BY CUBE (area_id, year, kind)`,
  );
  const dataYears = rows.flatMap((r) => (r.year === null ? [] : [r.year]));
  const firstYear = Math.min(FIRST_YEAR, ...dataYears);
  const lastYear = Math.max(new Date().getUTCFullYear(), ...dataYears);
  const areas = [...new Set([...AREA_IDS, ...rows.flatMap((r) => (r.area === null ? [] : [r.area]))])];
  const years = Array.from({ length: lastYear - firstYear + 1 }, (_, i) => firstYear + i);
  const sizes = [areas.length + 1, years.length + 1, INJUNCTION_KINDS.length + 1];
  const at = (a: number, y: number, k: number) => (a * sizes[1]! + y) * sizes[2]! + k;
  const counts = new Array<number>(sizes[0]! * sizes[1]! * sizes[2]!).fill(0);
  const persons = [...counts];
  for (const r of rows) {
    const a = r.area === null ? areas.length : areas.indexOf(r.area);
    const y = r.year === null ? years.length : r.year - firstYear;
    const k = r.kind === null ? INJUNCTION_KINDS.length : INJUNCTION_KINDS.indexOf(r.kind as (typeof INJUNCTION_KINDS)[number]);
    counts[at(a, y, k)] = r.n;
    persons[at(a, y, k)] = r.persons;
  }
  const hidden = suppressCube({ sizes, counts, persons });
  return { areas, firstYear, lastYear, at, counts, hidden };
}

/**
 * Years × kinds with margins for one area (or all): a slice of the suppressed
 * cube, so no two answers combine into a hidden number. Totals over a part of
 * the years are published only when they add nothing to the published cells.
 */
async function injunctionStatistics(ctx: MunicipalityContext, areaId: string | null, lo: number, hi: number): Promise<InjunctionStatistics> {
  const cube = await injunctionCube(ctx);
  const a = areaId === null ? cube.areas.length : cube.areas.indexOf(areaId);
  const K = INJUNCTION_KINDS.length;
  const allYears = cube.lastYear - cube.firstYear + 1;
  type Cell = { count: number | null; suppressed: boolean };
  const cell = (y: number, k: number): Cell => {
    // Years without any data lie outside the cube: zero, nothing to hide.
    if (y < cube.firstYear || y > cube.lastYear) return { count: 0, suppressed: false };
    const i = cube.at(a, y - cube.firstYear, k);
    return cube.hidden[i] ? { count: null, suppressed: true } : { count: cube.counts[i]!, suppressed: false };
  };
  const years = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  const covered = lo <= cube.firstYear && hi >= cube.lastYear;
  const rangeTotal = (k: number): Cell => {
    if (covered) {
      const i = cube.at(a, allYears, k);
      return cube.hidden[i] ? { count: null, suppressed: true } : { count: cube.counts[i]!, suppressed: false };
    }
    const parts = years.map((y) => cell(y, k));
    return parts.every((p) => p.count !== null)
      ? { count: parts.reduce((s, p) => s + p.count!, 0), suppressed: false }
      : { count: null, suppressed: true };
  };
  return {
    areaId,
    area: null,
    fromYear: lo,
    toYear: hi,
    years: years.map((year) => ({
      year,
      byKind: INJUNCTION_KINDS.map((kind, k) => ({ kind, ...cell(year, k) })),
      total: { kind: null, ...cell(year, K) },
    })),
    kindTotals: INJUNCTION_KINDS.map((kind, k) => ({ kind, ...rangeTotal(k) })),
    total: { kind: null, ...rangeTotal(K) },
  };
}

@Resolver(() => InjunctionStatistics)
export class InjunctionStatisticsResolver {
  @Query(() => InjunctionStatistics, {
    nullable: true,
    description: 'Injunctions issued per year and kind, in an area or all areas; small cells suppressed. Counts only.',
  })
  async injunctionStatistics(
    @Ctx() ctx: MunicipalityContext,
    @Arg('areaId', () => ID, { nullable: true, description: 'Omit for all areas together.' }) areaId?: string,
    @Arg('fromYear', () => Int, { nullable: true, description: 'Default 2014, when the partnership began.' }) fromYear?: number,
    @Arg('toYear', () => Int, { nullable: true, description: 'Default: this year.' }) toYear?: number,
  ): Promise<InjunctionStatistics | null> {
    const [lo, hi] = yearRange(fromYear, toYear);
    const area = areaId ? assertArea(areaId) : null;
    return ctx.authz.visibleOrNull('InjunctionStatistics', await injunctionStatistics(ctx, area, lo, hi));
  }

  @FieldResolver(() => HousingArea, { nullable: true })
  async area(@Root() statistics: InjunctionStatistics, @Ctx() ctx: MunicipalityContext): Promise<HousingArea | null> {
    if (!statistics.areaId) return null;
    return ctx.authz.visibleOrNull('HousingArea', await ctx.loaders.areaById.load(statistics.areaId));
  }
}
