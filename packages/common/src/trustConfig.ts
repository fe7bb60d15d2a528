import { existsSync, readFileSync } from 'node:fs';
import type { TrustConfig } from './tokens.js';

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
  const config = raw as Partial<TrustConfig>;
  if (!Array.isArray(config.issuers) || config.issuers.length === 0) {
    throw new Error('Trust configuration must list at least one issuer.');
  }
  return { audience: config.audience ?? DEFAULT_AUDIENCE, ...config, issuers: config.issuers };
}
