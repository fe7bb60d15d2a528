import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverOwners, sourceOf } from '@partnergraph/registry';
import { describe, expect, it } from 'vitest';
import { importsOf, reachableSources } from './support/imports.js';

/**
 * The layering the charter states, checked on the import graph: production
 * code never loads the synthetic-data generator; libraries never import apps
 * or owners; the vocabulary sits at the bottom and the generator on top of it.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const rel = (path: string) => relative(root, path);
const owners = discoverOwners(root);
const synthetic = join(root, 'packages/synthetic/');
const sourcesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));

describe('layering', () => {
  const production = [
    ...owners.flatMap((o) => [sourceOf(o.entryPath), sourceOf(o.modulePath)]),
    join(root, 'gateway/src/main.ts'),
  ];
  it.each(production.map((p) => [rel(p), p]))('%s never loads the synthetic-data generator', (_name, entry) => {
    const reached = reachableSources(entry, root);
    const leaks = [...reached.entries()].filter(([file]) => file.startsWith(synthetic)).map(([, chain]) => chain.map(rel).join(' → '));
    expect(leaks).toEqual([]);
    // The walk does follow the owner's modules (not a vacuous pass).
    expect(reached.size).toBeGreaterThan(3);
  });

  it("each owner's synthetic data sits behind its ./seed export, a development dependency", () => {
    for (const owner of owners) {
      const pkg = JSON.parse(readFileSync(join(owner.dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
      expect(pkg.dependencies?.['@partnergraph/synthetic'], owner.name).toBeUndefined();
      expect(existsSync(sourceOf(owner.seedPath)), owner.name).toBe(true);
    }
  });

  it('libraries import no app and no owner', () => {
    const forbidden = [join(root, 'apps/'), join(root, 'subgraphs/'), join(root, 'bench/')];
    const problems: string[] = [];
    for (const lib of readdirSync(join(root, 'packages')).filter((p) => existsSync(join(root, 'packages', p, 'src')))) {
      for (const file of sourcesUnder(join(root, 'packages', lib, 'src'))) {
        for (const [reached, chain] of reachableSources(file, root)) {
          if (forbidden.some((f) => reached.startsWith(f))) problems.push(chain.map(rel).join(' → '));
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('the vocabulary imports nothing of the workspace, and the generator only the vocabulary', () => {
    const workspaceImports = (dir: string) =>
      sourcesUnder(join(root, dir)).flatMap((f) => importsOf(f).filter((s) => s.startsWith('@partnergraph/')).map((s) => `${rel(f)}: ${s}`));
    expect(workspaceImports('packages/vocabulary/src')).toEqual([]);
    expect(workspaceImports('packages/synthetic/src').filter((s) => !s.endsWith('@partnergraph/vocabulary'))).toEqual([]);
  });
});
