import { Purpose } from '@partnergraph/subgraph-kit';
import { LocalDateResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int } from 'type-graphql';
import { DecisionType, OffenceCategory } from './enums.js';

@InputType({ description: 'A criminal decision as the police record it.' })
export class RecordCriminalDecisionInput {
  @Field(() => ID, { nullable: false, description: 'Pseudonymous id of the person the decision concerns.' })
  personId!: string;

  @Field(() => LocalDateResolver, { nullable: false, description: "The person's date of birth (from the police's own records)." })
  personBirthDate!: string;

  @Field(() => LocalDateResolver, { nullable: false })
  decidedOn!: string;

  @Field(() => OffenceCategory, { nullable: false })
  offenceCategory!: string;

  @Field(() => DecisionType, { nullable: false })
  decisionType!: string;

  @Field(() => Int, { nullable: true, description: 'Required for imprisonment, in days.' })
  sentenceDays?: number | null;

  @Field(() => Boolean, { nullable: false, description: 'Whether the act was within, or had effect in, the area.' })
  withinOrAffectingArea!: boolean;

  @Field(() => ID, { nullable: false })
  areaId!: string;

  @Field(() => String, { nullable: false })
  caseNumber!: string;

  @Field(() => String, { nullable: false })
  court!: string;

  @Field(() => String, { nullable: false })
  offenceDescription!: string;
}

@InputType({ description: 'Refer a decision to the housing company where the person holds a tenancy.' })
export class ReferDecisionInput {
  @Field(() => ID, { nullable: false })
  decisionId!: string;

  @Field(() => ID, { nullable: false })
  housingCompanyId!: string;

  @Field(() => Purpose, { nullable: false, description: 'The legal basis: CRIME_PREVENTION_63D or TERMINATION_90_10; must be the request purpose.' })
  purpose!: string;
}
