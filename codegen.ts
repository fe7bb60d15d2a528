import type { CodegenConfig } from '@graphql-codegen/cli';

/** Typed document nodes for the saved operations, over the composed client-facing schema. */
const config: CodegenConfig = {
  schema: 'schema/api.graphql',
  documents: 'schema/operations/**/*.graphql',
  generates: {
    'packages/operations/src/generated.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { LocalDate: 'string', DateTime: 'string' },
        skipTypename: true,
      },
    },
  },
  hooks: { afterAllFileWrite: [] },
};

export default config;
