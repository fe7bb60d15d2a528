import type { Purpose } from '@partnergraph/vocabulary';

export const ROLES = ['caseworker', 'investigator', 'analyst', 'coordinator', 'board-member', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Who asks, as verified from a bearer token. Never built from unverified input. */
export interface Principal {
  /** Token subject: the user id at the partner's identity provider. */
  subject: string;
  issuer: string;
  /** Organisation id, e.g. `police`, `fob`, `slagelse-kommune`. */
  organisation: string;
  roles: Role[];
  /** Purposes this principal may invoke. */
  purposes: Purpose[];
  /** Housing areas the principal works in (empty = no area restriction stated). */
  areas: string[];
}

/** A verified principal plus the purpose it invoked for this request. */
export interface RequestIdentity {
  principal: Principal;
  purpose: Purpose;
}

/** Stable string describing what decides access; used in cache and dedup keys. */
export function accessScopeKey(identity: RequestIdentity): string {
  const p = identity.principal;
  return [p.organisation, [...p.roles].sort().join(','), identity.purpose, [...p.areas].sort().join(',')].join('|');
}
