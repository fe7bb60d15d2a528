import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GATEWAY_NODE_FLAGS } from '@partnergraph/gateway';
import { discoverOwners } from '@partnergraph/registry';
import { defaultDataDir, ensureDevIdentity } from './devIdentity.js';
import { recordRunningSystem } from './runningSystems.js';

/**
 * `npm start`: the whole system on its embedded defaults — each registered
 * owner's subgraph with its own PGlite database under .data/, the gateway in
 * front, data seeded on first start, one Ctrl-C to stop everything.
 *
 * Development keeps going: a process that crashes after it came up is
 * restarted with backoff (1 s, 2 s, 4 s … 30 s; the count resets once it has
 * run a minute), and the launcher says so while the rest keep serving.
 * PARTNERGRAPH_RESTART=0 stops everything instead. A process that never came
 * up stops the start: that is a bug to see, not to retry.
 */
const started = Date.now();
const dataDir = resolve(defaultDataDir());
const gatewayPort = Number(process.env['GATEWAY_PORT'] ?? 4000);
const host = process.env['HOST'] ?? '127.0.0.1';
const restartCrashed = !['0', 'false', 'no', 'off'].includes((process.env['PARTNERGRAPH_RESTART'] ?? '').toLowerCase());
const { trustFile } = await ensureDevIdentity(dataDir);

// All owners lay out their synthetic data around the same day, even if seeded apart.
const anchorFile = join(dataDir, 'seed-anchor');
if (!existsSync(anchorFile)) writeFileSync(anchorFile, new Date().toISOString().slice(0, 10));
const anchor = readFileSync(anchorFile, 'utf8').trim();
// The gateway's fetches prove themselves to the subgraphs with it (a new one each start): a caller who bypasses the gateway meets its limits there.
const internalKey = process.env['PARTNERGRAPH_INTERNAL_KEY'] ?? randomBytes(32).toString('base64url');
// Webhook secrets are stored encrypted with it: kept beside the embedded databases, so they stay readable across starts.
const webhookKeyFile = join(dataDir, 'webhook-key');
if (!process.env['PARTNERGRAPH_WEBHOOK_KEY'] && !existsSync(webhookKeyFile)) writeFileSync(webhookKeyFile, randomBytes(32).toString('base64url'), { mode: 0o600 });
const webhookKey = process.env['PARTNERGRAPH_WEBHOOK_KEY'] || readFileSync(webhookKeyFile, 'utf8').trim();
// Introspection and suggestions: at the subgraphs exactly when at the gateway.
const development = process.env['GATEWAY_DEVELOPMENT'] ?? '1';

const BACKOFF_MS = [1000, 2000, 4000, 8000, 16000, 30000];
/** A process that ran this long before crashing starts its backoff afresh. */
const STABLE_MS = 60_000;

interface Managed {
  name: string;
  args: readonly string[];
  env: Record<string, string>;
  nodeFlags: readonly string[];
  healthUrl: string;
  child: ChildProcess;
  /** Came up at least once: only such a process is restarted. */
  everHealthy: boolean;
  restarts: number;
  spawnedAt: number;
  restartTimer?: NodeJS.Timeout;
}

const managed: Managed[] = [];
let stopping = false;
let forgetRunning: (() => void) | undefined;

function printer(name: string) {
  return (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const entry = JSON.parse(line) as { level?: number; msg?: string; [k: string]: unknown };
        const level = (entry.level ?? 30) >= 50 ? 'error' : (entry.level ?? 30) >= 40 ? 'warn' : 'info';
        console.log(`[${name}] ${level === 'info' ? '' : `${level}: `}${entry.msg ?? line}`);
      } catch {
        console.log(`[${name}] ${line}`);
      }
    }
  };
}

function spawnChild(m: Managed): ChildProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', ...m.nodeFlags, ...m.args], {
    env: { ...process.env, PARTNERGRAPH_DATA_DIR: dataDir, PARTNERGRAPH_TRUST_FILE: trustFile, PARTNERGRAPH_SEED_ANCHOR: anchor, PARTNERGRAPH_INTERNAL_KEY: internalKey, PARTNERGRAPH_WEBHOOK_KEY: webhookKey, ...m.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: Ctrl-C reaches the launcher, which stops the children in order.
    detached: true,
  });
  m.spawnedAt = Date.now();
  child.stdout!.on('data', printer(m.name));
  child.stderr!.on('data', printer(m.name));
  child.on('exit', (code, signal) => onExit(m, child, code, signal));
  return child;
}

function onExit(m: Managed, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
  if (stopping || m.child !== child) return;
  const how = signal ?? `code ${code}`;
  if (!restartCrashed || !m.everHealthy) {
    console.error(`[${m.name}] exited (${how}); stopping the rest.`);
    void stop(1);
    return;
  }
  if (Date.now() - m.spawnedAt >= STABLE_MS) m.restarts = 0;
  const delay = BACKOFF_MS[Math.min(m.restarts, BACKOFF_MS.length - 1)]!;
  m.restarts++;
  console.error(`[${m.name}] crashed (${how}); restarting it in ${(delay / 1000).toFixed(0)} s (restart ${m.restarts}). The other processes keep running.`);
  m.restartTimer = setTimeout(() => {
    if (stopping) return;
    m.child = spawnChild(m);
    record();
    void waitForHealth(m).then(
      () => console.log(`[${m.name}] is back (restart ${m.restarts}).`),
      () => undefined,
    );
  }, delay);
}

