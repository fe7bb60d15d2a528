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
  /** Company and area of each current tenancy: never a field, only what the questions below answer. */
  current!: Array<{ companyId: string; areaId: string }>;

  @Field(() => Boolean)
  holdsCurrentTenancy!: boolean;

  @Field(() => [Organisation], { nullable: true })
  housingCompanies!: Organisation[];
}
