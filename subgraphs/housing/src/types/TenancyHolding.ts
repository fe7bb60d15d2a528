import { Field, ObjectType } from 'type-graphql';
import { Organisation } from './Organisation.js';

/**
 * What the police may learn about a person's housing: whether the person holds
 * a current tenancy in the areas, and with which company — nothing more.
 */
@ObjectType({ description: 'Whether a person holds a current tenancy in the areas, and with which company.' })
export class TenancyHolding {
  personId!: string;
  companyIds!: string[];

  @Field(() => Boolean)
  holdsCurrentTenancy!: boolean;

  @Field(() => [Organisation], { nullable: true })
  housingCompanies!: Organisation[];
}
