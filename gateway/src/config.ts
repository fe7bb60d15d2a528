import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTrustConfig, type TrustConfig } from '@partnergraph/common';

export interface GatewayConfig {
  host: string;
  port: number;
  /** Path of the supergraph SDL file: any Federation 2 supergraph, not only ours. */
  supergraphPath: string;
  /** Subgraph URLs by subgraph name, overriding those in the supergraph. */
  subgraphUrls: Record<string, string>;
  trust: TrustConfig;
  /** Per-subgraph fetch timeout. */
  subgraphTimeoutMs: number;
  maxBodyBytes: number;
}

const DEFAULT_SUPERGRAPH = new URL('../../schema/supergraph.graphql', import.meta.url);

/**
 * Configuration from the environment (see the README's table):
 * GATEWAY_PORT, HOST, SUPERGRAPH_PATH, SUBGRAPH_<NAME>_URL, PARTNERGRAPH_TRUST_FILE …
 */
export function gatewayConfigFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const dataDir = env['PARTNERGRAPH_DATA_DIR'] ?? '.data';
  const subgraphUrls: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(key);
    if (match && value) subgraphUrls[match[1]!.toLowerCase()] = value;
  }
  return {
    host: env['HOST'] ?? '127.0.0.1',
    port: Number(env['GATEWAY_PORT'] ?? 4000),
    supergraphPath: env['SUPERGRAPH_PATH'] ?? fileURLToPath(DEFAULT_SUPERGRAPH),
    subgraphUrls,
    trust: loadTrustConfig(env, join(dataDir, 'trust.json')),
    subgraphTimeoutMs: Number(env['SUBGRAPH_TIMEOUT_MS'] ?? 10_000),
    maxBodyBytes: Number(env['MAX_BODY_BYTES'] ?? 64 * 1024),
  };
}
