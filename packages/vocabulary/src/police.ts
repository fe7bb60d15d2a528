/** The police district's vocabulary: what its criminal decisions and incident statistics are classified by. */

/** Offence category of a criminal decision (strafferetlig afgørelse). */
export const OFFENCE_CATEGORIES = ['VIOLENCE', 'DRUGS', 'BURGLARY', 'THEFT', 'VANDALISM', 'THREATS', 'WEAPONS', 'ARSON'] as const;
export type OffenceCategoryValue = (typeof OFFENCE_CATEGORIES)[number];

/** Outcome of a criminal decision. */
export const DECISION_TYPES = [
  'UNCONDITIONAL_IMPRISONMENT',
  'CONDITIONAL_IMPRISONMENT',
  'COMMUNITY_SERVICE',
  'FINE',
  'YOUTH_SANCTION',
  'CHARGE_WITHDRAWN',
] as const;
export type DecisionTypeValue = (typeof DECISION_TYPES)[number];

/** Category of reported incidents (anmeldelser). */
export const INCIDENT_CATEGORIES = ['VIOLENCE', 'BURGLARY', 'THEFT', 'VANDALISM', 'DRUGS', 'THREATS', 'ARSON', 'DISTURBANCE'] as const;
export type IncidentCategoryValue = (typeof INCIDENT_CATEGORIES)[number];
