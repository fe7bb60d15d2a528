import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** A social-housing area; the housing companies contribute departments and occupancy. */
@ObjectType({ description: 'A social-housing area of the partnership agreement.' })
@Directive('@key(fields: "id")')
export class HousingArea {
  @Field(() => ID, { nullable: false })
  id!: string;
}
