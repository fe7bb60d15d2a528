import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** A party to the agreement, referenced by key (the municipality holds its details). */
@ObjectType()
@Directive('@key(fields: "id", resolvable: false)')
export class Organisation {
  @Field(() => ID, { nullable: false })
  id!: string;
}
