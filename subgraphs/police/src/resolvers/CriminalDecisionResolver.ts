import { pageOfVisible, Where, type Page } from '@partnergraph/subgraph-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { PoliceContext } from '../context.js';
import { assertArea, assertId, isId } from '../data/ids.js';
import { DECISION_COLUMNS } from '../data/rows.js';
import { CriminalDecision, CriminalDecisionConnection, CriminalDecisionFilter } from '../types/CriminalDecision.js';
import { HousingArea } from '../types/HousingArea.js';
import { Person } from '../types/Person.js';
import { Referral } from '../types/Referral.js';

@Resolver(() => CriminalDecision)
export class CriminalDecisionResolver {
  @Query(() => CriminalDecisionConnection, {
    description: 'Criminal decisions, newest first, that the principal may see under the purpose. Every search is logged.',
  })
  async criminalDecisions(
    @Ctx() ctx: PoliceContext,
    @Arg('filter', () => CriminalDecisionFilter, { nullable: true }) filter?: CriminalDecisionFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<Page<CriminalDecision>> {
    if (filter?.personId) assertId('person', filter.personId, 'filter.personId');
    if (filter?.areaId) assertArea(filter.areaId, 'filter.areaId');
    ctx.audit.searched('CriminalDecision', { ...filter });
    return pageOfVisible({
      first,
      after,
      cursor: { sort: 'day', id: (id) => isId('decision', id) },
      key: (row) => [row.decidedOn, row.id],
      visible: (rows) => ctx.authz.visible('CriminalDecision', rows),
      fetch: (cursor, limit) => {
        const where = new Where()
          .andSql((params) => ctx.authz.sqlFilter('CriminalDecision', params))
          .andIf(filter?.personId, 'd.person_id = ?')
          .andIf(filter?.areaId, 'd.area_id = ?')
          .andIf(filter?.decidedFrom, 'd.decided_on >= ?')
          .andIf(filter?.decidedTo, 'd.decided_on <= ?')
          .andIf(filter?.decisionType, 'd.decision_type = ?');
        if (cursor) where.and('(d.decided_on, d.id) < (?::date, ?)', cursor[0], cursor[1]);
        return ctx.db.query<CriminalDecision>(
          `SELECT ${DECISION_COLUMNS} FROM criminal_decisions d ${where}
           ORDER BY d.decided_on DESC, d.id DESC LIMIT ${where.param(limit)}`,
          where.params,
        );
      },
    });
  }

  @Query(() => CriminalDecision, { nullable: true, description: 'One decision; null when absent or not visible.' })
  async criminalDecision(@Ctx() ctx: PoliceContext, @Arg('id', () => ID, { nullable: false }) id: string): Promise<CriminalDecision | null> {
    assertId('decision', id);
    ctx.audit.searched('CriminalDecision', { id });
    return ctx.authz.visibleOrNull('CriminalDecision', await ctx.loaders.decisionById.load(id));
  }

  @FieldResolver(() => Person, { nullable: true })
  person(@Root() decision: CriminalDecision): Person {
    return { id: decision.personId };
  }

  @FieldResolver(() => HousingArea, { nullable: true })
  area(@Root() decision: CriminalDecision): HousingArea {
    return { id: decision.areaId };
  }

  @FieldResolver(() => [Referral], { nullable: true, description: 'Referrals of this decision to housing companies.' })
  async referrals(@Root() decision: CriminalDecision, @Ctx() ctx: PoliceContext): Promise<Referral[]> {
    return ctx.authz.visible('Referral', await ctx.loaders.referralsByDecision.load(decision.id));
  }
}

export async function resolveDecisionReference(ref: { id: string }, ctx: PoliceContext): Promise<CriminalDecision | null> {
  if (typeof ref.id !== 'string') return null;
  return ctx.authz.visibleOrNull('CriminalDecision', await ctx.loaders.decisionById.load(ref.id));
}
