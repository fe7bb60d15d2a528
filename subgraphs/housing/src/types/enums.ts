import { registerEnumType } from 'type-graphql';

export const TerminationBasis = { ALMENLEJELOVEN_90_1_10: 'ALMENLEJELOVEN_90_1_10', OTHER: 'OTHER' } as const;
registerEnumType(TerminationBasis, {
  name: 'TerminationBasis',
  description: 'Legal basis of a termination case.',
  valuesConfig: {
    ALMENLEJELOVEN_90_1_10: { description: 'Almenlejeloven § 90 stk. 1 nr. 10: crime in or near the home.' },
    OTHER: { description: 'Another ground for termination.' },
  },
});

export const TerminationStatus = {
  ASSESSING: 'ASSESSING',
  NOTICE_SERVED: 'NOTICE_SERVED',
  IN_COURT: 'IN_COURT',
  COMPLETED: 'COMPLETED',
  WITHDRAWN: 'WITHDRAWN',
} as const;
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
