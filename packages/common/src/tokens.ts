import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { LRUCache } from 'lru-cache';
import { ROLES, type Principal, type Role } from './principal.js';
import { PURPOSES, isPurpose, type Purpose } from '@partnergraph/vocabulary';

/** One identity provider the partnership trusts. */
export interface TrustedIssuer {
  issuer: string;
  /** `file:` path, `https:` URL, or an inline JWKS. */
  jwks: string | JSONWebKeySet;
  /**
   * The organisations this issuer may assert in `org`: a housing company's
   * identity provider speaks for that company only, never for the police.
   */
  organisations: string[];
}

export interface TrustConfig {
  audience: string;
  issuers: TrustedIssuer[];
  /** Bounded clock skew accepted on exp/nbf/iat (default 30 s, at most 300 s). */
  clockToleranceSeconds?: number;
  /** Longest token age accepted, from iat (default 12 h): a token with a far expiry still ages out. */
  maxTokenAgeSeconds?: number;
}

export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
export const MAX_CLOCK_TOLERANCE_SECONDS = 300;
export const DEFAULT_MAX_TOKEN_AGE_SECONDS = 12 * 3600;

/** Asymmetric algorithms only: `none` and HMAC (algorithm confusion) are never accepted. */
export const ACCEPTED_ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'];

export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

function keySetFor(jwks: TrustedIssuer['jwks']): JWTVerifyGetKey {
  if (typeof jwks !== 'string') return createLocalJWKSet(jwks);
  if (jwks.startsWith('https://') || jwks.startsWith('http://')) {
    return createRemoteJWKSet(new URL(jwks), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
  }
  const path = jwks.startsWith('file:') ? fileURLToPath(jwks) : jwks;
  return createLocalJWKSet(JSON.parse(readFileSync(path, 'utf8')) as JSONWebKeySet);
}

function stringArray(payload: JWTPayload, claim: string): string[] {
  const value = payload[claim];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new TokenError(`claim ${claim} must be an array of strings`);
  }
  return value as string[];
}

/**
 * Verifies bearer tokens against the trusted issuers: signature, issuer,
 * audience, expiry with bounded skew, and the partnership's claims.
 * Gateway and every subgraph run their own instance: no one is taken at their word.
 */
export class TokenVerifier {
  private readonly keySets = new Map<string, JWTVerifyGetKey>();
  private readonly organisations = new Map<string, ReadonlySet<string>>();
  private readonly toleranceSeconds: number;
  private readonly maxAgeSeconds: number;
  /** Verified tokens, until their expiry: the most recently used first. */
  private readonly cache = new LRUCache<string, { principal: Principal; expiresAt: number }>({ max: 10_000 });

  constructor(private readonly config: TrustConfig) {
    for (const issuer of config.issuers) {
      this.keySets.set(issuer.issuer, keySetFor(issuer.jwks));
      this.organisations.set(issuer.issuer, new Set(issuer.organisations ?? []));
    }
    this.toleranceSeconds = Math.min(config.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS, MAX_CLOCK_TOLERANCE_SECONDS);
    this.maxAgeSeconds = config.maxTokenAgeSeconds ?? DEFAULT_MAX_TOKEN_AGE_SECONDS;
  }

  /** Returns the verified principal or throws TokenError (message safe to log, not to show). */
  async verify(authorization: string | undefined | null): Promise<Principal> {
    if (!authorization) throw new TokenError('missing bearer token');
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(authorization.trim());
    if (!match) throw new TokenError('malformed authorization header');
    const token = match[1]!;

    // A token is immutable: a verified one can be reused until its expiry.
    const cached = this.cache.get(token);
    if (cached && cached.expiresAt > Date.now()) return cached.principal;

    let header;
    let unverified;
    try {
      header = decodeProtectedHeader(token);
      unverified = decodeJwt(token);
    } catch {
      throw new TokenError('undecodable token');
    }
    if (!header.alg || !ACCEPTED_ALGORITHMS.includes(header.alg)) throw new TokenError('algorithm not accepted');
    const keySet = typeof unverified.iss === 'string' ? this.keySets.get(unverified.iss) : undefined;
    if (!keySet) throw new TokenError('untrusted issuer');

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keySet, {
        issuer: unverified.iss!,
        audience: this.config.audience,
        algorithms: ACCEPTED_ALGORITHMS,
        clockTolerance: this.toleranceSeconds,
        requiredClaims: ['exp', 'iat', 'sub'],
        maxTokenAge: this.maxAgeSeconds,
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new TokenError('token expired');
      if (error instanceof joseErrors.JOSEError) throw new TokenError(`token rejected: ${error.code}`);
      throw new TokenError('token rejected');
    }
    const now = Math.floor(Date.now() / 1000);
    const issuedAt = payload.iat!;
    // A token dated ahead of our clock (beyond the skew) is refused, not trusted until then.
    if (issuedAt > now + this.toleranceSeconds) throw new TokenError('token issued in the future');
    const principal = toPrincipal(payload);
    if (!this.organisations.get(payload.iss!)?.has(principal.organisation)) {
      throw new TokenError(`issuer ${payload.iss} may not assert organisation ${principal.organisation}`);
    }
    // Reused until it expires or ages out, whichever comes first.
    this.remember(token, principal, Math.min(payload.exp!, issuedAt + this.maxAgeSeconds) * 1000);
    return principal;
  }

  private remember(token: string, principal: Principal, expiresAt: number): void {
    this.cache.set(token, { principal, expiresAt });
  }
}

function toPrincipal(payload: JWTPayload): Principal {
  const organisation = payload['org'];
  if (typeof organisation !== 'string' || !/^[a-z0-9-]{2,64}$/.test(organisation)) {
    throw new TokenError('claim org missing or malformed');
  }
  const roles = stringArray(payload, 'roles');
  const unknownRole = roles.find((r) => !(ROLES as readonly string[]).includes(r));
  if (unknownRole) throw new TokenError('unknown role');
  const purposes = stringArray(payload, 'purposes');
  if (!purposes.every(isPurpose)) throw new TokenError(`purposes must be among ${PURPOSES.join(', ')}`);
  return {
    subject: payload.sub!,
    issuer: payload.iss!,
    organisation,
    roles: roles as Role[],
    purposes: purposes as Purpose[],
    areas: stringArray(payload, 'areas'),
  };
}
