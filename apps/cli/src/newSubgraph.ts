import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverOwners, repoRoot } from '@partnergraph/registry';
import { ORGANISATIONS } from '@partnergraph/vocabulary';
import { addOwnerToRedisUsers, redisUserProblems } from './redisUsers.js';
import { addOwnerToScrapeConfig, scrapeProblems } from './scrapeConfig.js';
import { addOwnerToTopology, topologyProblems } from './topology.js';

/**
 * `npm run new:subgraph -- <name> [--organisation <id>] [--port <n>] [--no-install]`
 *
 * Scaffolds a working owner in subgraphs/<name>/: one entity with a key, its
 * migration, loader and resolver, a Cedar schema and policies (deny by
 * default, one permit for the owner's own staff, the auditor rules of its
 * disclosure log), synthetic data behind its `./seed` export, its access
 * expectations and their test, and its policy-coverage test; it adds the
 * owner's services to docker-compose.yml and links the package (npm install).
 * Then `npm run schema` composes it and `npm test` runs its tests.
 */
const root = repoRoot();
const templates = fileURLToPath(new URL('../templates/subgraph/', import.meta.url));
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const name = args.find((a, i) => !a.startsWith('--') && !['--organisation', '--port'].includes(args[i - 1] ?? ''));
const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};

if (!name) fail('Usage: npm run new:subgraph -- <name> [--organisation <id>] [--port <n>] [--no-install]');
if (!/^[a-z][a-z0-9]{1,30}$/.test(name!)) fail(`"${name}": an owner's name is 2–31 lower-case letters and digits, starting with a letter (it names the subgraph and its variables, e.g. ${name!.toUpperCase().replace(/[^A-Z0-9]/g, '')}_PORT).`);
const owners = discoverOwners(root);
const dir = join(root, 'subgraphs', name!);
if (existsSync(dir)) fail(`subgraphs/${name} already exists.`);
if (owners.some((o) => o.name === name)) fail(`An owner named ${name} is registered already.`);
const organisation = option('organisation') ?? 'kompetencecenteret';
if (!ORGANISATIONS.some((o) => o.id === organisation)) {
  fail(`--organisation must be one of the partnership's organisations (packages/vocabulary/src/organisations.ts): ${ORGANISATIONS.map((o) => o.id).join(', ')}.`);
}
const port = Number(option('port') ?? Math.max(...owners.map((o) => o.defaultPort)) + 1);
if (!Number.isInteger(port) || port < 1024 || port > 65535 || port === 4000 || owners.some((o) => o.defaultPort === port)) {
  fail(`--port ${option('port')}: pick a free port from 1024 to 65535 (4000 is the gateway's; owners use ${owners.map((o) => o.defaultPort).join(', ')}).`);
}

const pascal = name![0]!.toUpperCase() + name!.slice(1);
const placeholders: Array<[string, string]> = [
  ['__entities__', `${name}Records`],
  ['__entity__', `${name}Record`],
  ['__Entity__', `${pascal}Record`],
  ['__table__', `${name}_records`],
  ['__CONST__', 'RECORD'],
  ['__PREFIX__', name!.slice(0, 2).toUpperCase()],
  ['__organisation__', organisation],
  ['__port__', String(port)],
  ['__name__', name!],
  ['__Name__', pascal],
  ['__NAME__', name!.toUpperCase()],
];
const fill = (text: string) => placeholders.reduce((t, [from, to]) => t.replaceAll(from, to), text);

const written: string[] = [];
const copy = (from: string) => {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    if (entry.isDirectory()) {
      copy(source);
      continue;
    }
    const target = join(dir, fill(relative(templates, source)).replace(/\.tmpl$/, ''));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, fill(readFileSync(source, 'utf8')));
    written.push(relative(root, target));
  }
};
copy(templates);

// The production topology gets the owner's subgraph and database, modelled on the first owner's.
const composePath = join(root, 'docker-compose.yml');
const added = { name: name!, envPrefix: name!.toUpperCase(), defaultPort: port };
const compose = addOwnerToTopology(readFileSync(composePath, 'utf8'), owners[0]!, added, owners);
const registered = discoverOwners(root);
const problems = topologyProblems(compose, registered, root);
if (problems.length) {
  console.error(`docker-compose.yml could not be updated consistently (${problems.join('; ')}); add the ${name} services by hand.`);
} else {
  writeFileSync(composePath, compose);
  written.push('docker-compose.yml (services ' + `${name}, ${name}-db)`);
}

// Its own Redis user, modelled on the first owner's.
const aclPath = join(root, 'deploy', 'redis', 'users.acl');
const acl = addOwnerToRedisUsers(readFileSync(aclPath, 'utf8'), owners[0]!.name, name!, owners[owners.length - 1]!.name);
if (problems.length || redisUserProblems(compose, acl, registered).length) {
  console.error(`deploy/redis/users.acl could not be updated consistently; add the user ${name} (and REDIS_${name!.toUpperCase()}_PASSWORD) by hand.`);
} else {
  writeFileSync(aclPath, acl);
  written.push(`deploy/redis/users.acl (user ${name})`);
}

// Prometheus scrapes its /metrics with the other owners'.
const scrapePath = join(root, 'deploy', 'prometheus.yml');
const scrape = addOwnerToScrapeConfig(readFileSync(scrapePath, 'utf8'), added);
if (scrapeProblems(scrape, registered).length) {
  console.error(`deploy/prometheus.yml could not be updated consistently; add the target ${name}:${port} to the subgraphs job by hand.`);
} else {
  writeFileSync(scrapePath, scrape);
  written.push(`deploy/prometheus.yml (target ${name}:${port})`);
}

if (!args.includes('--no-install')) {
  // Links the new workspace package and records it in package-lock.json.
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: root, stdio: 'inherit' });
  if (install.status !== 0) console.error('npm install failed: run it yourself before building.');
}

console.log(`Scaffolded the owner "${name}" (port ${port}, organisation ${organisation}):
${written.map((f) => `  ${f}`).join('\n')}

Next:
  npm run schema          # composes it into schema/ (commit the result)
  npm test                # its access and coverage tests run with everyone else's
  npm start               # it starts with the others, seeded from src/data/seed.ts

Then make it yours: the entity in src/types/, its table in src/data/migrations/, who may see what in
src/policies/ and test/access.ts (docs/partners.md walks through each step).`);
