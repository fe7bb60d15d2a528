import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DevIssuer } from '@partnergraph/common';

/**
 * The embedded default's identity provider: keys made on first start under the
 * data folder, and a trust file naming it, which every process reads.
 */
export async function ensureDevIdentity(dataDir: string): Promise<{ issuer: DevIssuer; trustFile: string }> {
  const keysDir = join(dataDir, 'keys');
  const issuer = await DevIssuer.loadOrCreate(keysDir);
  const trustFile = join(dataDir, 'trust.json');
  if (!existsSync(trustFile)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(trustFile, `${JSON.stringify(issuer.trustConfig(join(keysDir, 'dev-issuer.jwks.json')), null, 2)}\n`);
  }
  return { issuer, trustFile };
}

/** Where `npm start` keeps its data: PARTNERGRAPH_DATA_DIR, else ./.data. (Clients use dataDirForClients, which follows the running system.) */
export const defaultDataDir = () => process.env['PARTNERGRAPH_DATA_DIR'] ?? join(process.cwd(), '.data');
