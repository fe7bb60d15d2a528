import { pageOfVisible, type Page } from '@partnergraph/subgraph-kit';
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
      key: (row) => [row.issuedOn, row.id],
      visible: (rows) => ctx.authz.visible('Injunction', rows),
      fetch: (cursor, limit) => {
        const params: unknown[] = [];
        const where = [ctx.authz.sqlFilter('Injunction', params)];
        const add = (sql: string, value: unknown) => {
          params.push(value);
          where.push(sql.replaceAll('?', `$${params.length}`));
        };
        if (filter?.personId) add('j.person_id = ?', filter.personId);
        if (filter?.areaId) add('j.area_id = ?', filter.areaId);
        if (filter?.kind) add('j.kind = ?', filter.kind);
        if (cursor) {
          params.push(cursor[0], cursor[1]);
          where.push(`(j.issued_on, j.id) < ($${params.length - 1}::date, $${params.length})`);
        }
        params.push(limit);
        return ctx.db.query<Injunction>(
          `SELECT ${INJUNCTION_COLUMNS} FROM injunctions j WHERE ${where.join(' AND ')}
           ORDER BY j.issued_on DESC, j.id DESC LIMIT $${params.length}`,
          params,
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
