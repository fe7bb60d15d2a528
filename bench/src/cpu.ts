import pg from 'pg';
import { cpuSeconds } from './gateways/procs.js';

/** CPU seconds so far of each PostgreSQL backend serving the matching databases, by pid. */
export type BackendCpu = Map<number, number>;

/** A snapshot of the CPU time of PostgreSQL's backends serving the databases whose names match `datnameLike` (from /proc on this machine). */
export async function postgresCpu(connectionString: string, datnameLike: string): Promise<BackendCpu> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname LIKE $1 AND pid <> pg_backend_pid()', [datnameLike]);
    return new Map(rows.map((row) => [row.pid, cpuSeconds(row.pid)]));
  } finally {
    await client.end();
  }
}

/** CPU seconds the backends spent between two snapshots (a backend that ended in between counts until its last snapshot). */
export function postgresCpuBetween(before: BackendCpu, after: BackendCpu): number {
  let sum = 0;
  for (const [pid, seconds] of after) sum += seconds - (before.get(pid) ?? 0);
  return sum;
}

/** CPU seconds of this process (the load generator). */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}
