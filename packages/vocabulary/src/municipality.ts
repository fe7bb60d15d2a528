/** Slagelse Kommune's vocabulary: the initiative register and the sanctions of barnets lov. */

/** The agreement's three kinds of initiative (indsatser). */
export const INITIATIVE_KINDS = ['BUILDING_UP', 'PREVENTIVE', 'CRIME_PREVENTIVE'] as const;
export type InitiativeKindValue = (typeof INITIATIVE_KINDS)[number];

/** Barnets lov § 38 (formerly Serviceloven § 57 a) and § 39 (formerly § 57 b). */
export const INJUNCTION_KINDS = ['PARENTAL_INJUNCTION', 'CHILD_YOUTH_INJUNCTION'] as const;
export type InjunctionKindValue = (typeof INJUNCTION_KINDS)[number];
