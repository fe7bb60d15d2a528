import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `npm start` as a user runs it (the built launcher), with the given environment; `up` resolves when it says so. */
export function startLauncher(env: Record<string, string>): { child: ChildProcess; output: () => string; up: Promise<number> } {
  const child = spawn(process.execPath, [join(ROOT, 'apps/cli/dist/start.js')], { cwd: ROOT, env: { ...process.env, ...env, LOG_LEVEL: 'info' } });
  let output = '';
  const up = new Promise<number>((resolve, reject) => {
    const started = Date.now();
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('partnergraph is up')) resolve(Date.now() - started);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`launcher exited (${code}):\n${output}`)));
  });
  return { child, output: () => output, up };
}

/** Ctrl-C, as a user stops it; resolves with the exit code. */
export const stopWithCtrlC = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });

/** `npm start` on free ports with its own data directory: the launcher and the gateway's base URL, once it is up. */
export async function launchOnFreePorts(dataDir: string, env: Record<string, string> = {}): Promise<{ launcher: ReturnType<typeof startLauncher>; base: string; gatewayPort: number }> {
  const { freePort } = await import('./freePort.js');
  const ports = { GATEWAY_PORT: await freePort(), POLICE_PORT: await freePort(), MUNICIPALITY_PORT: await freePort(), HOUSING_PORT: await freePort() };
  const launcher = startLauncher({ ...env, PARTNERGRAPH_DATA_DIR: dataDir, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) });
  await launcher.up;
  return { launcher, base: `http://127.0.0.1:${ports.GATEWAY_PORT}`, gatewayPort: ports.GATEWAY_PORT };
}
