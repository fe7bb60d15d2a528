import { Field, ObjectType } from 'type-graphql';

/**
 * Almenboligloven § 63 e: what one housing company may learn from another
 * about an applicant — name, address and that a tenancy was terminated for
 * crime in the same area. Never the decision behind it.
 */
@ObjectType({ description: 'A termination for crime by another housing company in the same area (Almenboligloven § 63 e).' })
export class CrimeTermination {
  personId!: string;
  /** The company that terminated the tenancy. */
  companyId!: string;
  /** What decides whether another company may learn of it (see policies.cedar). */
  areaCompanyIds!: string[];
  fromConfirmedReferral!: boolean;
  basis!: string;
  status!: string;

  @Field(() => String, { nullable: true })
  name!: string;

  @Field(() => String, { nullable: true })
  address!: string;

  @Field(() => Boolean, { nullable: false })
  terminatedForCrime!: boolean;
}
