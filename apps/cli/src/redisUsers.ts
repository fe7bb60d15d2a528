import { parse } from 'yaml';

/**
 * Redis users (deploy/redis/users.acl) against the compose file and the owner
 * registry: every component that uses Redis connects as its own user, named
 * after its service, with its own password variable, which the redis service
 * gets to fill in; each owner's user reaches its own `rl:<owner>:` keys only.
 */

interface Service {
  environment?: Record<string, unknown>;
}

export const redisPasswordVariable = (user: string) => `REDIS_${user.toUpperCase()}_PASSWORD`;
const required = (variable: string) => `\${${variable}:?set ${variable} (openssl rand -hex 32)}`;
const userLine = (acl: string, user: string) => acl.split('\n').find((line) => line.startsWith(`user ${user} `));

/** What in the compose file or the users file disagrees; empty when they agree. */
export function redisUserProblems(composeText: string, aclText: string, owners: readonly { name: string }[]): string[] {
  const services = ((parse(composeText, { merge: true }) as { services?: Record<string, Service> } | null)?.services ?? {}) as Record<string, Service>;
  const problems: string[] = [];
  const redisEnv = services['redis']?.environment ?? {};
  const prefix = String(services['gateway']?.environment?.['REDIS_PREFIX'] ?? '');
  const users = Object.entries(services)
    .filter(([, s]) => s.environment?.['REDIS_URL'] !== undefined)
    .map(([name]) => name);
  for (const expected of ['gateway', ...owners.map((o) => o.name)]) if (!users.includes(expected)) problems.push(`service "${expected}" has no REDIS_URL`);
  for (const user of users) {
    const env = services[user]!.environment!;
    const variable = redisPasswordVariable(user);
    if (env['REDIS_URL'] !== `redis://${user}:${required(variable)}@redis:6379`) problems.push(`service "${user}": REDIS_URL must be redis://${user}:${required(variable)}@redis:6379`);
    if (env['REDIS_PREFIX'] !== prefix) problems.push(`service "${user}": REDIS_PREFIX must be the gateway's ("${prefix}")`);
    if (redisEnv[variable] !== required(variable)) problems.push(`service "redis" must have ${variable}: ${required(variable)}`);
    const line = userLine(aclText, user);
    if (!line?.startsWith(`user ${user} on >\${${variable}} `)) {
      problems.push(`users.acl has no line "user ${user} on >\${${variable}} …"`);
      continue;
    }
    const patterns = line.split(' ').filter((rule) => rule.startsWith('~') || rule.startsWith('%') || rule === 'allkeys');
    if (owners.some((o) => o.name === user) && (patterns.length !== 1 || patterns[0] !== `~${prefix}rl:${user}:*`)) {
      problems.push(`users.acl: ${user} must reach ~${prefix}rl:${user}:* only (has ${patterns.join(' ') || 'no keys'})`);
    }
  }
  for (const line of aclText.split('\n')) {
    const m = /^user (\S+) /.exec(line);
    if (m && m[1] !== 'default' && !users.includes(m[1]!)) problems.push(`users.acl: user ${m[1]} is no component's`);
  }
  return problems;
}

/** Adds an owner's user to the users file, modelled on another owner's (without any channel it may publish on), after the last owner's. */
export function addOwnerToRedisUsers(aclText: string, model: string, owner: string, last: string): string {
  const lines = aclText.split('\n');
  const from = lines.findIndex((line) => line.startsWith(`user ${model} `));
  const at = lines.findIndex((line) => line.startsWith(`user ${last} `));
  if (from < 0 || at < 0) throw new Error(`users.acl has no user ${from < 0 ? model : last} to model the new owner's on.`);
  const line = lines[from]!.split(' ')
    .filter((rule) => rule !== '+publish' && !rule.startsWith('&'))
    .join(' ')
    .replaceAll(model, owner)
    .replaceAll(model.toUpperCase(), owner.toUpperCase());
  lines.splice(at + 1, 0, line);
  return lines.join('\n');
}
