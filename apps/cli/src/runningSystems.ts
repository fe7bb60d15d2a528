import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from '@partnergraph/registry';

/**
 * What `npm start` leaves for the other commands while it runs: which data
 * directory the running system uses (its dev issuer's keys, its trust file) and
 * where it listens, one file per gateway port under `.partnergraph/running/`.
 * The token and gql commands sign with the running system's keys, not with
 * whatever `./.data` holds.
 */
export interface RunningSystem {
  pid: number;
  dataDir: string;
  gatewayPort: number;
  gatewayUrl: string;
  startedAt: string;
  /** Process ids of the children, by name (the gateway and each owner). */
  children: Record<string, number>;
}

const folder = (root = repoRoot()) => join(root, '.partnergraph', 'running');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export function recordRunningSystem(system: RunningSystem, root?: string): () => void {
  const dir = folder(root);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${system.gatewayPort}.json`);
  writeFileSync(file, `${JSON.stringify(system, null, 2)}\n`);
  return () => rmSync(file, { force: true });
}

/** The systems started from this checkout that still run (records of dead launchers are removed). */
export function runningSystems(root?: string): RunningSystem[] {
  const dir = folder(root);
  if (!existsSync(dir)) return [];
  const out: RunningSystem[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const file = join(dir, name);
    try {
      const system = JSON.parse(readFileSync(file, 'utf8')) as RunningSystem;
      if (alive(system.pid)) out.push(system);
      else rmSync(file, { force: true });
    } catch {
      rmSync(file, { force: true });
    }
  }
  return out.sort((a, b) => a.gatewayPort - b.gatewayPort);
}

export class DataDirError extends Error {}

/**
 * The data directory whose keys a dev token must be signed with:
 * PARTNERGRAPH_DATA_DIR when set (with a warning if the running system on the
 * same gateway port uses another); else the running system's (the one on
 * GATEWAY_PORT, or the only one); else ./.data.
 */
export function dataDirForClients(env: NodeJS.ProcessEnv = process.env, warn: (message: string) => void = (m) => console.error(m), root?: string): string {
  const systems = runningSystems(root);
  const port = env['GATEWAY_PORT'] ? Number(env['GATEWAY_PORT']) : undefined;
  const explicit = env['PARTNERGRAPH_DATA_DIR'];
  if (explicit) {
    const target = systems.find((s) => s.gatewayPort === (port ?? 4000)) ?? (port === undefined && systems.length === 1 ? systems[0] : undefined);
    if (target && resolve(target.dataDir) !== resolve(explicit)) {
      warn(`Note: the system at ${target.gatewayUrl} runs with data directory ${target.dataDir}; tokens signed with the keys of ${explicit} will be refused there.`);
    }
    return explicit;
  }
  if (port !== undefined) {
    const target = systems.find((s) => s.gatewayPort === port);
    if (target) return target.dataDir;
  } else if (systems.length === 1) {
    return systems[0]!.dataDir;
  } else if (systems.length > 1) {
    throw new DataDirError(
      `Several systems run from this checkout (${systems.map((s) => `${s.gatewayUrl} with ${s.dataDir}`).join('; ')}): set GATEWAY_PORT or PARTNERGRAPH_DATA_DIR.`,
    );
  }
  return join(process.cwd(), '.data');
}

/** dataDirForClients for a command: an ambiguous choice ends the command with the message. */
export function clientDataDirOrExit(): string {
  try {
    return dataDirForClients();
  } catch (error) {
    if (!(error instanceof DataDirError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}
