import { relative } from 'node:path';
import type { Owner } from '@partnergraph/registry';
import { parse } from 'yaml';

/**
 * The production topology (docker-compose.yml) against the owner registry:
 * each owner runs its registered entry on its registered port with its own
 * PostgreSQL, and the gateway knows exactly the registered owners.
 */

interface Service {
  command?: string | string[];
  environment?: Record<string, unknown>;
  depends_on?: string[] | Record<string, unknown>;
}

const dependsOn = (s: Service | undefined) => (Array.isArray(s?.depends_on) ? s.depends_on : Object.keys(s?.depends_on ?? {}));

/** What in the compose file disagrees with the registry; empty when it agrees. */
export function topologyProblems(composeText: string, owners: readonly Owner[], root: string): string[] {
  const services = ((parse(composeText, { merge: true }) as { services?: Record<string, Service> } | null)?.services ?? {}) as Record<string, Service>;
  const problems: string[] = [];
  const gateway = services['gateway'];
  if (!gateway) return ['no "gateway" service'];
  const gatewayEnv = gateway.environment ?? {};
  for (const owner of owners) {
    const service = services[owner.name];
    const where = `service "${owner.name}"`;
    const url = `http://${owner.name}:${owner.defaultPort}/graphql`;
    const gatewayProblems = [
      ...(gatewayEnv[`SUBGRAPH_${owner.envPrefix}_URL`] !== url ? [`gateway: SUBGRAPH_${owner.envPrefix}_URL must be ${url}`] : []),
      ...(!dependsOn(gateway).includes(owner.name) ? [`gateway does not depend on ${owner.name}`] : []),
    ];
    if (!service) {
      problems.push(`${where} is missing (owner ${relative(root, owner.dir)})`, ...gatewayProblems);
      continue;
    }
    const command = [service.command ?? []].flat().join(' ');
    const entry = relative(root, owner.entryPath);
    if (!command.split(' ').includes(entry)) problems.push(`${where} runs "${command}", not the registered entry ${entry}`);
    const env = service.environment ?? {};
    if (String(env[`${owner.envPrefix}_PORT`]) !== String(owner.defaultPort)) {
      problems.push(`${where}: ${owner.envPrefix}_PORT is ${String(env[`${owner.envPrefix}_PORT`])}, the registry says ${owner.defaultPort}`);
    }
    const database = String(env[`${owner.envPrefix}_DATABASE_URL`] ?? '');
    let databaseHost = '';
    try {
      databaseHost = new URL(database).hostname;
    } catch {
      // reported below
    }
    if (!database.startsWith('postgres://') || !services[databaseHost]) {
      problems.push(`${where}: ${owner.envPrefix}_DATABASE_URL must name the owner's own PostgreSQL service (got "${database}")`);
    }
    problems.push(...gatewayProblems);
  }
  const known = new Set(owners.map((o) => o.envPrefix));
  for (const key of Object.keys(gatewayEnv)) {
    const m = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(key);
    if (m && !known.has(m[1]!)) problems.push(`gateway: ${key} names no registered owner`);
  }
  for (const [name, service] of Object.entries(services)) {
    const m = /subgraphs\/([^/\s]+)\//.exec([service.command ?? []].flat().join(' '));
    if (m && !owners.some((o) => relative(root, o.dir) === `subgraphs/${m[1]}`)) problems.push(`service "${name}" runs subgraphs/${m[1]}, which is no registered owner`);
  }
  return problems;
}

/**
 * The lines of one entry of a two-space-indented section (`  police:` and
 * what is indented below it), as [first, end) line indexes; null if absent.
 */
function entryLines(lines: string[], section: string, key: string): [number, number] | null {
  const top = lines.findIndex((l) => l === `${section}:`);
  if (top < 0) return null;
  let first = -1;
  for (let i = top + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\S/.test(line)) break;
    if (first < 0 && line === `  ${key}:`) {
      first = i;
      continue;
    }
    if (first >= 0 && /^ {0,2}\S/.test(line)) return [first, trimBlank(lines, first, i)];
  }
  return first < 0 ? null : [first, trimBlank(lines, first, lines.findIndex((l, i) => i > first && /^\S/.test(l)) >>> 0)];
}

