import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DevIssuer } from '@partnergraph/common';
import { GATEWAY_NODE_FLAGS } from '@partnergraph/gateway';
import { discoverOwners } from '@partnergraph/registry';
import pg from 'pg';
import { ownCpuSeconds, postgresCpu, postgresCpuBetween, type BackendCpu } from '../cpu.js';
import { ResponseChecker, runLoad } from '../gateways/load.js';
import { cpuSeconds } from '../gateways/procs.js';
import { BOARD_QUERY, FUNNEL_QUERY, nationalDatabaseUrl } from './national.js';
import { numberOption, textOption } from '../args.js';

/**
 * The partnership's flagship query — the board's overview of every area from
 * three owners — through the full stack on national-volume data in
 * PostgreSQL: three subgraph processes, our gateway (token checks, limits,
 * metrics, Redis when it answers), 50 connections.
 *
 *   npm run seed:national     # once: 1,000,000 tenancies, 200,000 decisions
 *   npm run bench:board [-- --duration 30 --warmup 5]
 *   npm run bench:board -- --only executed --cpu-prof /tmp/board-prof   # profiles of every process
 *   npm run bench:board -- --query funnel     # the referral → termination funnel instead of the overview
 */
const duration = numberOption('duration', 30);
const warmup = numberOption('warmup', 5);
const connections = numberOption('connections', 50);
/** Only the variants whose id contains this text. */
const only = textOption('only');
/** `funnel`: the funnel's query instead of the overview's. */
const queryName = textOption('query') ?? 'overview';
if (queryName !== 'overview' && queryName !== 'funnel') throw new Error(`--query is overview or funnel, got ${JSON.stringify(queryName)}`);
/** A V8 CPU profile of every process (gateway and subgraphs) into this folder, written when each stops. */
const cpuProfDir = textOption('cpu-prof');
const root = fileURLToPath(new URL('../../../', import.meta.url));
const redisUrl = process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const dbUrl = (owner: string) => nationalDatabaseUrl(owner);

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
const internalKey = randomBytes(32).toString('base64url');
// Production refuses to start the municipality without the key its webhook secrets are encrypted with.
const webhookKey = randomBytes(32).toString('base64url');
const start = (name: string, entry: string, env: Record<string, string>, flags: readonly string[] = []) => {
  const profile = cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir, '--cpu-prof-name', `${name}-${Date.now()}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...flags, ...profile, resolve(root, entry)], {
    // The internal key as deployed: the gateway's fetches are not counted against the subgraphs' rate limits.
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'error', PARTNERGRAPH_TRUST_FILE: join(work, 'trust.json'), PARTNERGRAPH_INTERNAL_KEY: internalKey, PARTNERGRAPH_WEBHOOK_KEY: webhookKey, ...env },
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
/** CPU seconds so far of each part of the system: the processes, PostgreSQL's backends for the national databases, this load generator. */
const pids: Record<string, number> = {};
async function cpuByPart(): Promise<{ processes: Record<string, number>; postgres: BackendCpu }> {
  return {
    processes: { ...Object.fromEntries(Object.entries(pids).map(([part, pid]) => [part, cpuSeconds(pid)])), load: ownCpuSeconds() },
    postgres: await postgresCpu(dbUrl('housing'), 'partnergraph_national_%'),
  };
}
const cpuBetween = (a: Awaited<ReturnType<typeof cpuByPart>>, b: Awaited<ReturnType<typeof cpuByPart>>): Record<string, number> => ({
  ...Object.fromEntries(Object.entries(b.processes).map(([part, seconds]) => [part, seconds - (a.processes[part] ?? 0)])),
  postgres: postgresCpuBetween(a.postgres, b.postgres),
});
const PARTS = ['gateway', ...owners.map((owner) => owner.name), 'postgres', 'load'];

try {
  for (const owner of owners) {
    pids[owner.name] = start(owner.name, owner.entryPath, { ...subgraphUrls, [`${owner.envPrefix}_DATABASE_URL`]: dbUrl(owner.name), [`${owner.envPrefix}_PORT`]: String(owner.port) }).pid!;
  }
  await Promise.all(owners.map((owner) => waitFor(`http://127.0.0.1:${owner.port}/health`)));

  const query = queryName === 'funnel' ? FUNNEL_QUERY : BOARD_QUERY;
  const headers = { authorization: `Bearer ${await issuer.signPersona('board-member', { expiresInSeconds: 7200 })}`, 'x-purpose': 'COORDINATION' };
  const body = JSON.stringify({ query });
  const variants = ([
    { id: 'full stack, answer cache on (default)', env: {} },
    { id: 'answer cache off, in-flight sharing on', env: { GATEWAY_RESPONSE_CACHE: '0' } },
    { id: 'cache off, identical subgraph fetches shared', env: { GATEWAY_RESPONSE_CACHE: '0', GATEWAY_INBOUND_DEDUP: '0' } },
    // Nothing shared anywhere: every request planned, fetched from all three owners and answered by their SQL.
    { id: 'full stack, every request executed', env: { GATEWAY_RESPONSE_CACHE: '0', GATEWAY_INBOUND_DEDUP: '0', GATEWAY_SUBGRAPH_DEDUP: '0' } },
  ] as Array<{ id: string; env: Record<string, string> }>).filter((v) => !only || v.id.includes(only));
  const rows: string[] = [];
  const cpuRows: string[] = [];
  for (const variant of variants) {
    const gateway = start('gateway', 'gateway/dist/main.js', {
      GATEWAY_PORT: '5360',
      REDIS_URL: redisUrl,
      REDIS_PREFIX: `bench-board-${Date.now()}:`,
      RATE_LIMIT_PER_PRINCIPAL: '0',
      ...subgraphUrls,
      ...variant.env,
    }, GATEWAY_NODE_FLAGS);
    pids['gateway'] = gateway.pid!;
    await waitFor('http://127.0.0.1:5360/health');
    const url = 'http://127.0.0.1:5360/graphql';
    const first = (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })).json()) as {
      data?: { areas: unknown[] };
      errors?: unknown;
    };
    if (first.errors || first.data?.areas.length !== 4) throw new Error(`unexpected answer: ${JSON.stringify(first).slice(0, 400)}`);
    const checker = new ResponseChecker(first);
    await runLoad({ url, headers, body, connections, durationSeconds: warmup, checker });
    const cpu0 = await cpuByPart();
    const r = await runLoad({ url, headers, body, connections, durationSeconds: duration, checker });
    const cpu1 = await cpuByPart();
    // CPU time per answered request, by part: steadier than throughput on a shared machine.
    const spent = cpuBetween(cpu0, cpu1);
    const perRequest = PARTS.map((part) => (1000 * (spent[part] ?? 0)) / r.requests);
    cpuRows.push(`${variant.id.padEnd(42)} ${perRequest.map((ms) => ms.toFixed(2).padStart(12)).join(' ')} ${perRequest.reduce((a, b) => a + b, 0).toFixed(2).padStart(12)}`);
    if (r.incorrect || r.errors || r.non2xx) throw new Error(`${variant.id}: ${r.incorrect} incorrect, ${r.errors} errors, ${r.non2xx} non-2xx`);
    rows.push(`${variant.id.padEnd(42)} ${r.rps.toFixed(0).padStart(7)} ${r.latencyMs.p50.toFixed(1).padStart(8)} ${r.latencyMs.p99.toFixed(1).padStart(8)}`);
    gateway.kill('SIGTERM');
    await new Promise((r2) => gateway.once('exit', r2));
  }
  console.log(`\nBoard overview (4 areas × police, municipality, housing + goals) on national data; ${connections} connections, ${duration} s`);
  console.log(`${'variant'.padEnd(42)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
  for (const row of rows) console.log(row);
  console.log(`\nCPU ms per request\n${'variant'.padEnd(42)} ${[...PARTS, 'total'].map((p) => p.padStart(12)).join(' ')}`);
  for (const row of cpuRows) console.log(row);
  console.log('\ngoal (issue 14): every request executed, p99 ≤ 50 ms');
} finally {
  const running = children.filter((child) => child.exitCode === null);
  for (const child of running) child.kill('SIGTERM');
  // Profiles are written as each process exits.
  await Promise.all(running.map((child) => new Promise((r) => child.once('exit', r))));
}
