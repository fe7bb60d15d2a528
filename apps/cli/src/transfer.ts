import { runTransferCommand } from '@partnergraph/import';
import { defaultDataDir, ensureDevIdentity } from './devIdentity.js';
import { transferOwners } from './transferOwners.js';

/**
 * `npm run import -- <owner> <kind> <file> [--dry-run] [--skip-invalid] …` and
 * `npm run export -- <owner> <kind> <file>`: the owners' files in and out (packages/import).
 */
const [mode, ...args] = process.argv.slice(2);
const dataDir = defaultDataDir();
process.exitCode = await runTransferCommand(mode === 'export' ? 'export' : 'import', args, {
  owners: await transferOwners(),
  dataDir,
  devToken: async (persona) => (await ensureDevIdentity(dataDir)).issuer.signPersona(persona),
});
