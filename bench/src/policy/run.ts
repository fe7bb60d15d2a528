import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { DevIssuer } from '@partnergraph/common';
import { policeSubgraph } from '@partnergraph/police';
import { seedPolice } from '@partnergraph/police/seed';
import { openDatabase } from '@partnergraph/subgraph-kit';
import { World } from '@partnergraph/synthetic';
import pg from 'pg';
import { ResponseChecker, runLoad, type LoadResult } from '../gateways/load.js';

/**
 * What the owners' access rules cost. The same 1,000-row query, answered by the
 * police subgraph for a principal who may see only part of the data, against the
 * owner asking with policy checks off (the baseline, measured in the same run).
 *
 *   npm run bench:policy [-- --duration 10 --warmup 3 --rounds 2 --connections 4]
 */
const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const duration = opt('duration', 10);
const warmup = opt('warmup', 3);
const rounds = opt('rounds', 2);
const connections = opt('connections', 4);
const adminUrl = process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

// A police district with enough decisions that a 1,000-row list is a small part of it.
const world = new World({ tenancies: 20_000, decisions: 20_000 });
const dbName = `pgbench_policy_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const url = new URL(adminUrl);
url.pathname = `/${dbName}`;
const issuer = await DevIssuer.create();
const children: ChildProcess[] = [];

try {
  const db = await openDatabase({ url: url.href });
  await policeSubgraph.create({ db, trust: issuer.trustConfig() }); // migrates
  await seedPolice(db, world);
  await db.query('ANALYZE');
  await db.close();

  const serve = async (enforce: boolean) => {
    const child = fork(fileURLToPath(new URL('./serve.js', import.meta.url)), {
      env: { ...process.env, BENCH_POLICE_DATABASE_URL: url.href, BENCH_TRUST: JSON.stringify(issuer.trustConfig()), BENCH_ENFORCE: enforce ? '1' : '0', LOG_LEVEL: 'error', NODE_ENV: 'production' },
    });
    children.push(child);
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m) => resolve((m as { port: number }).port));
      child.once('exit', (code) => reject(new Error(`police subgraph exited (${code})`)));
    });
    return `http://127.0.0.1:${port}/graphql`;
  };
  const servers = { off: await serve(false), on: await serve(true) };

  const fields = 'id decidedOn offenceCategory decisionType area { id }';
  const recent = [...world.decisions()].sort((a, b) => (a.decidedOn < b.decidedOn ? 1 : -1)).slice(0, 1000);
  const workloads = {
    'list of 1,000': { query: `{ criminalDecisions(first: 1000) { nodes { ${fields} } } }` },
    '_entities of 1,000': {
      query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on CriminalDecision { ${fields} } } }`,
      variables: { r: recent.map((d) => ({ __typename: 'CriminalDecision', id: d.id })) },
    },
  };
  const variants = [
    { id: 'owner, policies off (baseline)', server: 'off' as const, persona: 'police-investigator', purpose: 'CRIME_PREVENTION_63D' },
    { id: 'owner, policies on', server: 'on' as const, persona: 'police-investigator', purpose: 'CRIME_PREVENTION_63D' },
    { id: 'municipality (persons under 18)', server: 'on' as const, persona: 'municipality-caseworker', purpose: 'SSP_115' },
    { id: 'housing company (referred to it)', server: 'on' as const, persona: 'housing-fob-caseworker', purpose: 'CRIME_PREVENTION_63D' },
  ];

  const results: Record<string, Record<string, LoadResult[]>> = {};
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const [name, workload] of Object.entries(workloads)) {
      for (const v of order) {
        const headers = { authorization: `Bearer ${await issuer.signPersona(v.persona)}`, 'x-purpose': v.purpose };
        const body = JSON.stringify(workload);
        const first = await fetch(servers[v.server], { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
        const expected = (await first.json()) as { data: unknown; errors?: unknown };
        if (expected.errors) throw new Error(`${v.id} / ${name}: ${JSON.stringify(expected.errors).slice(0, 300)}`);
        const checker = new ResponseChecker(expected);
        await runLoad({ url: servers[v.server], headers, body, connections, durationSeconds: warmup, checker });
        const result = await runLoad({ url: servers[v.server], headers, body, connections, durationSeconds: duration, checker });
        if (result.incorrect || result.errors || result.non2xx) throw new Error(`${v.id} / ${name}: ${result.incorrect} incorrect, ${result.errors} errors`);
        ((results[name] ??= {})[v.id] ??= []).push(result);
      }
    }
  }

  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`\nPolicy cost: police subgraph on PostgreSQL, ${world.decisionCount.toLocaleString('en')} decisions; ${connections} connections, ${rounds} × ${duration} s per variant\n`);
  for (const [name, byVariant] of Object.entries(results)) {
    const rows = variants.map((v) => {
      const runs = byVariant[v.id]!;
      return { id: v.id, rps: mean(runs.map((r) => r.rps)), latency: mean(runs.map((r) => r.latencyMs.mean)), bytes: runs[0]!.bytesPerResponse };
    });
    const baseline = rows[0]!;
    console.log(`${name}`);
    console.log(`  ${'variant'.padEnd(36)} ${'req/s'.padStart(8)} ${'mean ms'.padStart(9)} ${'KB/answer'.padStart(10)} ${'cost vs baseline'.padStart(17)}`);
    for (const row of rows) {
      const ratio = baseline.rps / row.rps;
      console.log(`  ${row.id.padEnd(36)} ${row.rps.toFixed(1).padStart(8)} ${row.latency.toFixed(1).padStart(9)} ${(row.bytes / 1024).toFixed(1).padStart(10)} ${`${ratio.toFixed(2)}×`.padStart(17)}`);
    }
    console.log('');
  }
  console.log('cost = baseline req/s ÷ variant req/s: time per answer relative to the owner with policy checks off (target ≤ 1.20×).');
} finally {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}
