/**
 * Gateway benchmark: `npm run bench:gateways [-- --only apollo,ours --duration 30 …]`.
 * Starts the four subgraphs once, composes the supergraph, then loads each
 * contender in turn (one gateway process at a time) and prints a table.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { CONTENDERS, type BenchContext, type Contender, type Launch } from './contenders.js';
import { ResponseChecker, runLoad, type LoadResult } from './load.js';
import { peakRssMb, sleep, startNode, stopProcess, UsageWindow, waitFor, type Spawned, type Usage } from './procs.js';
import { printTable, summarise, type RunRecord } from './report.js';
import { SUBGRAPHS } from './subgraphs.js';
import { expectedProductsResponse, expectedTestQueryResponse, PRODUCTS_QUERY, TEST_QUERY } from './workload.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const HOST = '127.0.0.1';
const SUBGRAPH_PORT = 5301; // 5301…5304, one per subgraph, or 5301 alone
const GATEWAY_PORT = 5350;
/** "Other" CPU (kernel networking, other programs) above this, in % of a core, marks a run as disturbed. */
const NOISY_OTHER_CPU = 30;

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    only: { type: 'string' },
    subgraphs: { type: 'string', default: 'single' },
    env: { type: 'string', multiple: true, default: [] },
    header: { type: 'string', multiple: true, default: [] },
    keep: { type: 'boolean', default: false },
    tracing: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log(`Usage: npm run bench:gateways -- [options]
  --duration S      measured seconds per run (30)
  --warmup S        warm-up seconds before each run (5)
  --rounds N        rounds; even rounds run the contenders in reverse order (2)
  --connections N   concurrent connections (50)
  --only a,b        contenders among: ${CONTENDERS.map((c) => c.id).join(', ')}
  --subgraphs M     single: one process, four paths (default); multi: one process per subgraph
  --env id:K=V      extra environment for a contender (repeatable)
  --header id:k=v   extra request header for a contender (repeatable)
  --tracing         our gateway with tracing off and on (OTLP/HTTP to a receiver here), and the on/off ratio
  --keep            keep the temporary folder (supergraph, logs)`);
  process.exit(0);
}

const durationSeconds = Number(args.duration);
const warmupSeconds = Number(args.warmup);
const rounds = Number(args.rounds);
const connections = Number(args.connections);
const subgraphMode = args.subgraphs === 'multi' ? 'multi' : 'single';

function perContender(list: string[], flag: string): Map<string, Record<string, string>> {
  const map = new Map<string, Record<string, string>>();
  for (const item of list) {
    const match = /^([^:]+):([^=]+)=(.*)$/.exec(item);
    if (!match) throw new Error(`--${flag} ${item}: expected id:name=value`);
    map.set(match[1]!, { ...map.get(match[1]!), [match[2]!]: match[3]! });
  }
  return map;
}
const extraEnv = perContender(args.env, 'env');
const extraHeaders = perContender(args.header, 'header');

const wanted = args.only?.split(',').map((s) => s.trim());
const unknown = wanted?.filter((id) => !CONTENDERS.some((c) => c.id === id)) ?? [];
if (unknown.length) throw new Error(`Unknown contender(s) ${unknown.join(', ')}; known: ${CONTENDERS.map((c) => c.id).join(', ')}`);
const tracingPair = ['ours', 'ours-traced'];
const selected = CONTENDERS.filter((c) => (wanted ? wanted.includes(c.id) : args.tracing ? tracingPair.includes(c.id) : c.byDefault));
if (args.tracing && wanted && !tracingPair.every((id) => wanted.includes(id))) throw new Error('--tracing compares ours and ours-traced: leave out --only, or name both.');

const tmpDir = mkdtempSync(join(tmpdir(), 'partnergraph-bench-'));
const spawned: Spawned[] = [];
const childEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', HOST };
  for (const key of Object.keys(env)) if (key.startsWith('APOLLO_') || key === 'NODE_OPTIONS') delete env[key];
  return { ...env, ...extra };
};

async function cleanup(): Promise<void> {
  await Promise.all(spawned.map((p) => stopProcess(p)));
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void cleanup().then(() => process.exit(130)));
}

/** Takes OTLP/HTTP exports and drops them, counting requests and bytes: the cheapest collector there is. */
async function startOtlpSink(): Promise<{ url: string; exports: () => { requests: number; bytes: number }; close: () => void }> {
  let requests = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    requests++;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://${HOST}:${port}`, exports: () => ({ requests, bytes }), close: () => server.close() };
}

async function httpOk(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await res.arrayBuffer();
  return res.ok;
}

interface Subgraphs {
  urls: Record<string, string>;
  pids: number[];
  statsUrls: string[];
}

