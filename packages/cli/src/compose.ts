import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeSchema, CompositionError } from './composeSchema.js';

/**
 * `npm run schema`: writes schema/subgraphs/*.graphql, schema/supergraph.graphql
 * and schema/api.graphql. `npm run schema:check`: fails, naming each stale
 * file, when the committed schema differs from what the code composes.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const check = process.argv.includes('--check');

try {
  const composed = await composeSchema();
  const files: Record<string, string> = {
    'schema/supergraph.graphql': composed.supergraph,
    'schema/api.graphql': composed.api,
  };
  for (const [name, sdl] of Object.entries(composed.subgraphs)) files[`schema/subgraphs/${name}.graphql`] = sdl;
  const stale: string[] = [];
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
