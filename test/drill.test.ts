import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const POSTGRES = process.env['TEST_DATABASE_URL'];
const DRILLS = ['baseline', 'subgraph-kill', 'subgraph-freeze', 'redis-kill', 'redis-freeze', 'db-reset', 'db-hang', 'gateway-sigterm'];

/**
 * The short drill as CI runs it (issue 13): the built system as separate
 * processes on this PostgreSQL, our own redis-server, every fault in turn for
 * a few seconds. It exits non-zero on a crash, a hung request, a delivered
 * personal answer without its log row, bad input answered 5xx, or no recovery.
 */
describe.skipIf(!POSTGRES)('npm run drill -- --short', () => {
  it('passes every drill', async () => {
    const child = spawn(process.execPath, ['bench/dist/drill/run.js', '--short'], {
      cwd: ROOT,
      env: { ...process.env, DRILL_DATABASE_URL: POSTGRES },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // If this test is given up on, the drill still stops its processes and drops its databases.
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGTERM');
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
    expect(code, output).toBe(0);
    for (const name of DRILLS) expect(output).toMatch(new RegExp(`── ${name}: [^\\n]*\\n[^\\n]*requests[^\\n]*\\n[^\\n]*\\n[^\\n]*\\n[^\\n]*\\n  pass`));
    expect(output).toMatch(/drill passed/);
  }, 240_000);
});
