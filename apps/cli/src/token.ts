import { PERSONAS } from '@partnergraph/common';
import { ensureDevIdentity } from './devIdentity.js';
import { clientDataDirOrExit } from './runningSystems.js';

/**
 * `npm run -s token -- <persona> [--ttl seconds]`: prints a dev token signed by
 * the embedded issuer of the running system's data directory (see
 * dataDirForClients), so it is accepted by the system that runs.
 */
const args = process.argv.slice(2);
const persona = args.find((a) => !a.startsWith('--'));
const ttlIndex = args.indexOf('--ttl');
const ttl = ttlIndex >= 0 ? Number(args[ttlIndex + 1]) : 8 * 3600;

if (!persona || !PERSONAS[persona]) {
  console.error('Usage: npm run -s token -- <persona> [--ttl seconds]\n\nPersonas:');
  for (const [name, p] of Object.entries(PERSONAS)) {
    console.error(`  ${name.padEnd(26)} ${p.description} — purposes: ${p.purposes.join(', ')}`);
  }
  process.exit(persona ? 1 : 0);
}
const { issuer } = await ensureDevIdentity(clientDataDirOrExit());
process.stdout.write(`${await issuer.signPersona(persona, { expiresInSeconds: ttl })}\n`);
