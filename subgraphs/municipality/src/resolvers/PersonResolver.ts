import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { MunicipalityContext } from '../context.js';
import { isId } from '../data/ids.js';
import { Injunction } from '../types/Injunction.js';
import { Person } from '../types/Person.js';

@Resolver(() => Person)
export class PersonResolver {
  @FieldResolver(() => [Injunction], { nullable: true, description: 'Injunctions about the person that the principal may see.' })
  async injunctions(@Root() person: Person, @Ctx() ctx: MunicipalityContext): Promise<Injunction[]> {
    return ctx.authz.visible('Injunction', await ctx.loaders.injunctionsByPerson.load(person.id));
  }
}

/** A person reference resolves only for principals whose rules allow persons at all. */
export function resolvePersonReference(ref: { id: unknown }, ctx: MunicipalityContext): Person | null {
  if (!isId('person', ref.id)) return null;
  return ctx.authz.visibleOrNull('Person', { id: ref.id });
}
