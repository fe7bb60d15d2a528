import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * A social-housing area. The municipality owns the record (name, town, SUB
 * status); police and housing contribute their own fields by key.
 */
@ObjectType({ description: 'A social-housing area of the partnership agreement.' })
@Directive('@key(fields: "id")')
export class HousingArea {
  @Field(() => ID, { nullable: false })
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  town!: string;

  @Field(() => Boolean, {
    description: "SUB area (særligt udsat boligområde): an area with national targets for the police's effort.",
  })
  isSpecialArea!: boolean;
}
