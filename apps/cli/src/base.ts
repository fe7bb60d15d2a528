import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { repoRoot } from '@partnergraph/registry';

/**
 * What a check compares against: the base branch's committed files. By default
 * the merge-base of HEAD with main (origin/main when it exists): on main
 * itself that is HEAD, so only uncommitted changes show. `--base <ref>` names
 * another commit; for the schema, `--base <file>` an API schema file.
 */
export interface Base {
  /** For reports: `main@1a2b3c4 (merge-base)`, a ref, or a file. */
  label: string;
  /** The file at the base, or null where it did not exist. */
  read(path: string): string | null;
  /** The names in a folder at the base. */
  list(folder: string): string[];
}

function git(args: string[], root: string): string | null {
  const result = spawnSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return result.status === 0 ? result.stdout : null;
}

export class BaseError extends Error {}

export function resolveBase(option: string | undefined, root = repoRoot()): Base {
  if (option && existsSync(option) && !git(['rev-parse', '--verify', '--quiet', `${option}^{commit}`], root)) {
    const text = readFileSync(option, 'utf8');
    return { label: option, read: (path) => (path === 'schema/api.graphql' ? text : null), list: () => [] };
  }
  let commit: string | null;
  let label: string;
  if (option) {
    commit = git(['rev-parse', '--verify', '--quiet', `${option}^{commit}`], root)?.trim() ?? null;
    if (!commit) throw new BaseError(`--base ${option}: neither a commit nor a file.`);
    label = commit.startsWith(option) ? commit.slice(0, 7) : `${option}@${commit.slice(0, 7)}`;
  } else {
    const branch = ['origin/main', 'main'].find((ref) => git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], root));
    if (!branch) throw new BaseError('No main branch to compare with: pass --base <ref|file>.');
    commit = git(['merge-base', 'HEAD', branch], root)?.trim() ?? null;
    if (!commit) throw new BaseError(`HEAD and ${branch} share no history: pass --base <ref|file>.`);
    label = `${branch}@${commit.slice(0, 7)} (merge-base)`;
  }
  return {
    label,
    read: (path) => git(['show', `${commit}:${path}`], root),
    list: (folder) => (git(['ls-tree', '--name-only', `${commit}:${folder}`], root) ?? '').split('\n').filter(Boolean),
  };
}
