import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The police's referral, by key: the housing subgraph adds the termination case that followed it. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Referral {
  @Field(() => ID, { nullable: false })
  id!: string;
}
