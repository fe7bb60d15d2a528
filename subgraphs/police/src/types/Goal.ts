import { GoalMetric } from '@partnergraph/subgraph-kit';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export { GoalMetric } from '@partnergraph/subgraph-kit';

export const GoalStatus = { MET: 'MET', NOT_MET: 'NOT_MET', NO_DATA: 'NO_DATA' } as const;
registerEnumType(GoalStatus, { name: 'GoalStatus', description: 'Whether a goal is met in a year, computed by the police from their safety index.' });

/** One year's verdict on a goal, with the figures it rests on. */
@ObjectType({ description: "One year's verdict on a goal, with the figures it rests on." })
export class GoalAssessment {
  @Field(() => Int, { nullable: false })
  year!: number;

  @Field(() => GoalStatus, { nullable: false })
  status!: string;

  @Field(() => Number, { nullable: true, description: "The area's measurement that year." })
  value!: number | null;

  @Field(() => Number, { nullable: true, description: 'What it is compared with: comparable areas, or the previous year.' })
  reference!: number | null;
}

/** A goal of the agreement: defined by the municipality, assessed here, where the safety index lives. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Goal {
  @Field(() => ID, { nullable: false })
  id!: string;

  @Field(() => ID, { nullable: false })
  @Directive('@external')
  areaId!: string;

  @Field(() => GoalMetric, { nullable: false })
  @Directive('@external')
  metric!: string;
}
