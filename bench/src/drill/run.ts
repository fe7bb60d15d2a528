import pg from 'pg';
import { rssMb, sleep } from '../gateways/procs.js';
import { DECISIONS, BOARD, p99, runLoad, type LoadStats, type Tokens } from './load.js';
import { startDrillSystem, type DrillSystem } from './system.js';

/**
 * `npm run drill` (issue 13): the system on PostgreSQL with a fault proxy in
 * front of every database and of Redis, two gateways behind one port, a
 * bounded loopback load; each fault injected in turn, healed, and the system
 * seen to recover. A table per drill; fails when a process crashes, a request
 * hangs past the client's timeout, a delivered personal answer has no log
 * row, bad input is answered 5xx, or the system does not recover.
 *
 *   npm run drill             about 20 s per drill, 16 clients
 *   npm run drill -- --short  a few seconds per drill, 4 clients (CI)
 */
const short = process.argv.includes('--short');
const phase = short ? { warmMs: 500, faultMs: 2500, settleMs: 500, workers: 4 } : { warmMs: 3000, faultMs: 10_000, settleMs: 5000, workers: 16 };
const timeouts = { queryMs: 1500, connectMs: 1000, subgraphMs: 2500, shutdownGraceMs: 3000 };
/** No request may take longer: past this it counts as hung. */
const CLIENT_TIMEOUT_MS = 10_000;
const RECOVERY_MS = 30_000;
const adminUrl = process.env['DRILL_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Drill {
  name: string;
  what: string;
  inject(system: DrillSystem): void | Promise<void>;
  heal(system: DrillSystem): void | Promise<void>;
}

const signal = (system: DrillSystem, name: string, sig: NodeJS.Signals, expectExit = false) => {
  const proc = system.procs.get(name)!;
  if (expectExit) proc.expectExit = true;
  proc.child.kill(sig);
};

/** SIGKILL a process, then start it again. */
const killed = (name: string, proc: string, what: string): Drill => ({
  name,
  what: `SIGKILL ${what}, then start it again`,
  inject: (s) => signal(s, proc, 'SIGKILL', true),
  heal: (s) => s.procs.get(proc)!.respawn(),
});

/** SIGSTOP a process (it keeps its sockets, answers nothing), then SIGCONT. */
const frozen = (name: string, proc: string, what: string): Drill => ({
  name,
  what: `SIGSTOP ${what}, then SIGCONT`,
  inject: (s) => signal(s, proc, 'SIGSTOP'),
  heal: (s) => signal(s, proc, 'SIGCONT'),
});

/** A fault on every owner's database link (queries, log writes, notice writes, the relay and the deliverer), then the links healed. */
const link = (name: string, fault: 'cut' | 'hang', what: string): Drill => ({
  name,
  what: `${what}, then heal them`,
  inject: (s) => s.dbProxies.forEach((proxy) => proxy[fault]()),
  heal: (s) => s.dbProxies.forEach((proxy) => proxy.pass()),
});

const DRILLS: Drill[] = [
  { name: 'baseline', what: 'no fault', inject: () => undefined, heal: () => undefined },
  killed('subgraph-kill', 'housing', 'the housing subgraph'),
  frozen('subgraph-freeze', 'police', 'the police subgraph'),
  killed('redis-kill', 'redis', 'Redis (it comes back empty)'),
  frozen('redis-freeze', 'redis', 'Redis'),
  link('db-reset', 'cut', "reset every database link's connections and refuse new ones"),
  link('db-hang', 'hang', 'hang every database link (sockets open, no bytes)'),
  {
    name: 'gateway-sigterm',
    what: 'SIGTERM gateway-a of the two behind one port; it drains and exits 0',
    inject: (s) => {
      const proc = s.procs.get('gateway-a')!;
      proc.expectExit = true;
      proc.child.once('exit', (code, sig) => {
        if (code !== 0) proc.crashes.push(`gateway-a exited ${sig ?? `with code ${code}`} after SIGTERM (expected 0)`);
      });
      proc.child.kill('SIGTERM');
    },
    heal: async (s) => {
      const child = s.procs.get('gateway-a')!.child;
      const deadline = Date.now() + timeouts.shutdownGraceMs + 5000;
      while (child.exitCode === null && child.signalCode === null) {
        if (Date.now() > deadline) throw new Error('gateway-a did not exit after SIGTERM within its grace period');
        await sleep(100);
      }
    },
  },
];

interface Result {
  drill: Drill;
  stats: LoadStats;
  logged: number;
  rss: Map<string, number>;
  crashes: string[];
  recoveredMs: number | null;
  problems: string[];
}

/** A full answer again: the personal police answer and the board over every owner, without errors. */
async function recovered(system: DrillSystem, tokens: Tokens): Promise<boolean> {
  const ask = async (query: string, token: string, purpose: string) => {
    const res = await fetch(system.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': purpose },
      body: JSON.stringify({ query }),
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    }).catch(() => null);
    if (!res || res.status !== 200) return false;
    const json = (await res.json()) as { errors?: unknown[] };
    return !json.errors?.length;
  };
  return (await ask(DECISIONS, tokens.investigator, 'CRIME_PREVENTION_63D')) && (await ask(BOARD, tokens.coordinator, 'STATISTICS'));
}

