import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Organisation } from './Organisation.js';

/** The police's referral, by key: the housing subgraph adds the termination case that followed it. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Referral {
  @Field(() => ID, { nullable: false })
  id!: string;

  /** Which company the police referred to: a case counts as the answer only if it is that company's. */
  @Field(() => Organisation, { nullable: true })
  @Directive('@external')
  housingCompany!: Organisation | null;
}
