import { PageInfo } from '@partnergraph/subgraph-kit';
import { LocalDateResolver } from 'graphql-scalars';
import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DecisionType, OffenceCategory } from './enums.js';
import { HousingArea } from './HousingArea.js';
import { Person } from './Person.js';

/**
 * A criminal decision (strafferetlig afgørelse) about a person. Only the police
 * see all of it; a housing company sees four fields of decisions referred to it.
 */
@ObjectType({ description: 'A criminal decision (strafferetlig afgørelse) about a person.' })
@Directive('@key(fields: "id")')
export class CriminalDecision {
  @Field(() => ID, { nullable: false })
  id!: string;

  personId!: string;
  personBirthDate!: string;
  areaId!: string;
  /** Housing companies the decision was referred to, under § 63 d and under § 90 stk. 1 nr. 10 (for the policies). */
  referredUnder63d!: string[];
  referredUnder9010!: string[];

  @Field(() => Person, { nullable: true })
  person!: Person | null;

  @Field(() => LocalDateResolver, { nullable: true })
  decidedOn!: string;

  @Field(() => OffenceCategory, { nullable: true })
  offenceCategory!: string;

  @Field(() => DecisionType, { nullable: true })
  decisionType!: string;

  @Field(() => Int, { nullable: true, description: 'Length of the sentence in days, for imprisonment.' })
  sentenceDays!: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the act was within, or had effect in, the area.' })
  withinOrAffectingArea!: boolean;

  @Field(() => HousingArea, { nullable: true })
  area!: HousingArea | null;

  @Field(() => String, { nullable: true, description: "The police's case number (journalnummer)." })
  caseNumber!: string;

  @Field(() => String, { nullable: true })
  court!: string;

  @Field(() => String, { nullable: true })
  offenceDescription!: string;
}

@ObjectType()
export class CriminalDecisionConnection {
  @Field(() => [CriminalDecision], { nullable: false })
  nodes!: CriminalDecision[];

  @Field(() => PageInfo, { nullable: false })
  pageInfo!: PageInfo;
}

@InputType({ description: 'Search criteria; every search is logged with them.' })
export class CriminalDecisionFilter {
  @Field(() => ID, { nullable: true })
  personId?: string;

  @Field(() => ID, { nullable: true })
  areaId?: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Decided on or after.' })
  decidedFrom?: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Decided on or before.' })
  decidedTo?: string;

  @Field(() => DecisionType, { nullable: true })
  decisionType?: string;
}
