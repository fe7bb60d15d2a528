import { Field, ID, InputType } from 'type-graphql';
import { TerminationBasis } from './enums.js';

@InputType({ description: 'Open a termination case on a referral from the police.' })
export class OpenTerminationCaseInput {
  @Field(() => ID, { nullable: false, description: 'The police referral in your inbox.' })
  referralId!: string;

  @Field(() => ID, { nullable: false, description: 'Your tenancy of the person the referral concerns.' })
  tenancyId!: string;

  @Field(() => TerminationBasis, { nullable: false })
  basis!: string;
}
