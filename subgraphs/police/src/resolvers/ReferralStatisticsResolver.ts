import { AREA_IDS } from '@partnergraph/vocabulary';
import { readKeptCounts, suppressTable } from '@partnergraph/subgraph-kit';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { PoliceContext } from '../context.js';
import { HousingArea } from '../types/HousingArea.js';
import { ReferralStatistics } from '../types/ReferralStatistics.js';

const REFERRAL_PURPOSES = ['CRIME_PREVENTION_63D', 'TERMINATION_90_10'] as const;

/** One table per request (areas × legal bases, with totals), shared by every area asked for. */
const tables = new WeakMap<PoliceContext, Promise<Map<string, ReferralStatistics>>>();

async function referralTable(ctx: PoliceContext): Promise<Map<string, ReferralStatistics>> {
  // Kept with every referral written (migration 007): neither referrals nor decisions are read.
  const kept = await readKeptCounts(ctx.db, { table: 'referral_counts', group: 'purpose', person: 'person_id' }, AREA_IDS, REFERRAL_PURPOSES);
  // The threshold is about persons: a person referred twice, or under both legal bases, is one person.
  const table = suppressTable(kept.counts, { persons: kept.persons, totalPersons: kept.totalPersons });
  const count = (purpose: string | null, value: number | null) => ({ purpose, count: value, suppressed: value === null });
  return new Map(
    AREA_IDS.map((areaId, i) => [
      areaId,
      { areaId, total: count(null, table.rowTotals[i]!), byPurpose: REFERRAL_PURPOSES.map((p, j) => count(p, table.cells[i]![j]!)) },
    ]),
  );
}

/** The police's referral counts on HousingArea: the first step of the board's referral → termination funnel. */
@Resolver(() => HousingArea)
export class AreaReferralStatisticsResolver {
  @FieldResolver(() => ReferralStatistics, { nullable: true, description: 'Referrals of decisions about residents of this area, by legal basis; small cells suppressed.' })
  async referralStatistics(@Root() area: HousingArea, @Ctx() ctx: PoliceContext): Promise<ReferralStatistics | null> {
    let table = tables.get(ctx);
    if (!table) tables.set(ctx, (table = referralTable(ctx)));
    return ctx.authz.visibleOrNull('ReferralStatistics', (await table).get(area.id));
  }
}
