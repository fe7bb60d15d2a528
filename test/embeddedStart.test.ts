import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './support/freePort.js';
import { startLauncher, stopWithCtrlC } from './support/launcher.js';

/**
 * The README's first command, as a user runs it: the launcher starts every
 * process on the embedded defaults (PGlite files, in-process stores), seeds on
 * first start, answers through the gateway, restarts a crashed subgraph while
 * the rest keep serving, stops cleanly on Ctrl-C, and a second start reuses the
 * data. The token command signs with the running system's keys without being
 * told its data directory. Runs the built output (npm test builds first).
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'partnergraph-embedded-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('embedded defaults, as started by npm start', () => {
  it('starts, seeds, answers, stops on Ctrl-C, and reuses its data on the second start', async () => {
    const ports = { GATEWAY_PORT: await freePort(), POLICE_PORT: await freePort(), MUNICIPALITY_PORT: await freePort(), HOUSING_PORT: await freePort() };
    const env = { PARTNERGRAPH_DATA_DIR: dataDir, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) };

    const first = await startLauncher(env);
    const firstMs = await first.up;
    expect(first.output()).toMatch(/seeded synthetic data/);
    // Every process runs on the Node.js the project pins (node_modules/.bin/node), not the machine's.
    const pinned = (JSON.parse(readFileSync(join(root, 'node_modules/node/package.json'), 'utf8')) as { version: string }).version;
    expect(process.version).toBe(`v${pinned}`);
    for (const service of ['gateway', 'police subgraph', 'municipality subgraph', 'housing subgraph']) {
      expect(first.output()).toContain(`${service} listening (Node.js v${pinned})`);
    }
    // The token command finds the running system's data directory by itself (no PARTNERGRAPH_DATA_DIR).
    const tokenEnv = { ...process.env, GATEWAY_PORT: String(ports.GATEWAY_PORT) };
    delete tokenEnv['PARTNERGRAPH_DATA_DIR'];
    const tokenRun = spawnSync(process.execPath, [join(root, 'apps/cli/dist/token.js'), 'secretariat-coordinator'], { cwd: root, env: tokenEnv });
    const token = tokenRun.stdout.toString().trim();
    expect(token.split('.')).toHaveLength(3);
    const ask = async () => {
      const res = await fetch(`http://127.0.0.1:${ports.GATEWAY_PORT}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'STATISTICS' },
        body: JSON.stringify({ query: '{ areas { id name latestSafetyIndex { shareFeelingSafe } activeInitiativeCount currentTenancyCount } }' }),
      });
      return (await res.json()) as { data: { areas: Array<Record<string, unknown>> }; errors?: unknown };
    };
    const answer = await ask();
    expect(answer.errors).toBeUndefined();
    expect(answer.data.areas).toHaveLength(4);
    expect(answer.data.areas.every((a) => typeof a['currentTenancyCount'] === 'number' && a['latestSafetyIndex'] !== null)).toBe(true);

    // A crashed subgraph is restarted, and says so; the gateway keeps running meanwhile.
    const record = JSON.parse(readFileSync(join(root, '.partnergraph/running', `${ports.GATEWAY_PORT}.json`), 'utf8')) as { dataDir: string; children: Record<string, number> };
    expect(record.dataDir).toBe(dataDir);
    process.kill(record.children['police']!, 'SIGKILL');
    await waitFor(() => /\[police\] is back \(restart 1\)/.test(first.output()), 30_000);
    expect(first.output()).toMatch(/\[police\] crashed \(SIGKILL\); restarting it in 1 s \(restart 1\)/);
    expect(first.output()).not.toMatch(/stopping the rest/);
    expect(first.child.exitCode).toBeNull();
    const gatewayPid = record.children['gateway']!;
    expect(() => process.kill(gatewayPid, 0)).not.toThrow();
    expect((await ask()).data).toEqual(answer.data);
    expect(await stopWithCtrlC(first.child)).toBe(0);
    expect(first.output()).toMatch(/partnergraph stopped/);

    const second = await startLauncher(env);
    const secondMs = await second.up;
    expect(second.output()).toMatch(/data present, not seeded/);
    expect(second.output()).not.toMatch(/seeded synthetic data/);
    expect((await ask()).data).toEqual(answer.data);
    expect(await stopWithCtrlC(second.child)).toBe(0);
    console.log(`embedded start: first ${(firstMs / 1000).toFixed(1)} s (with seeding), second ${(secondMs / 1000).toFixed(1)} s`);
  }, 240_000);
});
