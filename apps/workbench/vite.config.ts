import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { exampleVariables } from './src/exampleVariables';

const OPERATIONS = fileURLToPath(new URL('../../schema/operations/', import.meta.url));
const API_SCHEMA = fileURLToPath(new URL('../../schema/api.graphql', import.meta.url));
const VIRTUAL = 'virtual:registered-examples';

/**
 * The registered operations (schema/operations) as the workbench's ready
 * examples: name, text and variables to start from, read at build time.
 */
function registeredExamples(): Plugin {
  return {
    name: 'partnergraph-registered-examples',
    resolveId: (id) => (id === VIRTUAL ? `\0${VIRTUAL}` : undefined),
    load(id) {
      if (id !== `\0${VIRTUAL}`) return undefined;
      this.addWatchFile(API_SCHEMA);
      const schema = readFileSync(API_SCHEMA, 'utf8');
      const examples = readdirSync(OPERATIONS)
        .filter((file) => file.endsWith('.graphql'))
        .sort()
        .map((file) => {
          const query = readFileSync(`${OPERATIONS}${file}`, 'utf8');
          return { name: file.replace(/\.graphql$/, ''), query, variables: exampleVariables(schema, query) };
        });
      return `export default ${JSON.stringify(examples)};`;
    },
  };
}

// The gateway serves the build at /workbench/ (and the page itself at GET /graphql).
export default defineConfig({
  base: '/workbench/',
  plugins: [react(), registeredExamples()],
  build: { outDir: 'dist', sourcemap: true, target: 'es2022', chunkSizeWarningLimit: 4000 },
  server: { proxy: { '/graphql': process.env['PARTNERGRAPH_GATEWAY'] ?? 'http://127.0.0.1:4000', '/dev': process.env['PARTNERGRAPH_GATEWAY'] ?? 'http://127.0.0.1:4000' } },
});
