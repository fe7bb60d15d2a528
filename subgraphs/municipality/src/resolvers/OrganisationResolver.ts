import { ORGANISATIONS } from '@partnergraph/vocabulary';
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { MunicipalityContext } from '../context.js';
import { assertOrganisation } from '../data/ids.js';
import { ORGANISATION_COLUMNS } from '../data/rows.js';
import { Organisation } from '../types/Organisation.js';

const ORGANISATION_IDS = ORGANISATIONS.map((o) => o.id);

@Resolver(() => Organisation)
export class OrganisationResolver {
  @Query(() => [Organisation], { nullable: true, description: 'The parties to the agreement and its secretariat.' })
  async organisations(@Ctx() ctx: MunicipalityContext): Promise<Organisation[]> {
    const rows = await ctx.db.query<Organisation>(
      `SELECT ${ORGANISATION_COLUMNS} FROM organisations o ORDER BY array_position($1::text[], o.id), o.id`,
      [ORGANISATION_IDS],
    );
    return ctx.authz.visible('Organisation', rows);
  }

  @Query(() => Organisation, { nullable: true, description: 'One organisation by id; an unknown id is a client error.' })
  async organisation(@Ctx() ctx: MunicipalityContext, @Arg('id', () => ID, { nullable: false }) id: string): Promise<Organisation | null> {
    return ctx.authz.visibleOrNull('Organisation', await ctx.loaders.organisationById.load(assertOrganisation(id, 'id')));
  }
}

export async function resolveOrganisationReference(ref: { id: unknown }, ctx: MunicipalityContext): Promise<Organisation | null> {
  if (typeof ref.id !== 'string' || !ORGANISATION_IDS.includes(ref.id)) return null;
  return ctx.authz.visibleOrNull('Organisation', await ctx.loaders.organisationById.load(ref.id));
}
