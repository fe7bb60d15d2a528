import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The `partnergraph` block of an owner's package.json: what makes a folder
 * under subgraphs/ an owner of the partnership.
 *
 *   "partnergraph": { "name": "police", "defaultPort": 4001, "entry": "dist/index.js" }
 *
 * The package's main export (`exports["."]`) exports `subgraph` (the kit's
 * `defineSubgraph`); its `./seed` export exports `seed(db, world)`, the
 * synthetic data for development and tests, which production never loads.
 */
export interface OwnerManifest {
  /** Lower-case letters and digits: the subgraph's name in the supergraph, and the prefix of its variables. */
  name: string;
  /** Port the owner listens on unless `<NAME>_PORT` says otherwise; also the URL the committed supergraph names. */
  defaultPort: number;
  /** Compiled process entry, relative to the package: serves the owner without synthetic data. */
  entry: string;
}

export interface Owner extends OwnerManifest {
  /** npm package name, e.g. `@partnergraph/police`. */
  packageName: string;
  /** Absolute path of the owner's folder. */
  dir: string;
  /** Absolute path of the compiled process entry. */
  entryPath: string;
  /** Absolute path of the compiled module exporting `subgraph`. */
  modulePath: string;
  /** Absolute path of the compiled module exporting `seed` (development and tests only). */
  seedPath: string;
  /** `POLICE` for POLICE_PORT, POLICE_DATABASE_URL, SUBGRAPH_POLICE_URL. */
  envPrefix: string;
}

export class RegistryError extends Error {}

const NAME = /^[a-z][a-z0-9]{1,30}$/;

/** The repository root (this package sits at packages/registry/{src,dist}). */
export function repoRoot(): string {
  return fileURLToPath(new URL('../../../', import.meta.url));
}

interface PackageJson {
  name?: string;
  main?: string;
  exports?: Record<string, string | { default?: string; types?: string }>;
  partnergraph?: Partial<OwnerManifest>;
}

