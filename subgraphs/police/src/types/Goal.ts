import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

/** The goals of the agreement, as the municipality defines them (identical enum in both subgraphs). */
export const GoalMetric = {
  SAFETY_SHARE_VS_COMPARABLE_AREAS: 'SAFETY_SHARE_VS_COMPARABLE_AREAS',
  SAFETY_SHARE_VS_PREVIOUS_YEAR: 'SAFETY_SHARE_VS_PREVIOUS_YEAR',
  NEIGHBOURHOOD_PROBLEMS_VS_PREVIOUS_YEAR: 'NEIGHBOURHOOD_PROBLEMS_VS_PREVIOUS_YEAR',
} as const;
registerEnumType(GoalMetric, {
  name: 'GoalMetric',
  description: 'What a goal of the agreement measures.',
  valuesConfig: {
    SAFETY_SHARE_VS_COMPARABLE_AREAS: { description: 'Share of residents feeling safe at least that of comparable areas overall.' },
    SAFETY_SHARE_VS_PREVIOUS_YEAR: { description: 'Share of residents feeling safe better than the year before.' },
    NEIGHBOURHOOD_PROBLEMS_VS_PREVIOUS_YEAR: { description: 'Neighbourhood-problems index (nabolagsproblemer) lower than the year before.' },
  },
});

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
