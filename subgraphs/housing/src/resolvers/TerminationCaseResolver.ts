import { pageOfVisible, Where, type Page } from '@partnergraph/subgraph-kit';
import { Arg, Ctx, Directive, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { HousingContext } from '../context.js';
import { assertId, isId } from '../data/ids.js';
import { CASE_COLUMNS } from '../data/rows.js';
import { TerminationStatus } from '../types/enums.js';
import { Organisation } from '../types/Organisation.js';
import { Referral } from '../types/Referral.js';
import { Tenancy } from '../types/Tenancy.js';
import { TerminationCase, TerminationCaseConnection } from '../types/TerminationCase.js';

@Resolver(() => TerminationCase)
export class TerminationCaseResolver {
  @Query(() => TerminationCaseConnection, { description: "Termination cases, newest first: a housing company's own." })
  async terminationCases(
    @Ctx() ctx: HousingContext,
    @Arg('status', () => TerminationStatus, { nullable: true }) status?: string,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<Page<TerminationCase>> {
    ctx.audit.searched('TerminationCase', { status }, ctx.authz.organisation);
    return pageOfVisible({
      first,
      after,
      cursor: { sort: 'day', id: (id) => isId('terminationCase', id) },
      key: (row) => [row.openedOn, row.id],
      visible: (rows) => ctx.authz.visible('TerminationCase', rows),
      fetch: (cursor, limit) => {
        const where = new Where().andSql((params) => ctx.authz.sqlFilter('TerminationCase', params)).andIf(status, 'c.status = ?');
        if (cursor) where.and('(c.opened_on, c.id) < (?::date, ?)', cursor[0], cursor[1]);
        return ctx.db.query<TerminationCase>(
          `SELECT ${CASE_COLUMNS} FROM termination_cases c JOIN tenancies t ON t.id = c.tenancy_id
           ${where} ORDER BY c.opened_on DESC, c.id DESC LIMIT ${where.param(limit)}`,
          where.params,
        );
      },
    });
  }

  @Query(() => TerminationCase, { nullable: true, description: 'One termination case; null when absent or not visible.' })
  async terminationCase(@Ctx() ctx: HousingContext, @Arg('id', () => ID, { nullable: false }) id: string): Promise<TerminationCase | null> {
    assertId('terminationCase', id);
    return ctx.authz.visibleOrNull('TerminationCase', await ctx.loaders.caseById.load(id));
  }

  @FieldResolver(() => Tenancy, { nullable: true })
  async tenancy(@Root() c: TerminationCase, @Ctx() ctx: HousingContext): Promise<Tenancy | null> {
    return ctx.authz.visibleOrNull('Tenancy', await ctx.loaders.tenancyById.load(c.tenancyId));
  }

  @FieldResolver(() => Organisation, { nullable: true })
  company(@Root() c: TerminationCase): Organisation {
    return { id: c.companyId };
  }

  @FieldResolver(() => Referral, { nullable: true })
  referral(@Root() c: TerminationCase): Referral | null {
    // The referral was made to the case's company, as the police confirmed.
    return c.referralId ? { id: c.referralId, housingCompany: { id: c.companyId } } : null;
  }
}

/** The housing subgraph's contribution to the police's Referral: the case that followed it. */
@Resolver(() => Referral)
export class ReferralOutcomeResolver {
  @FieldResolver(() => TerminationCase, {
    nullable: true,
    description: 'The termination case the housing company opened on this referral, if any; the police see its status.',
  })
  @Directive('@requires(fields: "housingCompany { id }")')
  async terminationCase(@Root() referral: Referral, @Ctx() ctx: HousingContext): Promise<TerminationCase | null> {
    const found = await ctx.loaders.caseByReferral.load(referral.id);
    // Only the referred company's case answers the referral.
    if (!found || found.companyId !== referral.housingCompany?.id) return null;
    return ctx.authz.visibleOrNull('TerminationCase', found);
  }
}

export async function resolveCaseReference(ref: { id: string }, ctx: HousingContext): Promise<TerminationCase | null> {
  if (typeof ref.id !== 'string') return null;
  return ctx.authz.visibleOrNull('TerminationCase', await ctx.loaders.caseById.load(ref.id));
}

export function resolveReferralReference(ref: { id: string; housingCompany?: { id?: string } | null }, ctx: HousingContext): Referral | null {
  if (typeof ref.id !== 'string') return null;
  const company = typeof ref.housingCompany?.id === 'string' ? { id: ref.housingCompany.id } : null;
  return ctx.authz.visibleOrNull('Referral', { id: ref.id, housingCompany: company });
}
