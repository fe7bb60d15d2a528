import { AREA_IDS } from '@partnergraph/vocabulary';
import { suppressTable } from '@partnergraph/subgraph-kit';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { HousingContext } from '../context.js';
import { HousingArea } from '../types/HousingArea.js';
import { TerminationCaseStatistics } from '../types/TerminationCaseStatistics.js';

const STATUSES = ['ASSESSING', 'NOTICE_SERVED', 'IN_COURT', 'COMPLETED', 'WITHDRAWN'] as const;

/** One table per request (areas × statuses, with totals), shared by every area asked for. */
const tables = new WeakMap<HousingContext, Promise<Map<string, TerminationCaseStatistics>>>();

async function caseTable(ctx: HousingContext): Promise<Map<string, TerminationCaseStatistics>> {
  const rows = await ctx.db.query<{ areaId: string; status: string; cases: number; persons: number }>(
    // Each case carries its tenancy's area and tenant (migration 005): the tenancies are not read.
    `SELECT area_id AS "areaId", status, count(*)::int AS cases, count(DISTINCT tenant_person_id)::int AS persons
     FROM termination_cases WHERE referral_id IS NOT NULL GROUP BY area_id, status`,
  );
  const cell = (areaId: string, status: string, key: 'cases' | 'persons') => rows.find((r) => r.areaId === areaId && r.status === status)?.[key] ?? 0;
  const table = suppressTable(
    AREA_IDS.map((a) => STATUSES.map((s) => cell(a, s, 'cases'))),
    { persons: AREA_IDS.map((a) => STATUSES.map((s) => cell(a, s, 'persons'))) },
  );
  const count = (status: string | null, value: number | null) => ({ status, count: value, suppressed: value === null });
  return new Map(
    AREA_IDS.map((areaId, i) => [
      areaId,
      { areaId, opened: count(null, table.rowTotals[i]!), byStatus: STATUSES.map((s, j) => count(s, table.cells[i]![j]!)) },
    ]),
  );
}

/** The housing companies' case counts on HousingArea: the later steps of the board's referral → termination funnel. */
@Resolver(() => HousingArea)
export class AreaCaseStatisticsResolver {
  @FieldResolver(() => TerminationCaseStatistics, {
    nullable: true,
    description: 'Termination cases opened on police referrals in this area, by current status; small cells suppressed.',
  })
  async terminationCaseStatistics(@Root() area: HousingArea, @Ctx() ctx: HousingContext): Promise<TerminationCaseStatistics | null> {
    let table = tables.get(ctx);
    if (!table) tables.set(ctx, (table = caseTable(ctx)));
    return ctx.authz.visibleOrNull('TerminationCaseStatistics', (await table).get(area.id));
  }
}
