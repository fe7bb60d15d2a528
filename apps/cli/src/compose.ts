import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { canonicalHash } from '@partnergraph/gateway';
import { repoRoot } from '@partnergraph/registry';
import { parse, print } from 'graphql';
import { composeSchema, CompositionError } from './composeSchema.js';

/**
 * `npm run schema`: writes schema/subgraphs/*.graphql, schema/supergraph.graphql
 * and schema/api.graphql for every registered owner. `npm run schema:check`:
 * fails, naming each stale file, when the committed schema differs from what
 * the code composes.
 */
const root = repoRoot();
/** The registered operations, by the hash of their canonical text: what the safelist admits. */
function persistedOperations(folder: string): Record<string, { name: string; query: string }> {
  const manifest: Record<string, { name: string; query: string }> = {};
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.graphql')).sort()) {
    const query = print(parse(readFileSync(join(folder, file), 'utf8')));
    manifest[canonicalHash(query)] = { name: file.replace(/\.graphql$/, ''), query };
  }
  return manifest;
}
const check = process.argv.includes('--check');

try {
  const composed = await composeSchema();
  const files: Record<string, string> = {
    'schema/supergraph.graphql': composed.supergraph,
    'schema/api.graphql': composed.api,
  };
  for (const [name, sdl] of Object.entries(composed.subgraphs)) files[`schema/subgraphs/${name}.graphql`] = sdl;
  files['schema/persisted-operations.json'] = JSON.stringify(persistedOperations(join(root, 'schema/operations')), null, 2);
  const stale: string[] = [];
  // An owner that left the registry leaves no SDL behind.
  for (const file of readdirSync(join(root, 'schema/subgraphs')).filter((f) => f.endsWith('.graphql'))) {
    const path = `schema/subgraphs/${file}`;
    if (files[path] !== undefined) continue;
    if (check) stale.push(`${path} belongs to no registered owner`);
    else {
      rmSync(join(root, path));
      console.log(`removed ${path}`);
    }
  }
  for (const [file, content] of Object.entries(files)) {
    const path = join(root, file);
    const text = content.endsWith('\n') ? content : `${content}\n`;
    const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
    if (current === text) continue;
    if (check) {
      stale.push(`${file} ${current === null ? 'is missing' : 'is stale'}`);
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      console.log(`wrote ${relative(root, path)}`);
    }
  }
  if (stale.length) {
    console.error(`Committed schema differs from the code:\n${stale.map((s) => `- ${s}`).join('\n')}\nRun \`npm run schema\` and commit the result.`);
    process.exit(1);
  }
  console.log(check ? 'schema is up to date' : 'schema composed');
} catch (error) {
  console.error(error instanceof CompositionError ? error.message : error);
  process.exit(1);
}
