import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { detectServices } from './test/support/services.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

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
      // Tests run the workspace packages from source.
      { find: /^@partnergraph\/subgraph-kit\/testing$/, replacement: here('./packages/kit/src/testing.ts') },
      { find: /^@partnergraph\/subgraph-kit$/, replacement: here('./packages/kit/src/index.ts') },
      { find: /^@partnergraph\/common$/, replacement: here('./packages/common/src/index.ts') },
      { find: /^@partnergraph\/synthetic$/, replacement: here('./packages/synthetic/src/index.ts') },
      { find: /^@partnergraph\/police$/, replacement: here('./subgraphs/police/src/server.ts') },
      { find: /^@partnergraph\/municipality$/, replacement: here('./subgraphs/municipality/src/server.ts') },
      { find: /^@partnergraph\/housing$/, replacement: here('./subgraphs/housing/src/server.ts') },
      { find: /^@partnergraph\/gateway$/, replacement: here('./gateway/src/index.ts') },
      { find: /^@partnergraph\/operations$/, replacement: here('./packages/operations/src/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'subgraphs/*/test/**/*.test.ts', 'gateway/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    env: { LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'error', ...(await detectServices()) },
    server: { deps: { inline: [/@partnergraph\//] } },
  },
}));
