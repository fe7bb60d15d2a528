import { PURPOSES } from '@partnergraph/vocabulary';
import { registerEnumType } from 'type-graphql';
import { enumValues } from './enumValues.js';

/** The five purposes (formål) as a GraphQL enum, identical in every subgraph. */
export const Purpose = enumValues(PURPOSES);

registerEnumType(Purpose, {
  name: 'Purpose',
  description: 'Purpose (formål) of a request or a disclosure; decides what may flow.',
  valuesConfig: {
    CRIME_PREVENTION_63D: { description: 'Almenboligloven § 63 d: recent criminal decisions to the housing organisation.' },
    TERMINATION_90_10: { description: 'Almenlejeloven § 90 stk. 1 nr. 10: termination for crime near the home.' },
    SSP_115: { description: 'Retsplejeloven § 115: SSP/PSP/KSP exchange between authorities.' },
    STATISTICS: { description: 'Aggregates only, small cells suppressed.' },
    COORDINATION: { description: 'Non-personal data: initiatives, meetings, notices.' },
  },
});
