import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { workspaceSourceAliases } from './packages/registry/src/index.js';
import { detectServices } from './test/support/services.js';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig(async () => ({
  // esbuild emits no decorator metadata; swc does, as type-graphql expects.
  plugins: [
    swc.vite({
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2022',
      },
    }),
  ],
  resolve: {
    alias: [
      // type-graphql loads graphql's CommonJS build; use the same one everywhere (one realm).
      { find: /^graphql$/, replacement: 'graphql/index.js' },
      // Tests run every workspace package from source: one alias per export, generated from the
      // packages' exports (the owners' included, found by the registry), so a new owner needs no line here.
      ...workspaceSourceAliases(root),
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'subgraphs/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'gateway/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    env: { LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'error', ...(await detectServices()) },
    server: { deps: { inline: [/@partnergraph\//] } },
  },
}));
