// OWASP GraphQL CS, "Introspection + GraphiQL": outside development the schema is not handed out
// (THREATS T38). Introspection is reachable only through two meta-fields, `__schema` and `__type`
// (GraphQL spec §4.2, "Schema Introspection"; every name starting with `__` is reserved, so no
// other field leads there). graphql-js serves them wherever the parent type is the query type,
// not only at the root: here also under `AuthPayload.query`. So the rule refuses both names
// wherever they appear in the document, before anything executes. The validation cache
// (./validation-cache.ts) reuses a result only under the same rules, so a cached document was
// judged under this rule too.
//
// Why not @graphql-yoga/plugin-disable-introspection: it decides per request, remembering every
// request in a WeakSet from parse to validation, a cost every request pays for a decision that is
// always the same here (issue 12, bench/HISTORY.md). And why not graphql-js's
// NoSchemaIntrospectionCustomRule: it recognises introspection types with `instanceof`, which is
// false when a second copy of graphql-js is loaded (as under a test runner); the rule then throws
// (a 500) or, with NODE_ENV=production, lets the query through. Names are the same in every copy.
import type { ASTVisitor, ValidationContext } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

export function NoIntrospectionRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      if (!INTROSPECTION_FIELDS.has(node.name.value)) return;
      context.reportError(
        createGraphQLError(`GraphQL introspection is disabled, but the query asked for "${node.name.value}"`, { nodes: node }),
      );
    },
  };
}

export function useNoIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoIntrospectionRule);
    },
  };
}
