import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir, ensureDevIdentity } from './devIdentity.js';
import { GATEWAY_NODE_FLAGS } from '@partnergraph/gateway';
import { OWNERS } from './owners.js';

/**
 * `npm start`: the whole system on its embedded defaults — each owner's
 * subgraph with its own PGlite database under .data/, the gateway in front,
 * data seeded on first start, one Ctrl-C to stop everything.
 */
const started = Date.now();
const dataDir = defaultDataDir();
const gatewayPort = Number(process.env['GATEWAY_PORT'] ?? 4000);
const host = process.env['HOST'] ?? '127.0.0.1';
const { trustFile } = await ensureDevIdentity(dataDir);

// All owners lay out their synthetic data around the same day, even if seeded apart.
const anchorFile = join(dataDir, 'seed-anchor');
if (!existsSync(anchorFile)) writeFileSync(anchorFile, new Date().toISOString().slice(0, 10));
const anchor = readFileSync(anchorFile, 'utf8').trim();

const children: Array<{ name: string; child: ChildProcess }> = [];
let stopping = false;

function run(name: string, entry: string, env: Record<string, string>, nodeFlags: readonly string[] = []): ChildProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', ...nodeFlags, entry], {
    env: { ...process.env, PARTNERGRAPH_DATA_DIR: dataDir, PARTNERGRAPH_TRUST_FILE: trustFile, PARTNERGRAPH_SEED_ANCHOR: anchor, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: Ctrl-C reaches the launcher, which stops the children in order.
    detached: true,
  });
  const print = (chunk: Buffer) => {
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
  child.stdout!.on('data', print);
  child.stderr!.on('data', print);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[${name}] exited (${signal ?? code}); stopping the rest.`);
      void stop(1);
    }
  });
  children.push({ name, child });
  return child;
}

async function waitForHealth(name: string, url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) return;
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${name} did not become healthy at ${url}`);
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGTERM');
  const exited = Promise.all(children.map(({ child }) => (child.exitCode !== null ? null : new Promise((r) => child.once('exit', r)))));
  const timer = setTimeout(() => {
    for (const { child } of children) if (child.exitCode === null) child.kill('SIGKILL');
  }, 15_000);
  await exited;
  clearTimeout(timer);
  console.log('partnergraph stopped.');
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('exit', () => {
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGKILL');
});
process.on('SIGTERM', () => void stop(0));

try {
  const portOf = (owner: (typeof OWNERS)[number]) => Number(process.env[`${owner.name.toUpperCase()}_PORT`] ?? owner.defaultPort);
  // Where each subgraph answers: for the gateway, and for the subgraphs' checks with each other (police ↔ housing).
  const subgraphEnv = Object.fromEntries(OWNERS.map((owner) => [`SUBGRAPH_${owner.name.toUpperCase()}_URL`, `http://${host}:${portOf(owner)}/graphql`]));
  await Promise.all(
    OWNERS.map(async (owner) => {
      run(owner.name, owner.entry, { ...subgraphEnv, [`${owner.name.toUpperCase()}_PORT`]: String(portOf(owner)), HOST: host });
      await waitForHealth(owner.name, `http://${host}:${portOf(owner)}/health`);
    }),
  );
  const gatewayEntry = fileURLToPath(new URL('../../../gateway/dist/main.js', import.meta.url));
  run('gateway', gatewayEntry, { ...subgraphEnv, GATEWAY_PORT: String(gatewayPort), HOST: host }, GATEWAY_NODE_FLAGS);
  await waitForHealth('gateway', `http://${host}:${gatewayPort}/health`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`
partnergraph is up (${seconds} s): GraphQL at http://${host}:${gatewayPort}/graphql, health at http://${host}:${gatewayPort}/health
Data in ${dataDir} (delete it to start afresh). Try:

  TOKEN=$(npm run -s token -- secretariat-coordinator)
  curl -s http://${host}:${gatewayPort}/graphql -H "authorization: Bearer $TOKEN" -H 'x-purpose: STATISTICS' \\
    -H 'content-type: application/json' -d '{"query":"{ areas { name latestSafetyIndex { shareFeelingSafe } activeInitiativeCount currentTenancyCount } }"}'

Personas: npm run -s token (no arguments) lists them. Ctrl-C stops everything.
`);
} catch (error) {
  console.error((error as Error).message);
  await stop(1);
}
