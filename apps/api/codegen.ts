// GraphQL Code Generator: resolver signatures from the API's SDL (src/graphql/type-defs.ts), so
// the resolvers are checked against the schema rather than re-typed by hand. The output is
// committed; `pnpm codegen:check` (run by `pnpm typecheck`) fails when it is stale.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'src/graphql/type-defs.ts',
  generates: {
    'src/graphql/generated/resolvers-types.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        contextType: '../context.js#AppContext',
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { ID: 'string' },
        // Resolvers may return plain objects or promises of them; parents are the GraphQL shapes.
        useIndexSignature: false,
        optionalResolveType: true,
      },
    },
  },
};

export default config;