/** Backs off blank lines at the end of an entry (they separate groups of services). */
function trimBlank(lines: string[], first: number, end: number): number {
  let e = Math.min(end, lines.length);
  while (e > first + 1 && lines[e - 1]!.trim() === '') e--;
  return e;
}

/**
 * Adds an owner's services to the compose file, modelled on an existing
 * owner's (so health checks and shared settings come along): its subgraph and
 * its PostgreSQL after the last owner's, its volume, and its URL and
 * dependency at the gateway, and its Redis password at Redis. Lines that name other owners (peer URLs and
 * their comments) are left out: the new owner has no peers yet. The edit is
 * textual, so the rest of the file keeps its form; the result is checked
 * against the registry by the caller.
 */
export function addOwnerToTopology(composeText: string, model: Owner, owner: { name: string; envPrefix: string; defaultPort: number }, others: readonly Owner[]): string {
  const lines = composeText.split('\n');
  const last = others[others.length - 1] ?? model;
  const rename = (line: string) =>
    line.replaceAll(model.name, owner.name).replaceAll(model.envPrefix, owner.envPrefix).replaceAll(String(model.defaultPort), String(owner.defaultPort));
  const mentionsOther = (line: string) => others.some((o) => o.name !== model.name && (line.includes(o.envPrefix) || line.toLowerCase().includes(o.name)));
  const copyAfter = (key: string, after: string) => {
    const from = entryLines(lines, 'services', key);
    const at = entryLines(lines, 'services', after);
    if (!from || !at) throw new Error(`docker-compose.yml has no service "${from ? after : key}" to model the new owner on.`);
    const block = lines.slice(from[0], from[1]).filter((l) => !mentionsOther(l)).map(rename);
    lines.splice(at[1], 0, ...block);
  };
  copyAfter(model.name, last.name);
  copyAfter(`${model.name}-db`, `${last.name}-db`);

  const gateway = entryLines(lines, 'services', 'gateway');
  if (!gateway) throw new Error('docker-compose.yml has no gateway service.');
  const inGateway = (test: (line: string) => boolean) => {
    for (let i = gateway[1] - 1; i >= gateway[0]; i--) if (test(lines[i]!)) return i;
    return -1;
  };
  // The gateway's URL for it, after the last owner's.
  const urlLine = inGateway((l) => l.trimStart().startsWith(`SUBGRAPH_${last.envPrefix}_URL:`));
  if (urlLine < 0) throw new Error(`The gateway has no SUBGRAPH_${last.envPrefix}_URL to add the new owner's after.`);
  const indent = /^\s*/.exec(lines[urlLine]!)![0];
  lines.splice(urlLine + 1, 0, `${indent}SUBGRAPH_${owner.envPrefix}_URL: http://${owner.name}:${owner.defaultPort}/graphql`);
  // Its dependency: in a flow list `[…, housing, …]`, or as a line `housing: …` under depends_on.
  const flow = inGateway((l) => /^\s*depends_on: \[/.test(l));
  if (flow >= 0) {
    lines[flow] = lines[flow]!.replace(new RegExp(`\\b${last.name}\\b(?!-)`), `${last.name}, ${owner.name}`);
  } else {
    const entry = inGateway((l) => new RegExp(`^\\s+${last.name}:`).test(l));
    if (entry < 0) throw new Error(`The gateway's depends_on does not name ${last.name}.`);
    lines.splice(entry + 1, 0, lines[entry]!.replace(`${last.name}:`, `${owner.name}:`));
  }
  // Its database volume.
  const volume = lines.findIndex((l) => l === `  ${last.name}-data:`);
  if (volume >= 0) lines.splice(volume + 1, 0, `  ${owner.name}-data:`);
  // Its Redis password, which Redis needs to load its user (deploy/redis/users.acl).
  const redis = entryLines(lines, 'services', 'redis');
  const password = redis ? lines.slice(redis[0], redis[1]).findIndex((l) => l.trimStart().startsWith(`REDIS_${last.envPrefix}_PASSWORD:`)) : -1;
  if (redis && password >= 0) lines.splice(redis[0] + password + 1, 0, lines[redis[0] + password]!.replaceAll(last.envPrefix, owner.envPrefix));
  return lines.join('\n');
}
