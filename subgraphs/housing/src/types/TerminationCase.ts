import { PageInfo } from '@partnergraph/subgraph-kit';
import { LocalDateResolver } from 'graphql-scalars';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { TerminationBasis, TerminationStatus } from './enums.js';
import { Organisation } from './Organisation.js';
import { Referral } from './Referral.js';
import { Tenancy } from './Tenancy.js';

/** A termination case (opsigelsessag) a housing company runs against a tenancy. */
@ObjectType({ description: 'A termination case (opsigelsessag) against a tenancy.' })
@Directive('@key(fields: "id")')
export class TerminationCase {
  @Field(() => ID, { nullable: false })
  id!: string;

  tenancyId!: string;
  companyId!: string;
  referralId!: string | null;
  tenantPersonId!: string;
  /** The purpose the referral was made under, as the police confirmed it: the case is run and read under it. */
  purpose!: string;
  /** The referred decision's date, as the police gave it (null for cases opened before confirmation). */
  referralDecidedOn!: string | null;
  /** The police confirmed, when the case was opened, that the referral was made to this company. */
  fromConfirmedReferral!: boolean;

  @Field(() => Tenancy, { nullable: true })
  tenancy!: Tenancy | null;

  @Field(() => Organisation, { nullable: true })
  company!: Organisation | null;

  @Field(() => Referral, { nullable: true, description: 'The police referral the case stems from, if any.' })
  referral!: Referral | null;

  @Field(() => TerminationBasis, { nullable: true })
  basis!: string;

  @Field(() => TerminationStatus, { nullable: true })
  status!: string;

  @Field(() => LocalDateResolver, { nullable: true })
  openedOn!: string;

  @Field(() => LocalDateResolver, { nullable: true })
  statusChangedOn!: string;

  @Field(() => Int, { nullable: true, description: 'Increases with every change; send it back to update.' })
  version!: number;
}

@ObjectType()
export class TerminationCaseConnection {
  @Field(() => [TerminationCase], { nullable: false })
  nodes!: TerminationCase[];

  @Field(() => PageInfo, { nullable: false })
  pageInfo!: PageInfo;
}
