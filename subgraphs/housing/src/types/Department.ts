import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { HousingArea } from './HousingArea.js';
import { Organisation } from './Organisation.js';

/** A department (afdeling): one estate of a housing company in an area. */
@ObjectType({ description: 'A department (afdeling) of a housing company in an area.' })
@Directive('@key(fields: "id")')
export class Department {
  @Field(() => ID, { nullable: false })
  id!: string;

  companyId!: string;
  areaId!: string;

  @Field(() => Int)
  number!: number;

  @Field(() => String)
  name!: string;

  @Field(() => Organisation)
  company!: Organisation;

  @Field(() => HousingArea)
  area!: HousingArea;

  @Field(() => Int, { description: 'Dwellings in the department.' })
  units!: number;
}
