import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { workspaceSourceAliases } from '@partnergraph/registry';

const SPECIFIERS = /(?:^|\n)\s*(import|export)\s([^'"`;]*?)from\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

/** Erased at compile time: `import type …`, or braces holding only `type X` names. */
function typeOnly(clause: string): boolean {
  const c = clause.trim();
  if (c.startsWith('type ')) return true;
  const braces = /^\{([^}]*)\}$/.exec(c);
  return !!braces && braces[1]!.split(',').map((n) => n.trim()).filter(Boolean).every((n) => n.startsWith('type '));
}

/** The module specifiers a TypeScript source loads (imports, re-exports, side effects, literal dynamic imports); type-only imports left out. */
export function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(SPECIFIERS)) {
    if (m[3] !== undefined) {
      if (!typeOnly(m[2]!)) out.push(m[3]);
    } else {
      out.push((m[4] ?? m[5])!);
    }
  }
  return out;
}

/**
 * Every workspace source file a file reaches through its imports, as the
 * program would load it: relative imports and workspace packages (by their
 * source, as the tests run them), third-party packages left out.
 */
export function reachableSources(entry: string, root: string): Map<string, string[]> {
  const aliases = workspaceSourceAliases(root);
  const resolveSpecifier = (from: string, spec: string): string | null => {
    if (spec.startsWith('.')) {
      const target = resolve(dirname(from), spec);
      const ts = target.replace(/\.js$/, '.ts');
      return existsSync(ts) ? ts : existsSync(target) ? target : null;
    }
    return aliases.find((a) => a.find.test(spec))?.replacement ?? null;
  };
  /** File → the chain of files that led to it (for messages). */
  const seen = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  while (queue.length) {
    const file = queue.shift()!;
    if (!file.endsWith('.ts')) continue;
    for (const spec of importsOf(file)) {
      const target = resolveSpecifier(file, spec);
      if (!target || seen.has(target)) continue;
      seen.set(target, [...seen.get(file)!, target]);
      queue.push(target);
    }
  }
  return seen;
}