function readPackage(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

function exportPath(pkg: PackageJson, subpath: string): string | undefined {
  const target = pkg.exports?.[subpath];
  if (typeof target === 'string') return target;
  if (target?.default) return target.default;
  return subpath === '.' ? pkg.main : undefined;
}

/** Reads and checks one owner's block; the message names the file and what is wrong. */
export function readOwnerManifest(dir: string): OwnerManifest {
  const file = join(dir, 'package.json');
  const block = readPackage(dir).partnergraph;
  const problems: string[] = [];
  if (!block) throw new RegistryError(`${file} has no "partnergraph" block (name, defaultPort, entry).`);
  if (typeof block.name !== 'string' || !NAME.test(block.name)) problems.push('"name" must be 2–31 lower-case letters and digits, starting with a letter');
  if (!Number.isInteger(block.defaultPort) || block.defaultPort! < 1024 || block.defaultPort! > 65535) problems.push('"defaultPort" must be an integer from 1024 to 65535');
  if (typeof block.entry !== 'string' || !block.entry.endsWith('.js')) problems.push('"entry" must name the compiled process entry (e.g. "dist/index.js")');
  if (problems.length) throw new RegistryError(`${file}, "partnergraph": ${problems.join('; ')}.`);
  return { name: block.name!, defaultPort: block.defaultPort!, entry: block.entry! };
}

function ownerAt(dir: string): Owner {
  const manifest = readOwnerManifest(dir);
  const pkg = readPackage(dir);
  const module = exportPath(pkg, '.');
  const seed = exportPath(pkg, './seed');
  const file = join(dir, 'package.json');
  if (!pkg.name) throw new RegistryError(`${file} has no "name".`);
  if (!module) throw new RegistryError(`${file} exports no main module (it must export \`subgraph\`).`);
  if (!seed) throw new RegistryError(`${file} has no "./seed" export (the module exporting \`seed\`).`);
  return {
    ...manifest,
    packageName: pkg.name,
    dir,
    entryPath: join(dir, manifest.entry),
    modulePath: join(dir, module),
    seedPath: join(dir, seed),
    envPrefix: manifest.name.toUpperCase(),
  };
}

/**
 * Every owner of the partnership, in start order (by default port). A folder
 * under subgraphs/ without a `partnergraph` block is not an owner; two owners
 * with one name or one port are refused.
 */
export function discoverOwners(root = repoRoot()): Owner[] {
  const base = join(root, 'subgraphs');
  const owners: Owner[] = [];
  for (const entry of readdirSync(base, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(base, entry.name);
    if (!existsSync(join(dir, 'package.json')) || !readPackage(dir).partnergraph) continue;
    owners.push(ownerAt(dir));
  }
  const clash = (key: 'name' | 'defaultPort') => {
    const seen = new Map<unknown, Owner>();
    for (const owner of owners) {
      const other = seen.get(owner[key]);
      if (other) throw new RegistryError(`Owners ${relative(root, other.dir)} and ${relative(root, owner.dir)} share the ${key} ${owner[key]}.`);
      seen.set(owner[key], owner);
    }
  };
  clash('name');
  clash('defaultPort');
  return owners.sort((a, b) => a.defaultPort - b.defaultPort);
}

/** One owner by name; the error lists the known ones. */
export function findOwner(name: string | undefined, root = repoRoot()): Owner {
  const owners = discoverOwners(root);
  const owner = owners.find((o) => o.name === name);
  if (!owner) throw new RegistryError(`${name ? `No owner named "${name}"` : 'Name an owner'}: one of ${owners.map((o) => o.name).join(', ')}.`);
  return owner;
}

/** The TypeScript source of a compiled file: `<pkg>/dist/a/b.js` → `<pkg>/src/a/b.ts` (every workspace builds src/ into dist/). */
export function sourceOf(compiled: string): string {
  const marker = '/dist/';
  const at = compiled.lastIndexOf(marker);
  if (at < 0 || !compiled.endsWith('.js')) throw new RegistryError(`${compiled} is not a compiled file under dist/.`);
  return `${compiled.slice(0, at)}/src/${compiled.slice(at + marker.length, -'.js'.length)}.ts`;
}

/** The folders of the root package.json's workspaces (`dir/*` patterns and plain folders). */
export function workspaceDirs(root = repoRoot()): string[] {
  const { workspaces = [] } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces?: string[] };
  const dirs: string[] = [];
  for (const pattern of workspaces) {
    if (pattern.endsWith('/*')) {
      const parent = join(root, pattern.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const entry of readdirSync(parent, { withFileTypes: true })) {
        if (entry.isDirectory() && existsSync(join(parent, entry.name, 'package.json'))) dirs.push(join(parent, entry.name));
      }
    } else if (existsSync(join(root, pattern, 'package.json'))) {
      dirs.push(join(root, pattern));
    }
  }
  return dirs;
}

/**
 * Module aliases that run every workspace package from its TypeScript source
 * (what the tests do): each export of each package, `@partnergraph/kit/testing`
 * included, mapped from its compiled file to its source.
 */
export function workspaceSourceAliases(root = repoRoot()): Array<{ find: RegExp; replacement: string }> {
  const aliases: Array<{ find: RegExp; replacement: string }> = [];
  for (const dir of workspaceDirs(root)) {
    const pkg = readPackage(dir);
    if (!pkg.name) continue;
    const subpaths = pkg.exports ? Object.keys(pkg.exports) : pkg.main ? ['.'] : [];
    for (const subpath of subpaths) {
      const target = exportPath(pkg, subpath);
      if (!target?.includes('dist/')) continue;
      const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
      aliases.push({ find: new RegExp(`^${specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`), replacement: sourceOf(join(dir, target)) });
    }
  }
  return aliases;
}

/** Where a file is relative to the repository, for messages. */
export const fromRoot = (path: string, root = repoRoot()) => relative(root, path) || '.';
