import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const MANIFEST = fileURLToPath(new URL('../../schema/persisted-operations.json', import.meta.url));
const VIRTUAL = 'virtual:registered-operations';

/**
 * The app sends only the hash of a registered operation (the safelist), never
 * query text: this module maps each operation name to its registered hash.
 */
function registeredOperations(): Plugin {
  return {
    name: 'partnergraph-registered-operations',
    resolveId: (id) => (id === VIRTUAL ? `\0${VIRTUAL}` : undefined),
    load(id) {
      if (id !== `\0${VIRTUAL}`) return undefined;
      this.addWatchFile(MANIFEST);
      const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, { name: string }>;
      const hashes = Object.fromEntries(Object.entries(manifest).map(([hash, { name }]) => [name, hash]));
      return `export default ${JSON.stringify(hashes)};`;
    },
  };
}

// `npm run dev -w @partnergraph/web`: Vite's dev server, with the gateway (npm start) behind /graphql and /dev.
const gateway = process.env['PARTNERGRAPH_GATEWAY'] ?? 'http://127.0.0.1:4000';

export default defineConfig({
  plugins: [react(), registeredOperations()],
  build: { outDir: 'dist', sourcemap: true, target: 'es2022' },
  server: { proxy: { '/graphql': gateway, '/dev': gateway } },
});