async function runDrill(system: DrillSystem, tokens: Tokens, drill: Drill, police: pg.Client): Promise<Result> {
  const crashesBefore = new Map([...system.procs].map(([name, p]) => [name, p.crashes.length]));
  const rss = new Map<string, number>();
  const sampler = setInterval(() => {
    for (const [name, proc] of system.procs) {
      if (proc.child.pid) rss.set(name, Math.max(rss.get(name) ?? 0, rssMb(proc.child.pid)));
    }
  }, 250);
  const load = runLoad(system.url, tokens, phase.workers, CLIENT_TIMEOUT_MS);
  const problems: string[] = [];
  let recoveredMs: number | null = null;
  try {
    await sleep(phase.warmMs);
    await drill.inject(system);
    await sleep(phase.faultMs);
    await drill.heal(system);
    const healed = Date.now();
    while (!(await recovered(system, tokens))) {
      if (Date.now() - healed > RECOVERY_MS) break;
      await sleep(200);
    }
    if (Date.now() - healed <= RECOVERY_MS) recoveredMs = Date.now() - healed;
    else problems.push(`no full answer within ${RECOVERY_MS / 1000} s after the fault was healed`);
    await sleep(phase.settleMs);
  } catch (error) {
    problems.push((error as Error).message);
  }
  const stats = await load.stop();
  clearInterval(sampler);
  const [{ n: logged }] = (
    await police.query<{ n: number }>('SELECT count(DISTINCT request_id)::int AS n FROM disclosure_log WHERE request_id = ANY($1::text[])', [stats.delivered])
  ).rows as [{ n: number }];
  const crashes = [...system.procs].flatMap(([name, p]) => p.crashes.slice(crashesBefore.get(name) ?? 0));
  if (crashes.length) problems.push(...crashes);
  if (stats.hangs) problems.push(`${stats.hangs} request(s) had no answer within ${CLIENT_TIMEOUT_MS / 1000} s`);
  if (logged < stats.delivered.length) problems.push(`${stats.delivered.length - logged} delivered personal answer(s) without a log row`);
  if (stats.badInput5xx) problems.push(`${stats.badInput5xx} bad-input request(s) answered 5xx`);
  return { drill, stats, logged, rss, crashes, recoveredMs, problems };
}

const pad = (value: string | number, width: number) => String(value).padStart(width);

function printResult(r: Result): void {
  const s = r.stats;
  console.log(`\n── ${r.drill.name}: ${r.drill.what}`);
  const head = ['requests', 'non-2xx', 'network', 'hung', 'p99 ms', 'crashes', 'delivered', 'logged', 'writes', 'bad→5xx', 'recovered'];
  const row = [s.requests, s.non2xx, s.networkErrors, s.hangs, p99(s.latenciesMs), r.crashes.length, s.delivered.length, r.logged, s.writes, s.badInput5xx, r.recoveredMs === null ? 'no' : `${(r.recoveredMs / 1000).toFixed(1)} s`];
  const widths = head.map((h, i) => Math.max(h.length, String(row[i]).length));
  console.log(`  ${head.map((h, i) => pad(h, widths[i]!)).join('  ')}`);
  console.log(`  ${row.map((v, i) => pad(v, widths[i]!)).join('  ')}`);
  const codes = [...s.errorsByCode].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${n}`);
  console.log(`  GraphQL errors by code: ${codes.length ? codes.join(', ') : 'none'}`);
  console.log(`  RSS max MB: ${[...r.rss].map(([name, mb]) => `${name} ${mb}`).join(', ')}`);
  console.log(`  ${r.problems.length ? `FAIL: ${r.problems.join('; ')}` : 'pass'}`);
}

const system = await startDrillSystem(adminUrl, timeouts);
let failed = false;
const police = new pg.Client({ connectionString: system.databaseUrl('police') });
// Its database is dropped on stop (WITH FORCE), which ends this connection: not a crash.
police.on('error', () => undefined);
await police.connect();
// Stopped from outside (Ctrl-C, a test runner giving up): stop the processes and drop the databases first.
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void system.stop().then(() => process.exit(130)));
try {
  const tokens: Tokens = {
    coordinator: await system.issuer.signPersona('secretariat-coordinator'),
    investigator: await system.issuer.signPersona('police-investigator'),
  };
  console.log(`partnergraph drill (${short ? 'short' : 'full'}): ${phase.workers} clients, fault held ${phase.faultMs / 1000} s; statement timeout ${timeouts.queryMs} ms, subgraph timeout ${timeouts.subgraphMs} ms, client timeout ${CLIENT_TIMEOUT_MS / 1000} s`);
  const results: Result[] = [];
  for (const drill of DRILLS) {
    const result = await runDrill(system, tokens, drill, police);
    printResult(result);
    results.push(result);
    if (result.problems.length) failed = true;
  }
  console.log('\nsummary');
  for (const r of results) console.log(`  ${r.drill.name.padEnd(16)} ${r.problems.length ? 'FAIL' : 'pass'}  ${pad(r.stats.requests, 6)} requests  p99 ${pad(p99(r.stats.latenciesMs), 5)} ms  delivered ${r.stats.delivered.length} / logged ${r.logged}`);
  console.log(failed ? `\ndrill FAILED; process logs kept in ${system.logDir}` : '\ndrill passed');
} catch (error) {
  failed = true;
  console.error(`drill could not run: ${(error as Error).message}; logs in ${system.logDir}`);
} finally {
  await police.end();
  await system.stop(failed);
}
process.exit(failed ? 1 : 0);