/** Requests the subgraphs have served so far, all processes together. */
async function subgraphCalls(subgraphs: Subgraphs): Promise<number> {
  let total = 0;
  for (const url of subgraphs.statsUrls) {
    const { calls } = (await (await fetch(url)).json()) as { calls: Record<string, number> };
    total += Object.values(calls).reduce((a, b) => a + b, 0);
  }
  return total;
}

/** Subgraph URLs by name, after starting their process(es). */
async function startSubgraphs(): Promise<Subgraphs> {
  const entry = here('./serveSubgraphs.js');
  const groups = subgraphMode === 'single' ? [SUBGRAPHS.map((s) => s.name)] : SUBGRAPHS.map((s) => [s.name]);
  const urls: Record<string, string> = {};
  const pids: number[] = [];
  const statsUrls: string[] = [];
  for (const [i, names] of groups.entries()) {
    const port = SUBGRAPH_PORT + i;
    const p = startNode(`subgraphs ${names.join(',')}`, entry, [String(port), names.join(',')], childEnv({}), tmpDir, join(tmpDir, `subgraph-${port}.log`));
    spawned.push(p);
    pids.push(p.pid);
    await waitFor(p.name, () => httpOk(`http://${HOST}:${port}/health`), 20_000, p);
    for (const name of names) urls[name] = `http://${HOST}:${port}/${name}`;
    statsUrls.push(`http://${HOST}:${port}/stats`);
  }
  return { urls, pids, statsUrls };
}

function composeSupergraph(urls: Record<string, string>): string {
  const result = composeServices(SUBGRAPHS.map((s) => ({ name: s.name, typeDefs: parse(s.typeDefs), url: urls[s.name] })));
  if (result.errors) throw new Error(`Composition failed:\n${result.errors.map((e) => e.message).join('\n')}`);
  const path = join(tmpDir, 'supergraph.graphql');
  writeFileSync(path, result.supergraphSdl);
  return path;
}

