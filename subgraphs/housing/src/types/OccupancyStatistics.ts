import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Department } from './Department.js';

/** Occupancy of one department; counts that could single out fewer than 5 households are null. */
@ObjectType({ description: 'Occupancy of a department: dwellings, occupied and vacant; small counts suppressed.' })
export class DepartmentOccupancy {
  departmentId!: string;

  @Field(() => Department)
  department!: Department;

  @Field(() => Int)
  units!: number;

  @Field(() => Int, { nullable: true })
  currentTenancies!: number | null;

  @Field(() => Int, { nullable: true })
  vacantUnits!: number | null;

  @Field(() => Boolean, { description: 'True when a count above is withheld.' })
  suppressed!: boolean;
}

/** Occupancy of an area, department by department, with totals. */
@ObjectType({ description: 'Occupancy statistics of an area.' })
export class OccupancyStatistics {
  areaId!: string;

  @Field(() => Int)
  units!: number;

  @Field(() => Int, { nullable: true })
  currentTenancies!: number | null;

  @Field(() => Int, { nullable: true })
  vacantUnits!: number | null;

  @Field(() => Float, { nullable: true, description: 'Residents per current tenancy.' })
  averageHouseholdSize!: number | null;

  @Field(() => [DepartmentOccupancy], { nullable: true })
  departments!: DepartmentOccupancy[];
}
