// GraphQL Code Generator: the schema's types, derived from the API's SDL, are the only types of
// schema shapes in the repo. `pnpm codegen` writes them (committed, so they can be read and
// reviewed); `pnpm codegen:check` — part of `pnpm lint`, so of `pnpm test` — fails when a committed
// file differs from what the current schema and documents produce. The output is left as the
// generator writes it (not Prettier-formatted) so that `graphql-codegen --check` compares like with like.
//
// The schema is read from the module that serves it (apps/api/src/graphql/type-defs.ts exports the
// SDL as `typeDefs`; the code-file loader plucks it), so there is no second copy to keep in step.
// One target per consumer goes under `generates`.
import type { CodegenConfig } from '@graphql-codegen/cli';

export const config: CodegenConfig = {
  schema: 'apps/api/src/graphql/type-defs.ts',
  // The contract's documents, written once as strings in @app/shared (the API's tests, e2e and
  // bench send them as they are).
  documents: ['packages/shared/src/operations.ts'],
  generates: {
    // The API: resolver signatures, so the resolvers are checked against the schema rather than
    // re-typed by hand (`satisfies MutationResolvers` in apps/api/src/graphql/resolvers/).
    'apps/api/src/graphql/generated/resolvers-types.ts': {
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
        // What the auth mutations return: AuthPayload.query is a GrantedQuery (graphql/context.ts).
        mappers: { AuthPayload: '../resolvers/auth.js#AuthPayloadModel' },
      },
    },
    // The web app: one TypedDocumentNode per operation (SignInDocument, NotesDocument, …) with its
    // result and variables types, for Apollo Client.
    'apps/web/src/generated/graphql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // Only the types the documents use (results, variables, fragments), not every schema type;
        // `__typename` appears where a document asks for it.
        onlyOperationTypes: true,
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
    // The web tests' stand-in API (apps/web/test/support/graphql-test-server.ts) serves the real
    // schema, so a document the API would reject fails there too.
    'apps/web/test/generated/schema.graphql': {
      plugins: ['schema-ast'],
      config: { includeDirectives: false, commentDescriptions: false },
    },
  },
};

export default config;
