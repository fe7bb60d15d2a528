import { badInput } from '@partnergraph/common';
import { HOUSING_COMPANY_IDS } from '@partnergraph/vocabulary';
import { pageOfVisible, type Page } from '@partnergraph/subgraph-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { PoliceContext } from '../context.js';
import { assertId, isId } from '../data/ids.js';
import { REFERRAL_COLUMNS } from '../data/rows.js';
import { CriminalDecision } from '../types/CriminalDecision.js';
import { Organisation } from '../types/Organisation.js';
import { Person } from '../types/Person.js';
import { Referral, ReferralConnection } from '../types/Referral.js';

@Resolver(() => Referral)
export class ReferralResolver {
  @Query(() => ReferralConnection, {
    description: "Referrals, newest first. A housing company's inbox: the referrals made to it.",
  })
  async referrals(
    @Ctx() ctx: PoliceContext,
    @Arg('housingCompanyId', () => ID, { nullable: true }) housingCompanyId?: string,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<Page<Referral>> {
    if (housingCompanyId && !HOUSING_COMPANY_IDS.includes(housingCompanyId)) {
      throw badInput('Unknown housing company.', 'housingCompanyId');
    }
    ctx.audit.searched('Referral', { housingCompanyId });
    return pageOfVisible({
      first,
      after,
      cursor: { sort: 'day', id: (id) => isId('referral', id) },
      key: (row) => [row.referredOn, row.id],
      visible: (rows) => ctx.authz.visible('Referral', rows),
      fetch: (cursor, limit) => {
        const params: unknown[] = [];
        const where = [ctx.authz.sqlFilter('Referral', params)];
        if (housingCompanyId) {
          params.push(housingCompanyId);
          where.push(`r.housing_company = $${params.length}`);
        }
        if (cursor) {
          params.push(cursor[0], cursor[1]);
          where.push(`(r.referred_on, r.id) < ($${params.length - 1}::date, $${params.length})`);
        }
        params.push(limit);
        return ctx.db.query<Referral>(
          `SELECT ${REFERRAL_COLUMNS} FROM referrals r JOIN criminal_decisions d ON d.id = r.decision_id
           WHERE ${where.join(' AND ')} ORDER BY r.referred_on DESC, r.id DESC LIMIT $${params.length}`,
          params,
        );
      },
    });
  }

  @Query(() => Referral, { nullable: true, description: 'One referral; null when absent or not visible.' })
  async referral(@Ctx() ctx: PoliceContext, @Arg('id', () => ID, { nullable: false }) id: string): Promise<Referral | null> {
    assertId('referral', id);
    return ctx.authz.visibleOrNull('Referral', await ctx.loaders.referralById.load(id));
  }

  @FieldResolver(() => CriminalDecision, { nullable: true })
  async decision(@Root() referral: Referral, @Ctx() ctx: PoliceContext): Promise<CriminalDecision | null> {
    return ctx.authz.visibleOrNull('CriminalDecision', await ctx.loaders.decisionById.load(referral.decisionId));
  }

  @FieldResolver(() => Person, { nullable: true })
  person(@Root() referral: Referral): Person {
    return { id: referral.personId };
  }

  @FieldResolver(() => Organisation, { nullable: true })
  housingCompany(@Root() referral: Referral): Organisation {
    return { id: referral.housingCompanyId };
  }
}

export async function resolveReferralReference(ref: { id: string }, ctx: PoliceContext): Promise<Referral | null> {
  if (typeof ref.id !== 'string') return null;
  return ctx.authz.visibleOrNull('Referral', await ctx.loaders.referralById.load(ref.id));
}
