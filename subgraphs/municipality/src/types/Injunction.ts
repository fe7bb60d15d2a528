import { PageInfo } from '@partnergraph/subgraph-kit';
import { LocalDateResolver } from 'graphql-scalars';
import { Directive, Field, ID, InputType, ObjectType } from 'type-graphql';
import { InjunctionKind } from './enums.js';
import { HousingArea } from './HousingArea.js';
import { Person } from './Person.js';

/**
 * An injunction (pålæg) of the municipality: barnets lov § 38 forældrepålæg
 * (formerly Serviceloven § 57 a) or § 39 børne- og ungepålæg (formerly § 57 b).
 * Municipal caseworkers only; partners see counts.
 */
@ObjectType({ description: 'An injunction (pålæg) issued by the municipality under barnets lov § 38 or § 39.' })
@Directive('@key(fields: "id")')
export class Injunction {
  @Field(() => ID, { nullable: false })
  id!: string;

  personId!: string;
  areaId!: string;

  @Field(() => Person, { description: 'Whom the injunction is issued to: the parent (§ 38) or the child (§ 39).' })
  person!: Person | null;

  @Field(() => InjunctionKind)
  kind!: string;

  @Field(() => HousingArea)
  area!: HousingArea | null;

  @Field(() => LocalDateResolver)
  issuedOn!: string;

  @Field(() => LocalDateResolver)
  endsOn!: string;

  @Field(() => String)
  reason!: string;

  @Field(() => String, { description: "The responsible caseworker's initials." })
  caseworker!: string;
}

@ObjectType()
export class InjunctionConnection {
  @Field(() => [Injunction], { nullable: false })
  nodes!: Injunction[];

  @Field(() => PageInfo, { nullable: false })
  pageInfo!: PageInfo;
}

@InputType({ description: 'Search criteria; every search is logged with them.' })
export class InjunctionFilter {
  @Field(() => ID)
  areaId?: string;

  @Field(() => InjunctionKind)
  kind?: string;

  @Field(() => ID)
  personId?: string;
}
