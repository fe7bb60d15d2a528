import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DevIssuer } from '@partnergraph/common';
import { World } from '@partnergraph/synthetic';
import { ResponseChecker, runLoad, type LoadResult } from '../gateways/load.js';
import { cpuSeconds } from '../gateways/procs.js';
import { postgresCpu, postgresCpuBetween } from '../cpu.js';
import { POLICY_VARIANTS, POLICY_WORLD, policyDatabase, policyWorkloads } from './setup.js';
import { numberOption, textOption } from '../args.js';

/**
 * What the owners' access rules cost. The same 1,000-row query, answered by the
 * police subgraph for a principal who may see only part of the data, against the
 * owner asking with policy checks off (the baseline, measured in the same run).
 *
 *   npm run bench:policy [-- --duration 10 --warmup 3 --rounds 2 --connections 4]
 */
const duration = numberOption('duration', 10);
const warmup = numberOption('warmup', 3);
const rounds = numberOption('rounds', 2);
const connections = numberOption('connections', 4);
/** Only the workloads and variants whose names contain this text (the baseline always runs). */
const only = textOption('only');
/** A V8 CPU profile of each police process into this folder, written when it stops. */
const cpuProfDir = textOption('cpu-prof');
const world = new World(POLICY_WORLD);
const issuer = await DevIssuer.create();
const children: ChildProcess[] = [];
const database = await policyDatabase(world, issuer.trustConfig());

try {
  const serve = async (enforce: boolean) => {
    const child = fork(fileURLToPath(new URL('./serve.js', import.meta.url)), {
      execArgv: cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir, '--cpu-prof-name', `police-policies-${enforce ? 'on' : 'off'}.cpuprofile`] : [],
      env: { ...process.env, BENCH_POLICE_DATABASE_URL: database.url, BENCH_TRUST: JSON.stringify(issuer.trustConfig()), BENCH_ENFORCE: enforce ? '1' : '0', LOG_LEVEL: 'error', NODE_ENV: 'production' },
    });
    children.push(child);
    pids[enforce ? 'on' : 'off'] = child.pid!;
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m) => resolve((m as { port: number }).port));
      child.once('exit', (code) => reject(new Error(`police subgraph exited (${code})`)));
    });
    return `http://127.0.0.1:${port}/graphql`;
  };
  const pids: Record<string, number> = {};
  const servers = { off: await serve(false), on: await serve(true) };
  /** CPU seconds so far of a variant's police process and of PostgreSQL serving the benchmark's database. */
  const cpu = async (server: 'on' | 'off') => ({ subgraph: cpuSeconds(pids[server]!), postgres: await postgresCpu(database.url, database.name) });

  const workloads = Object.fromEntries(Object.entries(policyWorkloads(world)).filter(([name]) => !only || name.includes(only) || POLICY_VARIANTS.some((v) => v.id.includes(only))));
  const variants = POLICY_VARIANTS.filter((v, i) => i === 0 || !only || v.id.includes(only) || Object.keys(workloads).some((w) => w.includes(only)));

  const results: Record<string, Record<string, Array<LoadResult & { subgraphMs: number; postgresMs: number }>>> = {};
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
        const cpu0 = await cpu(v.server);
        const result = await runLoad({ url: servers[v.server], headers, body, connections, durationSeconds: duration, checker });
        const cpu1 = await cpu(v.server);
        if (result.incorrect || result.errors || result.non2xx) throw new Error(`${v.id} / ${name}: ${result.incorrect} incorrect, ${result.errors} errors`);
        ((results[name] ??= {})[v.id] ??= []).push({
          ...result,
          subgraphMs: (1000 * (cpu1.subgraph - cpu0.subgraph)) / result.requests,
          postgresMs: (1000 * postgresCpuBetween(cpu0.postgres, cpu1.postgres)) / result.requests,
        });
      }
    }
  }

  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`\nPolicy cost: police subgraph on PostgreSQL, ${world.decisionCount.toLocaleString('en')} decisions; ${connections} connections, ${rounds} × ${duration} s per variant\n`);
  for (const [name, byVariant] of Object.entries(results)) {
    const rows = variants.map((v) => {
      const runs = byVariant[v.id]!;
      return {
        id: v.id,
        rps: mean(runs.map((r) => r.rps)),
        latency: mean(runs.map((r) => r.latencyMs.mean)),
        bytes: runs[0]!.bytesPerResponse,
        subgraphMs: mean(runs.map((r) => r.subgraphMs)),
        postgresMs: mean(runs.map((r) => r.postgresMs)),
      };
    });
    const baseline = rows[0]!;
    console.log(`${name}`);
    console.log(
      `  ${'variant'.padEnd(36)} ${'req/s'.padStart(8)} ${'mean ms'.padStart(9)} ${'KB/answer'.padStart(10)} ${'cost vs baseline'.padStart(17)}` +
        ` ${'CPU ms/req: police'.padStart(19)} ${'PostgreSQL'.padStart(11)} ${'CPU cost'.padStart(9)}`,
    );
    const cpuOf = (row: { subgraphMs: number; postgresMs: number }) => row.subgraphMs + row.postgresMs;
    for (const row of rows) {
      const ratio = baseline.rps / row.rps;
      console.log(
        `  ${row.id.padEnd(36)} ${row.rps.toFixed(1).padStart(8)} ${row.latency.toFixed(1).padStart(9)} ${(row.bytes / 1024).toFixed(1).padStart(10)} ${`${ratio.toFixed(2)}×`.padStart(17)}` +
          ` ${row.subgraphMs.toFixed(2).padStart(19)} ${row.postgresMs.toFixed(2).padStart(11)} ${`${(cpuOf(row) / cpuOf(baseline)).toFixed(2)}×`.padStart(9)}`,
      );
    }
    console.log('');
  }
  console.log('cost = baseline req/s ÷ variant req/s: time per answer relative to the owner with policy checks off (goal, issue 14: ≤ 1.10×).');
  console.log('CPU cost = (police + PostgreSQL CPU per answer) ÷ the baseline\'s: the same ratio in CPU time, steadier on a shared machine.');
} finally {
  const exited = children.filter((child) => child.exitCode === null).map((child) => new Promise((r) => child.once('exit', r)));
  for (const child of children) child.kill('SIGTERM');
  await Promise.race([Promise.all(exited), new Promise((r) => setTimeout(r, 10_000))]);
  await database.drop();
}
