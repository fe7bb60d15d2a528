import { TERMINATION_BASES, TERMINATION_STATUSES } from '@partnergraph/vocabulary';
import { enumValues } from '@partnergraph/subgraph-kit';
import { registerEnumType } from 'type-graphql';

export const TerminationBasis = enumValues(TERMINATION_BASES);
registerEnumType(TerminationBasis, {
  name: 'TerminationBasis',
  description: 'Legal basis of a termination case.',
  valuesConfig: {
    ALMENLEJELOVEN_90_1_10: { description: 'Almenlejeloven § 90 stk. 1 nr. 10: crime in or near the home.' },
    OTHER: { description: 'Another ground for termination.' },
  },
});

export const TerminationStatus = enumValues(TERMINATION_STATUSES);
registerEnumType(TerminationStatus, {
  name: 'TerminationStatus',
  description: 'Where a termination case (opsigelsessag) stands.',
  valuesConfig: {
    ASSESSING: { description: 'The company is assessing the case.' },
    NOTICE_SERVED: { description: 'Notice of termination served on the tenant.' },
    IN_COURT: { description: 'Before the housing court or the courts.' },
    COMPLETED: { description: 'The tenancy was terminated.' },
    WITHDRAWN: { description: 'The case was dropped.' },
  },
});
