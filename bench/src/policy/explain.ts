import { DevIssuer } from '@partnergraph/common';
import { policeSubgraph } from '@partnergraph/police';
import { openDatabase, type SubgraphServer } from '@partnergraph/subgraph-kit';
import { World } from '@partnergraph/synthetic';
import { explainStatements, StatementRecorder } from '../explain/recording.js';
import { POLICY_VARIANTS, POLICY_WORLD, policyDatabase, policyWorkloads } from './setup.js';

/**
 * The plans behind the policy benchmark: on the same fresh database, runs each
 * workload once per variant (owner with policies off and on, municipality,
 * housing company) and prints the EXPLAIN (ANALYZE, BUFFERS) of every statement
 * the police subgraph sent for it.
 *
 *   npm run bench:policy:explain [-- --keep]   # --keep: leave the database for further study
 */
const keep = process.argv.includes('--keep');
const world = new World(POLICY_WORLD);
const issuer = await DevIssuer.create();
const database = await policyDatabase(world, issuer.trustConfig());
const db = await openDatabase({ url: database.url });
const recorder = new StatementRecorder();
const servers: Record<'on' | 'off', SubgraphServer> = {
  off: await policeSubgraph.create({ db: recorder.wrap('police', db), trust: issuer.trustConfig(), enforcePolicies: false, rateLimit: false }),
  on: await policeSubgraph.create({ db: recorder.wrap('police', db), trust: issuer.trustConfig(), rateLimit: false }),
};
const urls = { off: (await servers.off.listen(0)).url, on: (await servers.on.listen(0)).url };
try {
  for (const [name, workload] of Object.entries(policyWorkloads(world))) {
    for (const v of POLICY_VARIANTS) {
      const post = async () => {
        const res = await fetch(urls[v.server], {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await issuer.signPersona(v.persona)}`, 'x-purpose': v.purpose },
          body: JSON.stringify(workload),
        });
        return (await res.json()) as { errors?: unknown };
      };
      await post(); // warm: compiled rules
      let answer: { errors?: unknown } = {};
      const statements = await recorder.during(async () => {
        answer = await post();
      });
      console.log(`\n════ ${name} — ${v.id}: ${statements.length} statements${answer.errors ? `, errors ${JSON.stringify(answer.errors).slice(0, 200)}` : ''}\n`);
      console.log(await explainStatements(statements, () => db));
    }
  }
} finally {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
  await db.close();
  if (keep) console.log(`database kept: ${database.url}`);
  else await database.drop();
}
