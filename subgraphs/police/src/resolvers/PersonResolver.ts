import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { PoliceContext } from '../context.js';
import { CriminalDecision } from '../types/CriminalDecision.js';
import { Person } from '../types/Person.js';

@Resolver(() => Person)
export class PersonResolver {
  @FieldResolver(() => [CriminalDecision], { nullable: true, description: 'Decisions about the person that the principal may see.' })
  async criminalDecisions(@Root() person: Person, @Ctx() ctx: PoliceContext): Promise<CriminalDecision[]> {
    return ctx.authz.visible('CriminalDecision', await ctx.loaders.decisionsByPerson.load(person.id));
  }
}

/** A person reference resolves only for principals whose rules allow persons at all. */
export function resolvePersonReference(ref: { id: string }, ctx: PoliceContext): Person | null {
  if (typeof ref.id !== 'string') return null;
  return ctx.authz.visibleOrNull('Person', { id: ref.id });
}
