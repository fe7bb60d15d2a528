import { pageOfVisible, Where, type Page } from '@partnergraph/subgraph-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { HousingContext } from '../context.js';
import { assertArea, assertId, isId } from '../data/ids.js';
import { TENANCY_COLUMNS } from '../data/rows.js';
import { Department } from '../types/Department.js';
import { HousingArea } from '../types/HousingArea.js';
import { Organisation } from '../types/Organisation.js';
import { Person } from '../types/Person.js';
import { Tenancy, TenancyConnection, TenancyFilter } from '../types/Tenancy.js';
import { TerminationCase } from '../types/TerminationCase.js';

@Resolver(() => Tenancy)
export class TenancyResolver {
  @Query(() => TenancyConnection, { description: "Tenancies the principal may see: a housing company's own. Every search is logged." })
  async tenancies(
    @Ctx() ctx: HousingContext,
    @Arg('filter', () => TenancyFilter, { nullable: true }) filter?: TenancyFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<Page<Tenancy>> {
    if (filter?.areaId) assertArea(filter.areaId, 'filter.areaId');
    if (filter?.departmentId) assertId('department', filter.departmentId, 'filter.departmentId');
    ctx.audit.searched('Tenancy', { ...filter }, ctx.authz.organisation);
    return pageOfVisible({
      first,
      after,
      cursor: { sort: 'none', id: (id) => isId('tenancy', id) },
      key: (row) => ['', row.id],
      visible: (rows) => ctx.authz.visible('Tenancy', rows),
      fetch: (cursor, limit) => {
        const where = new Where()
          .andSql((params) => ctx.authz.sqlFilter('Tenancy', params))
          .andIf(filter?.areaId, 't.area_id = ?')
          .andIf(filter?.departmentId, 't.department_id = ?');
        if (filter?.current === true) where.and('t.end_date IS NULL');
        if (filter?.current === false) where.and('t.end_date IS NOT NULL');
        if (cursor) where.and('t.id > ?', cursor[1]);
        return ctx.db.query<Tenancy>(
          `SELECT ${TENANCY_COLUMNS} FROM tenancies t ${where} ORDER BY t.id LIMIT ${where.param(limit)}`,
          where.params,
        );
      },
    });
  }

  @Query(() => Tenancy, { nullable: true, description: 'One tenancy; null when absent or not visible.' })
  async tenancy(@Ctx() ctx: HousingContext, @Arg('id', () => ID, { nullable: false }) id: string): Promise<Tenancy | null> {
    assertId('tenancy', id);
    ctx.audit.searched('Tenancy', { id }, ctx.authz.organisation);
    return ctx.authz.visibleOrNull('Tenancy', await ctx.loaders.tenancyById.load(id));
  }

  @FieldResolver(() => Person, { nullable: true })
  tenant(@Root() tenancy: Tenancy): Person {
    return { id: tenancy.tenantPersonId };
  }

  @FieldResolver(() => Department, { nullable: true })
  async department(@Root() tenancy: Tenancy, @Ctx() ctx: HousingContext): Promise<Department | null> {
    return ctx.authz.visibleOrNull('Department', await ctx.loaders.departmentById.load(tenancy.departmentId));
  }

  @FieldResolver(() => Organisation, { nullable: true })
  company(@Root() tenancy: Tenancy): Organisation {
    return { id: tenancy.companyId };
  }

  @FieldResolver(() => HousingArea, { nullable: true })
  area(@Root() tenancy: Tenancy): HousingArea {
    return { id: tenancy.areaId };
  }

  @FieldResolver(() => [TerminationCase], { nullable: true, description: 'Termination cases against this tenancy.' })
  async terminationCases(@Root() tenancy: Tenancy, @Ctx() ctx: HousingContext): Promise<TerminationCase[]> {
    return ctx.authz.visible('TerminationCase', await ctx.loaders.casesByTenancy.load(tenancy.id));
  }
}

export async function resolveTenancyReference(ref: { id: string }, ctx: HousingContext): Promise<Tenancy | null> {
  if (typeof ref.id !== 'string') return null;
  return ctx.authz.visibleOrNull('Tenancy', await ctx.loaders.tenancyById.load(ref.id));
}
