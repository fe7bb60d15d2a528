import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverOwners, workspaceDirs } from '@partnergraph/registry';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * A new owner is one folder and one command. In a temporary copy of the
 * repository (sources and built output; node_modules linked, not copied),
 * `new:subgraph` scaffolds an owner, the composition takes it in, and its own
 * tests and the tests that read the registry pass with it — among them the
 * access matrix through a gateway on the new supergraph.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const copy = mkdtempSync(join(tmpdir(), 'partnergraph-scaffold-'));
afterAll(() => { if (!process.env['KEEP_SCAFFOLD']) rmSync(copy, { recursive: true, force: true }); else console.log(copy); });

function run(command: string, args: string[], timeout = 300_000) {
  const result = spawnSync(command, args, { cwd: copy, env: { ...process.env, LOG_LEVEL: 'error' }, encoding: 'utf8', timeout });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

/** The working tree as git sees it (tracked and new files, not ignored ones), plus every package's built dist/. */
function copyRepository(): void {
  const files = spawnSync('git', ['ls-files', '-z', '-co', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(root, file))) continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(root, file), join(copy, file));
  }
  for (const dir of workspaceDirs(root)) {
    if (existsSync(join(dir, 'dist'))) cpSync(join(dir, 'dist'), join(copy, dir.slice(root.length), 'dist'), { recursive: true });
    // A package's own versions of a dependency (npm nests them when the root has another).
    if (existsSync(join(dir, 'node_modules'))) symlinkSync(join(dir, 'node_modules'), join(copy, dir.slice(root.length), 'node_modules'));
  }
  // Third-party packages linked from the real install; the workspace's own packages are the copy's.
  mkdirSync(join(copy, 'node_modules/@partnergraph'), { recursive: true });
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry === '@partnergraph' || entry === '.vite' || entry === '.vitest') continue;
    symlinkSync(join(root, 'node_modules', entry), join(copy, 'node_modules', entry));
  }
  linkWorkspaces();
}

function linkWorkspaces(): void {
  for (const dir of workspaceDirs(copy)) {
    const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string };
    const link = join(copy, 'node_modules', name);
    if (!existsSync(link)) symlinkSync(dir, link);
  }
}

describe('npm run new:subgraph', () => {
  it('scaffolds an owner that composes and passes its tests and the registry-wide ones', () => {
    copyRepository();
    const scaffold = run(process.execPath, ['apps/cli/dist/newSubgraph.js', 'schools', '--no-install']);
    expect(scaffold.status, scaffold.output).toBe(0);
    linkWorkspaces();
    expect(discoverOwners(copy).map((o) => [o.name, o.defaultPort])).toContainEqual(['schools', 4004]);
    const compose = readFileSync(join(copy, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain('SUBGRAPH_SCHOOLS_URL: http://schools:4004/graphql');
    // The rest of the file keeps its form: lines about the new owner are added, none changed.
    const before = readFileSync(join(root, 'docker-compose.yml'), 'utf8').split('\n');
    const after = compose.split('\n');
    expect(before.filter((line) => !after.includes(line))).toEqual([]);
    // Prometheus scrapes it with the other owners.
    expect(readFileSync(join(copy, 'deploy/prometheus.yml'), 'utf8')).toContain('- schools:4004');
    // And it connects to Redis as its own user, limited to its own keys.
    expect(readFileSync(join(copy, 'deploy/redis/users.acl'), 'utf8')).toMatch(/^user schools on >\$\{REDIS_SCHOOLS_PASSWORD\} .* ~partnergraph:rl:schools:\*$/m);
    expect(compose).toContain('REDIS_SCHOOLS_PASSWORD: ${REDIS_SCHOOLS_PASSWORD:?');

    // Build only the new owner (everything else was copied built), then compose.
    const build = run(join(copy, 'node_modules/.bin/tsc'), ['-p', 'subgraphs/schools/tsconfig.json']);
    expect(build.status, build.output).toBe(0);
    const composition = run(process.execPath, ['apps/cli/dist/compose.js']);
    expect(composition.status, composition.output).toBe(0);
    expect(readFileSync(join(copy, 'schema/api.graphql'), 'utf8')).toMatch(/schoolsRecords\(.*\): SchoolsRecordConnection/);
    expect(readFileSync(join(copy, 'schema/supergraph.graphql'), 'utf8')).toContain('SCHOOLS @join__graph(name: "schools", url: "http://127.0.0.1:4004/graphql")');

    const tests = run(join(copy, 'node_modules/.bin/vitest'), [
      'run',
      '--reporter=verbose',
      'subgraphs/schools',
      'test/accessMatrix.test.ts',
      'test/registry.test.ts',
      'test/topology.test.ts',
      'test/layering.test.ts',
    ]);
    expect(tests.status, tests.output.slice(-6000)).toBe(0);
    expect(tests.output).toMatch(/the schools subgraph answers/);
  }, 600_000);
});