function packageVersion(name: string): string {
  for (const root of [here('../../node_modules'), here('../../../node_modules')]) {
    try {
      return (JSON.parse(readFileSync(join(root, name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      /* next */
    }
  }
  return 'unknown';
}

const zeroLoad = (): LoadResult => ({
  rps: 0,
  requests: 0,
  durationSeconds: 0,
  latencyMs: { mean: 0, p50: 0, p90: 0, p99: 0, max: 0 },
  errors: 0,
  timeouts: 0,
  non2xx: 0,
  incorrect: 0,
  bytesPerResponse: 0,
});

async function runOne(contender: Contender, round: number, ctx: BenchContext, subgraphs: Subgraphs): Promise<RunRecord> {
  let launch: Launch;
  let expected: unknown;
  let body: string;
  let url: string;
  if (contender.kind === 'direct') {
    launch = { entry: '', env: {}, path: '', headers: {} };
    url = subgraphs.urls['products']!;
    body = JSON.stringify({ query: PRODUCTS_QUERY });
    expected = expectedProductsResponse();
  } else {
    launch = await contender.launch!(ctx);
    url = `http://${HOST}:${ctx.gatewayPort}${launch.path}`;
    body = JSON.stringify({ query: TEST_QUERY });
    expected = expectedTestQueryResponse();
  }
  const headers = { ...launch.headers, ...extraHeaders.get(contender.id) };
  const record: RunRecord = { contender: contender.id, round, ok: true, load: zeroLoad(), warmupIncorrect: 0, usage: null, subgraphCallsPerRequest: null, peakRssMb: null, startupMs: null, samples: [] };

  let gateway: Spawned | undefined;
  try {
    if (contender.kind === 'gateway') {
      const started = Date.now();
      gateway = startNode(contender.id, launch.entry, [], childEnv({ ...launch.env, ...extraEnv.get(contender.id) }), tmpDir, join(tmpDir, `${contender.id}-round${round}.log`));
      spawned.push(gateway);
      // Ready once the query itself answers 200 (correctness is checked under load).
      await waitFor(contender.id, async () => {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(5000) });
        await res.arrayBuffer();
        return res.status === 200;
      }, 60_000, gateway);
      record.startupMs = Date.now() - started;
    }
    const checker = new ResponseChecker(expected);
    const load = { url, headers, body, connections, checker };
    if (warmupSeconds > 0) record.warmupIncorrect = (await runLoad({ ...load, durationSeconds: warmupSeconds })).incorrect;
    const callsBefore = await subgraphCalls(subgraphs);
    const window = new UsageWindow(gateway?.pid ?? null, subgraphs.pids);
    record.load = await runLoad({ ...load, durationSeconds });
    record.usage = window.finish();
    const calls = (await subgraphCalls(subgraphs)) - callsBefore;
    record.subgraphCallsPerRequest = record.load.requests ? Math.round((100 * calls) / record.load.requests) / 100 : null;
    if (gateway) record.peakRssMb = peakRssMb(gateway.pid);
    record.samples = checker.samples;
  } catch (error) {
    record.ok = false;
    record.samples.push(String((error as Error).message ?? error));
  } finally {
    if (gateway) {
      await stopProcess(gateway);
      spawned.splice(spawned.indexOf(gateway), 1);
      await sleep(500); // let the port and the subgraphs settle
    }
  }
  return record;
}

function describe(r: RunRecord, u: Usage | null): string {
  const l = r.load;
  const cpu = u ? ` | CPU%: gateway ${u.gatewayCpu ?? '-'} subgraphs ${u.subgraphsCpu} loader ${u.loaderCpu} other ${u.otherCpu}` : '';
  const bad = l.incorrect + r.warmupIncorrect + l.errors + l.timeouts;
  const calls = r.subgraphCallsPerRequest === null ? '' : `, ${r.subgraphCallsPerRequest} subgraph calls/req`;
  return `${l.rps.toFixed(1)} rps, p50 ${l.latencyMs.p50} ms, p99 ${l.latencyMs.p99} ms, ${bad} bad${r.peakRssMb ? `, peak RSS ${r.peakRssMb} MB` : ''}${calls}${cpu}`;
}

const startedAt = new Date();
try {
  const subgraphs = await startSubgraphs();
  const supergraphPath = composeSupergraph(subgraphs.urls);
  const sink = selected.some((c) => c.id === 'ours-traced') ? await startOtlpSink() : undefined;
  const ctx: BenchContext = { tmpDir, supergraphPath, gatewayPort: GATEWAY_PORT, ...(sink ? { otlpEndpoint: sink.url } : {}) };
  console.log(
    `gateway benchmark: ${selected.map((c) => c.id).join(', ')}; ${rounds} round(s) of ${warmupSeconds}s warm-up + ${durationSeconds}s, ` +
      `${connections} connections; subgraphs: ${subgraphMode === 'single' ? 'one process' : 'one process each'}; logs in ${tmpDir}`,
  );
  const runs: RunRecord[] = [];
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? selected : [...selected].reverse();
    for (const contender of order) {
      process.stdout.write(`round ${round} ${contender.id.padEnd(12)} `);
      const record = await runOne(contender, round, ctx, subgraphs);
      runs.push(record);
      console.log(record.ok ? describe(record, record.usage) : `FAILED: ${record.samples.join('; ')}`);
      for (const sample of record.ok ? record.samples : []) console.log(`    incorrect response: ${sample}`);
    }
  }
  const summary = summarise(selected, runs);
  printTable(summary);
  const off = summary.find((s) => s.contender === 'ours');
  const on = summary.find((s) => s.contender === 'ours-traced');
  if (off && on && off.rps > 0) {
    const ratio = on.rps / off.rps;
    const exported = sink?.exports();
    console.log(
      `\ntracing on/off: ${on.rps.toFixed(1)} / ${off.rps.toFixed(1)} rps = ${ratio.toFixed(3)} (cost ${((1 - ratio) * 100).toFixed(1)} %; budget 10 %)` +
        (exported ? `; the receiver took ${exported.requests} exports, ${(exported.bytes / 2 ** 20).toFixed(1)} MB` : ''),
    );
  }
  sink?.close();
  const noisy = runs.filter((r) => (r.usage?.otherCpu ?? 0) > NOISY_OTHER_CPU);
  if (noisy.length) {
    console.log(`\nnote: ${noisy.length} of ${runs.length} runs had more than ${NOISY_OTHER_CPU}% of a core busy outside the benchmark's processes ("other"); their figures are likely depressed.`);
  }

  const resultsDir = here('../../results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `gateways-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, totalMemMb: Math.round(totalmem() / 2 ** 20), node: process.version };
  const versions = Object.fromEntries(['@apollo/gateway', '@apollo/server', '@graphql-hive/gateway', '@graphql-hive/gateway-runtime', '@graphql-hive/router-runtime', '@graphql-hive/router-query-planner', 'autocannon', 'graphql'].map((n) => [n, packageVersion(n)]));
  const options = { durationSeconds, warmupSeconds, rounds, connections, subgraphMode, env: Object.fromEntries(extraEnv), headers: [...extraHeaders.keys()] };
  writeFileSync(file, JSON.stringify({ startedAt, finishedAt: new Date(), machine, versions, options, summary, runs }, null, 2));
  console.log(`\nresults: ${file}`);
  if (summary.some((s) => s.status !== 'ok')) args.keep = true;
} finally {
  await cleanup();
  if (args.keep) console.log(`kept ${tmpDir}`);
  else rmSync(tmpDir, { recursive: true, force: true });
}
