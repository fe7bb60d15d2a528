import { join } from 'node:path';
import { discoverOwners } from '@partnergraph/registry';
import { DisclosureLog, openDatabase } from '@partnergraph/subgraph-kit';
import { defaultDataDir } from './devIdentity.js';

/**
 * `npm run log:verify -- <owner>`: walks an owner's disclosure-log hash chain
 * in its own database (PostgreSQL from <OWNER>_DATABASE_URL, else the embedded
 * one under the data folder) and exits non-zero at the first break.
 */
const name = process.argv[2];
const owners = discoverOwners();
const owner = owners.find((o) => o.name === name);
if (!owner) {
  console.error(`Usage: npm run log:verify -- <${owners.map((o) => o.name).join('|')}>`);
  process.exit(2);
}
const url = process.env[`${owner.envPrefix}_DATABASE_URL`];
if (!url) {
  // An embedded database belongs to one process at a time: never open it under a running subgraph.
  const port = Number(process.env[`${owner.envPrefix}_PORT`] ?? owner.defaultPort);
  const running = await fetch(`http://127.0.0.1:${port}/health`).then(
    (r) => r.ok,
    () => false,
  );
  if (running) {
    console.error(
      `The ${owner.name} subgraph is running on its embedded database. Stop it first (Ctrl-C on npm start), ` +
        `or ask it: { ${owner.name}DisclosureLogVerification { ok checkedRows brokenAtSeq reason } } as the owner's auditor.`,
    );
    process.exit(2);
  }
}
const db = await openDatabase({ url, dataDir: url ? undefined : join(defaultDataDir(), owner.name) });
try {
  const result = await new DisclosureLog(db).verify();
  const [head] = await db.query<{ last_seq: number; last_hash: string }>('SELECT last_seq, last_hash FROM disclosure_log_head WHERE id = 1');
  if (result.ok) {
    console.log(`${owner.name}: disclosure log intact — ${result.checkedRows} rows (seq ${result.firstSeq ?? '-'}..${result.lastSeq ?? '-'}); head ${head?.last_hash}`);
  } else {
    console.error(`${owner.name}: disclosure log BROKEN at seq ${result.brokenAtSeq}: ${result.reason} (${result.checkedRows} rows verified before it)`);
    process.exitCode = 1;
  }
} finally {
  await db.close();
}
