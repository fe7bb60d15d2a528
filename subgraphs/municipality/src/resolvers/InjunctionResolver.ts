import { pageOfVisible, Where, type Page } from '@partnergraph/subgraph-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { MunicipalityContext } from '../context.js';
import { assertArea, assertId, isId } from '../data/ids.js';
import { INJUNCTION_COLUMNS } from '../data/rows.js';
import { HousingArea } from '../types/HousingArea.js';
import { Injunction, InjunctionConnection, InjunctionFilter } from '../types/Injunction.js';
import { Person } from '../types/Person.js';

@Resolver(() => Injunction)
export class InjunctionResolver {
  @Query(() => InjunctionConnection, {
    description: 'Injunctions, newest first, that the principal may see under the purpose. Every search is logged.',
  })
  async injunctions(
    @Ctx() ctx: MunicipalityContext,
    @Arg('filter', () => InjunctionFilter, { nullable: true }) filter?: InjunctionFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<Page<Injunction>> {
    if (filter?.personId) assertId('person', filter.personId, 'filter.personId');
    if (filter?.areaId) assertArea(filter.areaId, 'filter.areaId');
    ctx.audit.searched('Injunction', { ...filter });
    return pageOfVisible({
      first,
      after,
      cursor: { sort: 'day', id: (id) => isId('injunction', id) },
      key: (row) => [row.issuedOn, row.id],
      visible: (rows) => ctx.authz.visible('Injunction', rows),
      fetch: (cursor, limit) => {
        const where = new Where()
          .andSql((params) => ctx.authz.sqlFilter('Injunction', params))
          .andIf(filter?.personId, 'j.person_id = ?')
          .andIf(filter?.areaId, 'j.area_id = ?')
          .andIf(filter?.kind, 'j.kind = ?');
        if (cursor) where.and('(j.issued_on, j.id) < (?::date, ?)', cursor[0], cursor[1]);
        return ctx.db.query<Injunction>(
          `SELECT ${INJUNCTION_COLUMNS} FROM injunctions j ${where}
           ORDER BY j.issued_on DESC, j.id DESC LIMIT ${where.param(limit)}`,
          where.params,
        );
      },
    });
  }

  @Query(() => Injunction, { nullable: true, description: 'One injunction; null when absent or not visible.' })
  async injunction(@Ctx() ctx: MunicipalityContext, @Arg('id', () => ID, { nullable: false }) id: string): Promise<Injunction | null> {
    assertId('injunction', id);
    ctx.audit.searched('Injunction', { id });
    return ctx.authz.visibleOrNull('Injunction', await ctx.loaders.injunctionById.load(id));
  }

  @FieldResolver(() => Person, { nullable: true })
  person(@Root() injunction: Injunction): Person {
    return { id: injunction.personId };
  }

  @FieldResolver(() => HousingArea, { nullable: true })
  async area(@Root() injunction: Injunction, @Ctx() ctx: MunicipalityContext): Promise<HousingArea | null> {
    return ctx.authz.visibleOrNull('HousingArea', await ctx.loaders.areaById.load(injunction.areaId));
  }
}

export async function resolveInjunctionReference(ref: { id: unknown }, ctx: MunicipalityContext): Promise<Injunction | null> {
  if (!isId('injunction', ref.id)) return null;
  return ctx.authz.visibleOrNull('Injunction', await ctx.loaders.injunctionById.load(ref.id));
}
