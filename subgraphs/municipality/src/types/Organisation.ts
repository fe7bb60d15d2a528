import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { OrganisationKind } from './enums.js';

/** A party to the agreement, or its secretariat; the municipality keeps the register. */
@ObjectType({ description: 'A party to the partnership agreement, or its secretariat.' })
@Directive('@key(fields: "id")')
export class Organisation {
  @Field(() => ID, { nullable: false })
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  shortName!: string;

  @Field(() => OrganisationKind)
  kind!: string;
}
