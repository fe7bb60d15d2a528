import { GOAL_METRICS } from '@partnergraph/vocabulary';
import { registerEnumType } from 'type-graphql';
import { enumValues } from './enumValues.js';

/**
 * What a goal of the agreement ("Mål") measures: shared vocabulary, since the
 * municipality defines goals and the police assess them; both subgraphs
 * declare this one enum.
 */
export const GoalMetric = enumValues(GOAL_METRICS);

registerEnumType(GoalMetric, {
  name: 'GoalMetric',
  description: 'What a goal of the agreement measures.',
  valuesConfig: {
    SAFETY_SHARE_VS_COMPARABLE_AREAS: { description: 'Share of residents feeling safe at least that of comparable areas overall.' },
    SAFETY_SHARE_VS_PREVIOUS_YEAR: { description: 'Share of residents feeling safe better than the year before.' },
    NEIGHBOURHOOD_PROBLEMS_VS_PREVIOUS_YEAR: { description: 'Neighbourhood-problems index (nabolagsproblemer) lower than the year before.' },
  },
});
