import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** A person, by pseudonymous id only: a real deployment keys on CPR, which never leaves its owner in clear. */
@ObjectType({ description: 'A person, by pseudonymous id.' })
@Directive('@key(fields: "id")')
export class Person {
  @Field(() => ID, { nullable: false })
  id!: string;
}