function start(name: string, args: readonly string[], env: Record<string, string>, healthUrl: string, nodeFlags: readonly string[] = []): Managed {
  const m = { name, args, env, nodeFlags, healthUrl, everHealthy: false, restarts: 0, spawnedAt: 0 } as Managed;
  m.child = spawnChild(m);
  managed.push(m);
  return m;
}

async function waitForHealth(m: Managed, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const child = m.child;
  while (Date.now() < deadline) {
    if (stopping || m.child !== child || child.exitCode !== null || child.signalCode !== null) throw new Error(`${m.name} exited before it answered at ${m.healthUrl}`);
    try {
      const res = await fetch(m.healthUrl);
      if (res.ok) {
        m.everHealthy = true;
        return;
      }
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${m.name} did not become healthy at ${m.healthUrl}`);
}

function record(): void {
  forgetRunning?.();
  forgetRunning = recordRunningSystem({
    pid: process.pid,
    dataDir,
    gatewayPort,
    gatewayUrl: `http://${host}:${gatewayPort}/graphql`,
    startedAt: new Date(started).toISOString(),
    children: Object.fromEntries(managed.map((m) => [m.name, m.child.pid ?? 0])),
  });
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  forgetRunning?.();
  for (const m of managed) clearTimeout(m.restartTimer);
  const running = managed.map((m) => m.child).filter((c) => c.exitCode === null && c.signalCode === null);
  for (const child of running) child.kill('SIGTERM');
  const exited = Promise.all(running.map((child) => new Promise((r) => child.once('exit', r))));
  const timer = setTimeout(() => {
    for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  }, 15_000);
  await exited;
  clearTimeout(timer);
  console.log('partnergraph stopped.');
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
process.on('exit', () => {
  forgetRunning?.();
  for (const m of managed) if (m.child.exitCode === null) m.child.kill('SIGKILL');
});

try {
  const owners = discoverOwners();
  const portOf = (owner: (typeof owners)[number]) => Number(process.env[`${owner.envPrefix}_PORT`] ?? owner.defaultPort);
  // Where each subgraph answers: for the gateway, and for the subgraphs' checks with each other (police ↔ housing).
  const subgraphEnv = Object.fromEntries(owners.map((owner) => [`SUBGRAPH_${owner.envPrefix}_URL`, `http://${host}:${portOf(owner)}/graphql`]));
  // Each registered owner through the development entry: its subgraph plus the synthetic data.
  const devSubgraph = fileURLToPath(new URL('./devSubgraph.js', import.meta.url));
  await Promise.all(
    owners.map(async (owner) => {
      const port = portOf(owner);
      const m = start(owner.name, [devSubgraph, owner.name], { ...subgraphEnv, [`${owner.envPrefix}_PORT`]: String(port), HOST: host, SUBGRAPH_DEVELOPMENT: development }, `http://${host}:${port}/health`);
      await waitForHealth(m);
    }),
  );
  const gatewayEntry = fileURLToPath(new URL('../../../gateway/dist/main.js', import.meta.url));
  // Development mode: the app at /, and the development issuer's persona sign-in at /dev (never in production).
  const appDir = fileURLToPath(new URL('../../web/dist', import.meta.url));
  const gatewayEnv = {
    ...subgraphEnv,
    GATEWAY_PORT: String(gatewayPort),
    HOST: host,
    GATEWAY_DEVELOPMENT: development,
    GATEWAY_DEV_ISSUER: join(dataDir, 'keys'),
    ...(existsSync(join(appDir, 'index.html')) ? { GATEWAY_APP_DIR: appDir } : {}),
  };
  const gateway = start('gateway', [gatewayEntry], gatewayEnv, `http://${host}:${gatewayPort}/health`, GATEWAY_NODE_FLAGS);
  await waitForHealth(gateway);
  record();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`
partnergraph is up (${seconds} s): the app at http://${host}:${gatewayPort}/ (sign in as a development persona)
GraphQL at http://${host}:${gatewayPort}/graphql (live notices: /graphql/stream), health at http://${host}:${gatewayPort}/health
Data in ${dataDir} (delete it to start afresh). Try:

  TOKEN=$(npm run -s token -- secretariat-coordinator)
  curl -s http://${host}:${gatewayPort}/graphql -H "authorization: Bearer $TOKEN" -H 'x-purpose: STATISTICS' \\
    -H 'content-type: application/json' -d '{"query":"{ areas { name latestSafetyIndex { shareFeelingSafe } activeInitiativeCount currentTenancyCount } }"}'

Personas: npm run -s token (no arguments) lists them. A crashed process is restarted. Ctrl-C stops everything.
`);
} catch (error) {
  if (!stopping) {
    console.error((error as Error).message);
    await stop(1);
  }
}
