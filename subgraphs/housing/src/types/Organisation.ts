import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** A party to the agreement; the housing subgraph adds a housing company's departments. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Organisation {
  @Field(() => ID, { nullable: false })
  id!: string;
}
