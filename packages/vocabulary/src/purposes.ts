/**
 * Purpose (formål): every request names exactly one, and it decides what may flow.
 * The legal basis for each is in shared/MISSION.md, "The legal frame".
 */
export const PURPOSES = [
  /** Almenboligloven § 63 d: recent criminal decisions to the housing organisation. */
  'CRIME_PREVENTION_63D',
  /** Almenlejeloven § 90 stk. 1 nr. 10: termination for crime near the home. */
  'TERMINATION_90_10',
  /** Retsplejeloven § 115: SSP/PSP/KSP exchange between authorities. */
  'SSP_115',
  /** Aggregates only, small cells suppressed. */
  'STATISTICS',
  /** Non-personal data: initiatives, meetings, notices. */
  'COORDINATION',
] as const;

export type Purpose = (typeof PURPOSES)[number];

export const PURPOSE_HEADER = 'x-purpose';

export function isPurpose(value: unknown): value is Purpose {
  return typeof value === 'string' && (PURPOSES as readonly string[]).includes(value);
}
