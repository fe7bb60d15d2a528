import { randomBytes } from 'node:crypto';
import { policeSubgraph } from '@partnergraph/police';
import { seedPolice } from '@partnergraph/police/seed';
import { openDatabase } from '@partnergraph/subgraph-kit';
import { World } from '@partnergraph/synthetic';
import pg from 'pg';

/** A police district with enough decisions that a 1,000-row list is a small part of it. */
export const POLICY_WORLD = { tenancies: 20_000, decisions: 20_000 };

/**
 * A fresh police database for the policy benchmark, migrated, seeded and analysed;
 * `drop` removes it.
 */
export async function policyDatabase(world: World, trust: Parameters<typeof policeSubgraph.create>[0]['trust']) {
  const adminUrl = process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `pgbench_policy_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.href });
  try {
    await policeSubgraph.create({ db, trust }); // migrates
    await seedPolice(db, world);
    await db.query('ANALYZE');
  } finally {
    await db.close();
  }
  return {
    url: url.href,
    name,
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

const FIELDS = 'id decidedOn offenceCategory decisionType area { id }';

/** The two workloads: a page of 1,000 rows the principal may see, and `_entities` of the 1,000 most recent decisions. */
export function policyWorkloads(world: World): Record<string, { query: string; variables?: Record<string, unknown> }> {
  const recent = [...world.decisions()].sort((a, b) => (a.decidedOn < b.decidedOn ? 1 : -1)).slice(0, 1000);
  return {
    'list of 1,000': { query: `{ criminalDecisions(first: 1000) { nodes { ${FIELDS} } } }` },
    '_entities of 1,000': {
      query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on CriminalDecision { ${FIELDS} } } }`,
      variables: { r: recent.map((d) => ({ __typename: 'CriminalDecision', id: d.id })) },
    },
  };
}

export const POLICY_VARIANTS = [
  { id: 'owner, policies off (baseline)', server: 'off' as const, persona: 'police-investigator', purpose: 'CRIME_PREVENTION_63D' },
  { id: 'owner, policies on', server: 'on' as const, persona: 'police-investigator', purpose: 'CRIME_PREVENTION_63D' },
  { id: 'municipality (persons under 18)', server: 'on' as const, persona: 'municipality-caseworker', purpose: 'SSP_115' },
  { id: 'housing company (referred to it)', server: 'on' as const, persona: 'housing-fob-caseworker', purpose: 'CRIME_PREVENTION_63D' },
];
