import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How a subgraph tells the partnership's own callers (the gateway, and one
 * owner asking another for a request that already came in) from a caller
 * who bypasses the gateway: a proof keyed with a secret the deployment gives
 * to the gateway and every subgraph (PARTNERGRAPH_INTERNAL_KEY). It vouches
 * for no identity — every owner still verifies the caller's own token and
 * applies its own rules — only that the request was admitted by the gateway's
 * rate limits and cost budget, and it lets the composition read `_service`.
 * It is bound to the caller's token and purpose and valid for a minute, so
 * it cannot be lifted onto another request.
 */
export const INTERNAL_PROOF_HEADER = 'x-partnergraph-internal';
const VERSION = 'v1';
const MAX_AGE_SECONDS = 60;
export const MIN_INTERNAL_KEY_LENGTH = 32;

const mac = (key: string, issuedAt: number, authorization: string, purpose: string) =>
  createHmac('sha256', key)
    .update(`${VERSION}\n${issuedAt}\n${createHash('sha256').update(authorization).digest('hex')}\n${purpose}`)
    .digest('base64url');

export function internalProof(key: string, authorization: string, purpose: string, now = Date.now()): string {
  const issuedAt = Math.floor(now / 1000);
  return `${VERSION}.${issuedAt}.${mac(key, issuedAt, authorization, purpose)}`;
}

/** Whether `proof` was made with `key` for this token and purpose within the last minute. */
export function isInternalCall(key: string | undefined, proof: string | undefined, authorization: string | undefined, purpose: string | undefined, now = Date.now()): boolean {
  if (!key || !proof || !authorization || !purpose) return false;
  const [version, issued, signature] = proof.split('.');
  if (version !== VERSION || !issued || !signature || !/^\d{1,12}$/.test(issued)) return false;
  const issuedAt = Number(issued);
  const age = Math.floor(now / 1000) - issuedAt;
  if (age > MAX_AGE_SECONDS || age < -MAX_AGE_SECONDS) return false;
  const expected = Buffer.from(mac(key, issuedAt, authorization, purpose));
  const sent = Buffer.from(signature);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

/** The key from PARTNERGRAPH_INTERNAL_KEY: absent = every caller is treated as one who bypassed the gateway. */
export function internalKeyFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const key = env['PARTNERGRAPH_INTERNAL_KEY'] || undefined;
  if (key !== undefined && key.length < MIN_INTERNAL_KEY_LENGTH) {
    throw new Error(`PARTNERGRAPH_INTERNAL_KEY must be at least ${MIN_INTERNAL_KEY_LENGTH} characters (e.g. openssl rand -base64 32).`);
  }
  return key;
}
