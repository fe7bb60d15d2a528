import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { GoalMetric } from './enums.js';
import { HousingArea } from './HousingArea.js';

/**
 * A goal of the agreement (Mål) for one area. The municipality, with the
 * secretariat, keeps the definitions; the police assess them by key, where the
 * safety index lives (their subgraph requires `areaId` and `metric`).
 */
@ObjectType({ description: "A goal of the partnership agreement for one area; the police's subgraph adds its assessment." })
@Directive('@key(fields: "id")')
export class Goal {
  @Field(() => ID, { nullable: false })
  id!: string;

  @Field(() => ID, { nullable: false })
  areaId!: string;

  @Field(() => HousingArea)
  area!: HousingArea | null;

  @Field(() => GoalMetric, { nullable: false })
  metric!: string;

  @Field(() => String)
  description!: string;

  @Field(() => String, { description: "The agreement's wording (Danish) that sets the goal." })
  agreementClause!: string;
}
