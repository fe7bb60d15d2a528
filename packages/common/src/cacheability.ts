/**
 * Whether an answer may be reused, as its owner states it. One value travels
 * from the subgraph that answered to the gateway's answer cache and in-flight
 * sharing; between processes it is the answer's `cache-control` header:
 *
 * | owner's statement                         | `cache-control`          |
 * | ----------------------------------------- | ------------------------ |
 * | personal (logged per delivery), or a write | `no-store`               |
 * | not personal, not to be cached            | `private, max-age=0`     |
 * | not personal, cacheable for N seconds     | `private, max-age=N`     |
 *
 * An answer without the header made no statement and counts as personal.
 */
export interface Cacheability {
  /** Seconds the answer may be served from a cache (0: not cached). */
  readonly maxAge: number;
  /**
   * The answer discloses personal data (its owner logged the disclosure for
   * this request): never cached, never handed to another request.
   */
  readonly personal: boolean;
}

export const PERSONAL: Cacheability = Object.freeze({ maxAge: 0, personal: true });

export function cacheControlOf(cacheability: Cacheability): string {
  if (cacheability.personal) return 'no-store';
  const { maxAge } = cacheability;
  return `private, max-age=${Number.isFinite(maxAge) && maxAge > 0 ? Math.floor(maxAge) : 0}`;
}

const MAX_AGE = /max-age=(\d+)/;

/** The max-age a `cache-control` header allows (0 when none). */
export function maxAgeOf(cacheControl: string): number {
  if (cacheControl.includes('no-cache')) return 0;
  const match = MAX_AGE.exec(cacheControl);
  return match ? Number(match[1]) : 0;
}

/** Whether a `cache-control` header leaves the answer personal: absent, or `no-store`. */
export function isPersonalCacheControl(cacheControl: string | undefined): boolean {
  return cacheControl === undefined || cacheControl.includes('no-store');
}

export function cacheabilityOf(cacheControl: string | undefined): Cacheability {
  if (isPersonalCacheControl(cacheControl)) return PERSONAL;
  return { maxAge: maxAgeOf(cacheControl!), personal: false };
}

/**
 * Cacheability of an answer assembled from parts: the shortest lifetime, and
 * personal if any part is. Starts as "no parts yet": reusable, no lifetime stated.
 */
export class CombinedCacheability implements Cacheability {
  maxAge = Number.POSITIVE_INFINITY;
  personal = false;

  add(part: Cacheability): void {
    if (part.maxAge < this.maxAge) this.maxAge = part.maxAge;
    if (part.personal) this.personal = true;
  }

  addCacheControl(cacheControl: string | undefined): void {
    if (isPersonalCacheControl(cacheControl)) {
      this.maxAge = 0;
      this.personal = true;
    } else {
      const maxAge = maxAgeOf(cacheControl!);
      if (maxAge < this.maxAge) this.maxAge = maxAge;
    }
  }

  /** A part that could not be read (a failed fetch): nothing of it to cache. */
  uncacheable(): void {
    this.maxAge = 0;
  }

  /** Cacheable: a finite, positive lifetime and nothing personal. */
  get cacheable(): boolean {
    return !this.personal && this.maxAge > 0 && Number.isFinite(this.maxAge);
  }
}
