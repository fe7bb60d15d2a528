import { existsSync, readFileSync } from 'node:fs';
import { MAX_CLOCK_TOLERANCE_SECONDS, type TrustConfig, type TrustedIssuer } from './tokens.js';

export const DEFAULT_AUDIENCE = 'partnergraph';

/**
 * Trusted issuers come from PARTNERGRAPH_TRUST (inline JSON) or
 * PARTNERGRAPH_TRUST_FILE (path); the embedded default writes one for its dev issuer.
 */
export function loadTrustConfig(env: NodeJS.ProcessEnv = process.env, fallbackFile?: string): TrustConfig {
  const inline = env['PARTNERGRAPH_TRUST'];
  const file = env['PARTNERGRAPH_TRUST_FILE'] ?? fallbackFile;
  let raw: unknown;
  if (inline) raw = JSON.parse(inline);
  else if (file && existsSync(file)) raw = JSON.parse(readFileSync(file, 'utf8'));
  else throw new Error('No trusted issuers configured: set PARTNERGRAPH_TRUST_FILE or PARTNERGRAPH_TRUST.');
  return checkTrustConfig(raw);
}

/** A trust configuration as read, checked: every issuer bound to the organisations it may assert, bounded skew and age. */
export function checkTrustConfig(raw: unknown): TrustConfig {
  const config = raw as Partial<TrustConfig>;
  if (!Array.isArray(config.issuers) || config.issuers.length === 0) {
    throw new Error('Trust configuration must list at least one issuer.');
  }
  for (const issuer of config.issuers as Partial<TrustedIssuer>[]) {
    const organisations = issuer.organisations;
    if (!Array.isArray(organisations) || organisations.length === 0 || !organisations.every((o) => typeof o === 'string' && o.length > 0)) {
      throw new Error(`Trusted issuer ${String(issuer.issuer)} must list the organisations it may assert ("organisations": ["fob", …]).`);
    }
  }
  const tolerance = config.clockToleranceSeconds;
  if (tolerance !== undefined && !(Number.isFinite(tolerance) && tolerance >= 0 && tolerance <= MAX_CLOCK_TOLERANCE_SECONDS)) {
    throw new Error(`clockToleranceSeconds must be between 0 and ${MAX_CLOCK_TOLERANCE_SECONDS}.`);
  }
  const maxAge = config.maxTokenAgeSeconds;
  if (maxAge !== undefined && !(Number.isFinite(maxAge) && maxAge > 0)) {
    throw new Error('maxTokenAgeSeconds must be a positive number of seconds (it cannot be turned off).');
  }
  return { audience: config.audience ?? DEFAULT_AUDIENCE, ...config, issuers: config.issuers };
}
