import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverOwners, findOwner, RegistryError, sourceOf, workspaceSourceAliases } from '@partnergraph/registry';
import type { Subgraph } from '@partnergraph/subgraph-kit';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const owners = discoverOwners(root);

describe('the owner registry', () => {
  it('finds the owners in subgraphs/*/package.json, in start order', () => {
    // The partnership's three; a scaffolded owner comes after them.
    expect(owners.slice(0, 3).map((o) => [o.name, o.defaultPort, o.packageName])).toEqual([
      ['police', 4001, '@partnergraph/police'],
      ['municipality', 4002, '@partnergraph/municipality'],
      ['housing', 4003, '@partnergraph/housing'],
    ]);
    expect(owners[0]!.entryPath).toBe(join(root, 'subgraphs/police/dist/index.js'));
    expect(sourceOf(owners[0]!.seedPath)).toBe(join(root, 'subgraphs/police/src/data/seed.ts'));
  });

  it.each(owners.map((o) => [o.name, o]))('%s is one folder with everything an owner keeps', async (_name, owner) => {
    for (const file of ['src/policies/policies.cedar', 'src/policies/schema.cedarschema', 'src/data/migrations', 'test/access.ts', 'test/access.test.ts', 'test/policyCoverage.test.ts']) {
      expect(existsSync(join(owner.dir, file)), `${owner.name}: ${file}`).toBe(true);
    }
    const { subgraph } = (await import(sourceOf(owner.modulePath))) as { subgraph: Subgraph };
    expect([subgraph.name, subgraph.defaultPort]).toEqual([owner.name, owner.defaultPort]);
    const { seed } = (await import(sourceOf(owner.seedPath))) as { seed: unknown };
    expect(typeof seed).toBe('function');
  });

  it('gives the tests an alias to the source of every export, the owners’ seed included', () => {
    const aliases = workspaceSourceAliases(root);
    const target = (specifier: string) => aliases.find((a) => a.find.test(specifier))?.replacement;
    expect(target('@partnergraph/housing')).toBe(join(root, 'subgraphs/housing/src/server.ts'));
    expect(target('@partnergraph/housing/seed')).toBe(join(root, 'subgraphs/housing/src/data/seed.ts'));
    expect(target('@partnergraph/subgraph-kit/testing')).toBe(join(root, 'packages/kit/src/testing.ts'));
    expect(target('@partnergraph/vocabulary')).toBe(join(root, 'packages/vocabulary/src/index.ts'));
    expect(target('@partnergraph/housingX')).toBeUndefined();
  });

  describe('refuses an inconsistent registry, naming the file', () => {
    const temp = mkdtempSync(join(tmpdir(), 'partnergraph-registry-'));
    afterAll(() => rmSync(temp, { recursive: true, force: true }));
    const owner = (dir: string, block: Record<string, unknown>) => {
      mkdirSync(join(temp, 'subgraphs', dir), { recursive: true });
      writeFileSync(
        join(temp, 'subgraphs', dir, 'package.json'),
        JSON.stringify({ name: `@x/${dir}`, main: 'dist/server.js', exports: { '.': './dist/server.js', './seed': './dist/seed.js' }, partnergraph: block }),
      );
    };

    it('two owners on one port', () => {
      owner('alpha', { name: 'alpha', defaultPort: 4101, entry: 'dist/index.js' });
      owner('beta', { name: 'beta', defaultPort: 4101, entry: 'dist/index.js' });
      expect(() => discoverOwners(temp)).toThrow(/subgraphs\/alpha and subgraphs\/beta share the defaultPort 4101/);
    });

    it('a malformed block', () => {
      owner('beta', { name: 'Beta-2', defaultPort: 80, entry: 'index.ts' });
      expect(() => discoverOwners(temp)).toThrow(RegistryError);
      expect(() => discoverOwners(temp)).toThrow(/subgraphs\/beta\/package.json, "partnergraph": "name" must be .*; "defaultPort" must be .*; "entry" must name/);
    });

    it('an unknown owner, listing the known ones', () => {
      owner('beta', { name: 'beta', defaultPort: 4102, entry: 'dist/index.js' });
      expect(discoverOwners(temp).map((o) => o.name)).toEqual(['alpha', 'beta']);
      expect(() => findOwner('gamma', temp)).toThrow('No owner named "gamma": one of alpha, beta.');
    });
  });
});
