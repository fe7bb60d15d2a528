import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { canonicalHash } from '@partnergraph/gateway';
import { repoRoot } from '@partnergraph/registry';
import { parse, print } from 'graphql';
import { BaseError, resolveBase } from './base.js';
import { composeSchema, CompositionError } from './composeSchema.js';
import { checkSchema, formatSchemaReport, parseAccepted, type Operation } from './schemaCheck.js';

/**
 * `npm run schema`: writes schema/subgraphs/*.graphql, schema/supergraph.graphql
 * and schema/api.graphql.
 *
 * `npm run schema:check [-- --base <ref|file>]`: fails, naming each stale
 * file, when the committed schema differs from what the code composes; and
 * compares the composed API schema with the base branch's (see base.ts):
 * every change per owner, the registered operations each breaking change
 * touches and those that no longer validate, and a failure for a breaking
 * change not declared with a reason in schema/accepted-changes.json.
 */
const root = repoRoot();
const argv = process.argv.slice(2);
const baseOption = argv.includes('--base') ? argv[argv.indexOf('--base') + 1] : undefined;

/** The operations clients registered: the saved ones and the committed manifest's (deduplicated). */
function registeredOperations(): Operation[] {
  const ops = new Map<string, Operation>();
  const folder = join(root, 'schema/operations');
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.graphql')).sort()) {
    const query = readFileSync(join(folder, file), 'utf8');
    ops.set(print(parse(query)), { name: file.replace(/\.graphql$/, ''), query, source: `schema/operations/${file}` });
  }
  const manifestPath = join(root, 'schema/persisted-operations.json');
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, { name: string; query: string }>;
    for (const [hash, entry] of Object.entries(manifest)) {
      if (!ops.has(entry.query)) ops.set(entry.query, { name: entry.name, query: entry.query, source: `schema/persisted-operations.json (${hash.slice(0, 12)})` });
    }
  }
  return [...ops.values()];
}

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
  let failed = false;
  if (check) {
    const base = resolveBase(baseOption, root);
    const baseSubgraphs = Object.fromEntries(
      base
        .list('schema/subgraphs')
        .filter((f) => f.endsWith('.graphql'))
        .map((f) => [f.replace(/\.graphql$/, ''), base.read(`schema/subgraphs/${f}`) ?? '']),
    );
    const report = await checkSchema({
      baseApi: base.read('schema/api.graphql'),
      newApi: composed.api,
      baseSubgraphs,
      newSubgraphs: composed.subgraphs,
      operations: registeredOperations(),
      accepted: parseAccepted(existsSync(join(root, 'schema/accepted-changes.json')) ? readFileSync(join(root, 'schema/accepted-changes.json'), 'utf8') : null),
    });
    console.log(formatSchemaReport(report, base.label));
    failed = !report.ok;
  }
  if (stale.length) {
    console.error(`Committed schema differs from the code:\n${stale.map((s) => `- ${s}`).join('\n')}\nRun \`npm run schema\` and commit the result.`);
    failed = true;
  }
  if (failed) process.exit(1);
  console.log(check ? 'schema is up to date' : 'schema composed');
} catch (error) {
  console.error(error instanceof CompositionError || error instanceof BaseError ? error.message : error);
  process.exit(1);
}
