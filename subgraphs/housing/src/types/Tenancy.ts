import { PageInfo } from '@partnergraph/subgraph-kit';
import { LocalDateResolver } from 'graphql-scalars';
import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Department } from './Department.js';
import { HousingArea } from './HousingArea.js';
import { Organisation } from './Organisation.js';
import { Person } from './Person.js';

/** A tenancy (lejemål): seen in full only by the company that lets the dwelling. */
@ObjectType({ description: 'A tenancy (lejemål) of a dwelling in a department.' })
@Directive('@key(fields: "id")')
export class Tenancy {
  @Field(() => ID, { nullable: false })
  id!: string;

  departmentId!: string;
  companyId!: string;
  areaId!: string;
  tenantPersonId!: string;

  @Field(() => String, { nullable: true })
  unitAddress!: string;

  @Field(() => Person, { nullable: true })
  tenant!: Person | null;

  @Field(() => String, { nullable: true, description: "The tenant's name." })
  tenantName!: string;

  @Field(() => Int, { nullable: true })
  householdSize!: number;

  @Field(() => LocalDateResolver, { nullable: true })
  startDate!: string;

  @Field(() => LocalDateResolver, { nullable: true })
  endDate!: string | null;

  @Field(() => Int, { nullable: true, description: 'Monthly rent in DKK.' })
  monthlyRent!: number;

  @Field(() => Boolean, { nullable: true })
  isCurrent!: boolean;

  @Field(() => Department, { nullable: true })
  department!: Department | null;

  @Field(() => Organisation, { nullable: true })
  company!: Organisation | null;

  @Field(() => HousingArea, { nullable: true })
  area!: HousingArea | null;
}

@ObjectType()
export class TenancyConnection {
  @Field(() => [Tenancy], { nullable: false })
  nodes!: Tenancy[];

  @Field(() => PageInfo, { nullable: false })
  pageInfo!: PageInfo;
}

@InputType({ description: 'Search criteria; every search is logged with them.' })
export class TenancyFilter {
  @Field(() => ID, { nullable: true })
  areaId?: string;

  @Field(() => ID, { nullable: true })
  departmentId?: string;

  @Field(() => Boolean, { nullable: true, description: 'Only current (true) or only ended (false) tenancies.' })
  current?: boolean;
}
