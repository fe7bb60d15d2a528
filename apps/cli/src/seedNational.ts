import { discoverOwners } from '@partnergraph/registry';
import { migrate, openDatabase } from '@partnergraph/subgraph-kit';
import { NATIONAL_SCALE, World } from '@partnergraph/synthetic';
import pg from 'pg';
import { loadSeed, loadSubgraph } from './owners.js';

/**
 * `npm run seed:national`: the synthetic partnership at national volume
 * (≥ 1,000,000 tenancies, ≥ 200,000 decisions) in PostgreSQL, one database per
 * owner, for benchmarks. Uses <OWNER>_DATABASE_URL when set; otherwise creates
 * partnergraph_national_<owner> on NATIONAL_ADMIN_URL (default: the local server).
 *
 *   npm run seed:national [-- --tenancies 1000000 --decisions 200000 --fresh]
 */
const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const fresh = args.includes('--fresh');
const world = new World({ tenancies: opt('tenancies', NATIONAL_SCALE.tenancies), decisions: opt('decisions', NATIONAL_SCALE.decisions) });
const adminUrl = process.env['NATIONAL_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const owners = await Promise.all(
  discoverOwners().map(async (owner) => ({ name: owner.name, subgraph: await loadSubgraph(owner), seed: await loadSeed(owner) })),
);

async function databaseUrl(owner: string): Promise<string> {
  const configured = process.env[`${owner.toUpperCase()}_DATABASE_URL`];
  if (configured) return configured;
  const name = `partnergraph_national_${owner}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  if (fresh) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.href;
}

const started = Date.now();
console.log(`Seeding ${world.tenancyCount.toLocaleString('en')} tenancies and ${world.decisionCount.toLocaleString('en')} decisions (anchor ${world.anchor.toISOString().slice(0, 10)})`);
const env: string[] = [];
await Promise.all(
  owners.map(async ({ name, subgraph, seed }) => {
    const t = Date.now();
    const url = await databaseUrl(name);
    const db = await openDatabase({ url });
    try {
      await migrate(db, subgraph.migrations());
      // Policies are validated once here too, so a broken set fails before hours of loading.
      subgraph.policies();
      const seeded = await seed(db, world);
      await db.query('ANALYZE');
      console.log(`${name}: ${seeded ? 'seeded' : 'already had data (use --fresh to reload)'} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      env.push(`${name.toUpperCase()}_DATABASE_URL=${url}`);
    } finally {
      await db.close();
    }
  }),
);
console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s. Start the system on it with:\n  ${env.sort().join(' ')} PARTNERGRAPH_SEED_ANCHOR=${world.anchor.toISOString().slice(0, 10)} npm start`);
