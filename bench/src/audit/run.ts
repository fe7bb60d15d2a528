import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Runs the public Federation gateway conformance audit
 * (graphql-hive/federation-gateway-audit: 46 suites, 199 cases) against our
 * gateway, each suite on its own supergraph; `--gateway hive-rust` (or `hive`)
 * runs the benchmark's Hive Gateway contender the same way, so engines are
 * compared by one harness on the same suites.
 *
 *   npm run audit:federation -- --audit-dir /path/to/federation-gateway-audit [--min 193] [--gateway ours|hive|hive-rust]
 *
 * The audit is not published on npm, so it is not part of this repository:
 * check it out and install its dependencies as its README says. The harness
 * sends no credentials, so the gateway runs in its explicit test-principal
 * mode (GATEWAY_AUTH=test-principal + GATEWAY_ALLOW_TEST_PRINCIPAL=yes).
 */
const args = process.argv.slice(2);
const arg = (name: string, fallback?: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const auditDir = resolve(arg('audit-dir', process.env['FEDERATION_AUDIT_DIR'] ?? '')!);
const minimum = Number(arg('min', '193'));
const harnessPort = Number(arg('port', '5100'));
const gatewayPort = Number(arg('gateway-port', '5101'));
if (!existsSync(join(auditDir, 'src/cli.ts'))) {
  console.error('Give --audit-dir: a checkout of graphql-hive/federation-gateway-audit with its dependencies installed.');
  process.exit(2);
}
const gatewayId = arg('gateway', 'ours')!;
/** The benchmark's Hive Gateway contender, with the JavaScript or the Rust query planner. */
const hive = (planner: 'js' | 'rust') => ({
  command: `SUPERGRAPH_PATH=./supergraph.graphql PORT=${gatewayPort} HIVE_PLANNER=${planner} LOG_LEVEL=error \\
NODE_ENV=production exec node ${fileURLToPath(new URL('../gateways/hiveGateway.js', import.meta.url))}`,
  health: '/healthcheck',
});
const GATEWAYS: Record<string, { command: string; health: string }> = {
  ours: {
    command: `SUPERGRAPH_PATH=./supergraph.graphql GATEWAY_PORT=${gatewayPort} GATEWAY_AUTH=test-principal GATEWAY_ALLOW_TEST_PRINCIPAL=yes \\
RATE_LIMIT_PER_PRINCIPAL=0 LOG_LEVEL=error NODE_ENV=test exec node ${fileURLToPath(new URL('../../../gateway/dist/main.js', import.meta.url))}`,
    health: '/health',
  },
  hive: hive('js'),
  'hive-rust': hive('rust'),
};
const gateway = GATEWAYS[gatewayId];
if (!gateway) {
  console.error(`--gateway ${gatewayId}: one of ${Object.keys(GATEWAYS).join(', ')}`);
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'partnergraph-audit-'));

// The harness calls this per suite from `work`: fetch that suite's supergraph, run the gateway on it.
writeFileSync(
  join(work, 'run.sh'),
  `#!/bin/sh
curl -sSf --retry 20 --retry-all-errors --retry-delay 1 "http://127.0.0.1:${harnessPort}/$1/supergraph" -o supergraph.graphql || exit 1
${gateway.command}
`,
);
chmodSync(join(work, 'run.sh'), 0o755);
// The harness uses Promise.withResolvers (Node 22); on Node 20 it needs this shim.
writeFileSync(
  join(work, 'with-resolvers.mjs'),
  `if (!Promise.withResolvers) Promise.withResolvers = function () { let resolve, reject; const promise = new Promise((a, b) => { resolve = a; reject = b; }); return { promise, resolve, reject }; };\n`,
);

const results = join(work, 'results.txt');
const child = spawn(
  process.execPath,
  [
    join(auditDir, 'node_modules/tsx/dist/cli.mjs'),
    join(auditDir, 'src/cli.ts'),
    'test',
    '--port', String(harnessPort),
    '--cwd', work,
    '--run-script', './run.sh',
    '--graphql', `http://127.0.0.1:${gatewayPort}/graphql`,
    '--healthcheck', `http://127.0.0.1:${gatewayPort}${gateway.health}`,
    '--reporter', 'dot',
    '--write', results,
  ],
  // tsx runs the harness in a child process: the shim goes through NODE_OPTIONS to reach it.
  {
    cwd: auditDir,
    stdio: 'inherit',
    // GATEWAY_TIMEOUT: how long the harness waits for a started gateway's health check (its default, 5 s, is too
    // short for a cold start on a busy 2-core machine: the whole suite then fails as "fetch failed").
    env: { GATEWAY_TIMEOUT: '30000', ...process.env, NODE_OPTIONS: `--import ${join(work, 'with-resolvers.mjs')}` },
  },
);
const code = await new Promise<number | null>((r) => child.on('exit', r));
if (!existsSync(results)) {
  console.error(`The audit wrote no results (exit ${code}); logs in ${work}/logs`);
  process.exit(1);
}
const text = readFileSync(results, 'utf8');
const passed = Number(/Passed:\s*(\d+)/.exec(text)?.[1] ?? 0);
const total = Number(/Total:\s*(\d+)/.exec(text)?.[1] ?? 0);
console.log(`\nfederation-gateway-audit (${gatewayId}): ${passed}/${total} (${((100 * passed) / Math.max(1, total)).toFixed(2)} %); stock @apollo/gateway 2.14.4 scores 193/199. Logs: ${work}/logs`);
process.exit(passed >= minimum ? 0 : 1);
