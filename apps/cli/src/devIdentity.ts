import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  // A trust file this launcher wrote (it names only the dev issuer) follows the current rules
  // (organisations bound, token age); one an operator wrote is theirs and left alone.
  const wanted = `${JSON.stringify(issuer.trustConfig(join(keysDir, 'dev-issuer.jwks.json')), null, 2)}\n`;
  if (!existsSync(trustFile) || (namesOnly(trustFile, issuer.issuer) && readFileSync(trustFile, 'utf8') !== wanted)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(trustFile, wanted);
  }
  return { issuer, trustFile };
}

function namesOnly(trustFile: string, issuer: string): boolean {
  try {
    const issuers = (JSON.parse(readFileSync(trustFile, 'utf8')) as { issuers?: Array<{ issuer?: string }> }).issuers ?? [];
    return issuers.length > 0 && issuers.every((i) => i.issuer === issuer);
  } catch {
    return false;
  }
}

/** Where `npm start` keeps its data: PARTNERGRAPH_DATA_DIR, else ./.data. (Clients use dataDirForClients, which follows the running system.) */
export const defaultDataDir = () => process.env['PARTNERGRAPH_DATA_DIR'] ?? join(process.cwd(), '.data');
