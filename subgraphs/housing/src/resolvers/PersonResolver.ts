import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { assertArea, assertCompany, assertId } from '../data/ids.js';
import type { HousingContext } from '../context.js';
import { Person } from '../types/Person.js';
import { Tenancy } from '../types/Tenancy.js';
import { TenancyHolding } from '../types/TenancyHolding.js';

@Resolver(() => Person)
export class PersonResolver {
  @Query(() => Person, {
    nullable: true,
    description:
      'A person by pseudonymous id, as an entry point: each owner resolves its own fields under its own rules. Says nothing about whether the person is known.',
  })
  person(@Ctx() ctx: HousingContext, @Arg('id', () => ID, { nullable: false }) id: string): Person | null {
    assertId('person', id);
    return ctx.authz.visibleOrNull('Person', { id });
  }

  @FieldResolver(() => [Tenancy], { nullable: true, description: "The person's tenancies that the principal may see." })
  async tenancies(@Root() person: Person, @Ctx() ctx: HousingContext): Promise<Tenancy[]> {
    return ctx.authz.visible('Tenancy', await ctx.loaders.tenanciesByPerson.load(person.id));
  }

  @FieldResolver(() => TenancyHolding, {
    nullable: true,
    description: 'Whether the person holds a current tenancy in the areas, and with which company: what the police may learn.',
  })
  async tenancyHolding(@Root() person: Person, @Ctx() ctx: HousingContext): Promise<TenancyHolding | null> {
    const current = (await ctx.loaders.tenanciesByPerson.load(person.id)).filter((t) => t.isCurrent);
    const companyIds = [...new Set(current.map((t) => t.companyId))].sort();
    return ctx.authz.visibleOrNull('TenancyHolding', {
      personId: person.id,
      companyIds,
      current: current.map((t) => ({ companyId: t.companyId, areaId: t.areaId })),
      holdsCurrentTenancy: current.length > 0,
      housingCompanies: companyIds.map((id) => ({ id })),
    });
  }
}

@Resolver(() => TenancyHolding)
export class TenancyHoldingResolver {
  @FieldResolver(() => Boolean, {
    nullable: true,
    description:
      'Whether the person holds a current tenancy with this housing company in this area — yes or no, nothing else: what the police ask before referring a decision (Almenboligloven § 63 d, almenlejeloven § 90 stk. 1 nr. 10).',
  })
  holdsCurrentTenancyWith(
    @Root() holding: TenancyHolding,
    @Arg('housingCompanyId', () => ID, { nullable: false }) housingCompanyId: string,
    @Arg('areaId', () => ID, { nullable: false }) areaId: string,
  ): boolean {
    assertCompany(housingCompanyId, 'housingCompanyId');
    assertArea(areaId);
    return holding.current.some((t) => t.companyId === housingCompanyId && t.areaId === areaId);
  }
}

export function resolvePersonReference(ref: { id: string }, ctx: HousingContext): Person | null {
  if (typeof ref.id !== 'string') return null;
  return ctx.authz.visibleOrNull('Person', { id: ref.id });
}
