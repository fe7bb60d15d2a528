import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DevIssuer } from '@partnergraph/common';
import { discoverOwners } from '@partnergraph/registry';
import pg from 'pg';
import { ResponseChecker, runLoad } from '../gateways/load.js';

/**
 * The partnership's flagship query — the board's overview of every area from
 * three owners — through the full stack on national-volume data in
 * PostgreSQL: three subgraph processes, our gateway (token checks, limits,
 * metrics, Redis when it answers), 50 connections.
 *
 *   npm run seed:national     # once: 1,000,000 tenancies, 200,000 decisions
 *   npm run bench:board [-- --duration 30 --warmup 5]
 */
const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const duration = opt('duration', 30);
const warmup = opt('warmup', 5);
const connections = opt('connections', 50);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const admin = process.env['NATIONAL_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const dbUrl = (owner: string) => {
  const url = new URL(admin);
  url.pathname = `/partnergraph_national_${owner}`;
  return url.href;
};

// The national databases must exist, with data.
const client = new pg.Client({ connectionString: dbUrl('housing') });
try {
  await client.connect();
  const [row] = (await client.query('SELECT count(*)::int AS n FROM tenancies')).rows as Array<{ n: number }>;
  console.log(`national data: ${row!.n.toLocaleString('en')} tenancies`);
  if (row!.n < 1_000_000) throw new Error('fewer than 1,000,000 tenancies');
} catch (error) {
  console.error(`Run \`npm run seed:national\` first (${(error as Error).message}).`);
  process.exit(2);
} finally {
  await client.end().catch(() => undefined);
}

const work = mkdtempSync(join(tmpdir(), 'partnergraph-board-'));
const issuer = await DevIssuer.create();
writeFileSync(join(work, 'trust.json'), JSON.stringify(issuer.trustConfig()));
const children: ChildProcess[] = [];
const start = (entry: string, env: Record<string, string>) => {
  const child = spawn(process.execPath, [resolve(root, entry)], {
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'error', PARTNERGRAPH_TRUST_FILE: join(work, 'trust.json'), ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  return child;
};
const waitFor = async (url: string) => {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
};

const owners = discoverOwners().map((owner, i) => ({ ...owner, port: 5361 + i }));
/** Where each subgraph answers: for the gateway, and for the subgraphs' checks with each other. */
const subgraphUrls = Object.fromEntries(owners.map((owner) => [`SUBGRAPH_${owner.envPrefix}_URL`, `http://127.0.0.1:${owner.port}/graphql`]));
try {
  for (const owner of owners) {
    start(owner.entryPath, { ...subgraphUrls, [`${owner.envPrefix}_DATABASE_URL`]: dbUrl(owner.name), [`${owner.envPrefix}_PORT`]: String(owner.port) });
  }
  await Promise.all(owners.map((owner) => waitFor(`http://127.0.0.1:${owner.port}/health`)));

  const query = `query BoardOverview { areas { id name isSpecialArea latestSafetyIndex { year shareFeelingSafe comparableAreasShare }
    activeInitiativeCount currentTenancyCount goals { metric assessment { year status } } } }`;
  const headers = { authorization: `Bearer ${await issuer.signPersona('board-member', { expiresInSeconds: 7200 })}`, 'x-purpose': 'COORDINATION' };
  const body = JSON.stringify({ query });
  const variants: Array<{ id: string; env: Record<string, string> }> = [
    { id: 'full stack, answer cache on (default)', env: {} },
    { id: 'answer cache off, in-flight sharing on', env: { GATEWAY_RESPONSE_CACHE: '0' } },
    { id: 'full stack, every request executed', env: { GATEWAY_RESPONSE_CACHE: '0', GATEWAY_INBOUND_DEDUP: '0' } },
  ];
  const rows: string[] = [];
  for (const variant of variants) {
    const gateway = start('gateway/dist/main.js', {
      GATEWAY_PORT: '5360',
      REDIS_URL: redisUrl,
      REDIS_PREFIX: `bench-board-${Date.now()}:`,
      RATE_LIMIT_PER_PRINCIPAL: '0',
      ...subgraphUrls,
      ...variant.env,
    });
    await waitFor('http://127.0.0.1:5360/health');
    const url = 'http://127.0.0.1:5360/graphql';
    const first = (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })).json()) as {
      data?: { areas: Array<{ currentTenancyCount: number }> };
      errors?: unknown;
    };
    if (first.errors || first.data?.areas.length !== 4) throw new Error(`unexpected answer: ${JSON.stringify(first).slice(0, 400)}`);
    const checker = new ResponseChecker(first);
    await runLoad({ url, headers, body, connections, durationSeconds: warmup, checker });
    const r = await runLoad({ url, headers, body, connections, durationSeconds: duration, checker });
    if (r.incorrect || r.errors || r.non2xx) throw new Error(`${variant.id}: ${r.incorrect} incorrect, ${r.errors} errors, ${r.non2xx} non-2xx`);
    rows.push(`${variant.id.padEnd(42)} ${r.rps.toFixed(0).padStart(7)} ${r.latencyMs.p50.toFixed(1).padStart(8)} ${r.latencyMs.p99.toFixed(1).padStart(8)}`);
    gateway.kill('SIGTERM');
    await new Promise((r2) => gateway.once('exit', r2));
  }
  console.log(`\nBoard overview (4 areas × police, municipality, housing + goals) on national data; ${connections} connections, ${duration} s`);
  console.log(`${'variant'.padEnd(42)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
  for (const row of rows) console.log(row);
  console.log('target: p99 < 100 ms');
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
}
