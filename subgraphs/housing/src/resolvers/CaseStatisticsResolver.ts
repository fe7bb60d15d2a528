import { AREA_IDS } from '@partnergraph/vocabulary';
import { readKeptCounts, suppressTable, type OutsideTotal } from '@partnergraph/subgraph-kit';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { HousingContext } from '../context.js';
import { HousingArea } from '../types/HousingArea.js';
import { TerminationCaseStatistics } from '../types/TerminationCaseStatistics.js';

const STATUSES = ['ASSESSING', 'NOTICE_SERVED', 'IN_COURT', 'COMPLETED', 'WITHDRAWN'] as const;

/** Asked of the police's subgraph, as the caller: their published (already suppressed) referral counts per area. */
const PUBLISHED_REFERRALS = `query PublishedReferrals($areas: [_Any!]!) {
  _entities(representations: $areas) { ... on HousingArea { id referralStatistics { total { count suppressed } byPurpose { count suppressed } } } }
}`;

interface PublishedCount {
  count: number | null;
  suppressed: boolean;
}
interface PublishedReferrals {
  _entities: Array<{ id: string; referralStatistics: { total: PublishedCount; byPurpose: PublishedCount[] | null } | null } | null>;
}

/**
 * Per area, the referral total a caller can work out from the police's
 * published figures: the total, or the sum of the legal bases when every one
 * is published; null when the police published nothing for the area.
 * `'unchecked'` when only some legal bases are published, or the police did not
 * answer for the area (down, an error, or this caller may not read their
 * counts): a caller who cannot see the police's figures can hand ours to one
 * who can, so we suppress as if the difference were small.
 */
async function publishedReferralTotals(ctx: HousingContext): Promise<OutsideTotal[]> {
  const unchecked = AREA_IDS.map((): OutsideTotal => 'unchecked');
  let answer;
  try {
    answer = await ctx.peers.query<PublishedReferrals>('police', PUBLISHED_REFERRALS, { areas: AREA_IDS.map((id) => ({ __typename: 'HousingArea', id })) });
  } catch {
    // Logged by the peer caller; fail closed, without an error of ours in the answer.
    return unchecked;
  }
  if (answer.refusals.length > 0) return unchecked;
  return AREA_IDS.map((areaId, i): OutsideTotal => {
    const entity = answer.data?._entities?.[i];
    const stats = entity?.id === areaId ? entity.referralStatistics : null;
    if (!stats) return 'unchecked';
    if (!stats.total.suppressed && stats.total.count !== null) return stats.total.count;
    const parts = stats.byPurpose ?? [];
    if (parts.length > 0 && parts.every((p) => !p.suppressed && p.count !== null)) return parts.reduce((sum, p) => sum + p.count!, 0);
    // Some legal bases published, the rest hidden: cases opened (never more than referrals) would bound the hidden ones from below.
    return parts.some((p) => !p.suppressed) ? 'unchecked' : null;
  });
}

/** One table per request (areas × statuses, with totals), shared by every area asked for. */
const tables = new WeakMap<HousingContext, Promise<Map<string, TerminationCaseStatistics>>>();

async function caseTable(ctx: HousingContext): Promise<Map<string, TerminationCaseStatistics>> {
  // The police's figures are asked for on every request, never kept: a referral made since would make a kept check wrong.
  const [kept, referrals] = await Promise.all([
    // Kept with every case written (migration 006): neither cases nor tenancies are read.
    readKeptCounts(ctx.db, { table: 'case_counts', group: 'status', person: 'tenant_person_id' }, AREA_IDS, STATUSES),
    publishedReferralTotals(ctx),
  ]);
  // Suppressed jointly with the police's published referral totals: referrals less cases opened is a cell too.
  const table = suppressTable(kept.counts, { persons: kept.persons, totalPersons: kept.totalPersons, outsideRowTotals: referrals });
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
    description:
      'Termination cases opened on police referrals in this area, by current status; small cells suppressed, also against the police\'s published referral counts (see TerminationCaseStatistics).',
  })
  async terminationCaseStatistics(@Root() area: HousingArea, @Ctx() ctx: HousingContext): Promise<TerminationCaseStatistics | null> {
    // Refused outright: nothing is counted, and the police are not asked in this caller's name.
    if (!ctx.authz.mayEver('TerminationCaseStatistics', 'TerminationCaseStatistics')) {
      ctx.authz.canRead('TerminationCaseStatistics', { areaId: area.id }); // recorded as refused, like any row
      return null;
    }
    let table = tables.get(ctx);
    if (!table) tables.set(ctx, (table = caseTable(ctx)));
    return ctx.authz.visibleOrNull('TerminationCaseStatistics', (await table).get(area.id));
  }
}
