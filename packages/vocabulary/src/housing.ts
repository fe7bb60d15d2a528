/** The housing companies' vocabulary: termination cases (opsigelsessager). */

/** Legal basis of a termination case: almenlejeloven § 90 stk. 1 nr. 10 (crime in or near the home), or another. */
export const TERMINATION_BASES = ['ALMENLEJELOVEN_90_1_10', 'OTHER'] as const;
export type TerminationBasisValue = (typeof TERMINATION_BASES)[number];

/** Where a termination case stands. */
export const TERMINATION_STATUSES = ['ASSESSING', 'NOTICE_SERVED', 'IN_COURT', 'COMPLETED', 'WITHDRAWN'] as const;
export type TerminationStatusValue = (typeof TERMINATION_STATUSES)[number];
