// Validation results remembered per parsed document, so that a document seen before is not
// validated again: Yoga's parse cache hands out one DocumentNode per query text, and the same
// document under the same schema and the same rules always validates the same way.
//
// WHY not Yoga's own validation cache (turned off in server.ts): it keys each result by the names
// of the rules in force, mapped and joined into one new string on every request (~30 rules here,
// graphql-js's and graphql-armor's) and looked up in an LRU map, which hashes that string anew:
// ~24,000 instructions per request, counted by callgrind (issue 12, bench/HISTORY.md). Here the
// key is the same, compared rule by rule with the rules remembered beside the result: most are the
// very same functions (graphql-js's rules, ours), and only graphql-armor's, which it creates anew
// for every request, are compared by name, as Yoga's key compares every rule.
//
// It wraps the validate function itself, so it sees the final rule list whatever order the plugins
// that add rules come in, and a result is reused only under the same validate function, schema and
// rules. A result with errors is remembered too (graphql-js's own, the introspection rule's: T38),
// so a refused document stays refused. graphql-armor's limits throw instead (T37): nothing is
// remembered, and such a document is validated, and refused, again on every request, as before.
import type { DocumentNode, GraphQLError, GraphQLSchema, ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** graphql-js's `validate`: schema, document, rules, then options and a TypeInfo, which Yoga never passes. */
type Validate = (
  schema: GraphQLSchema,
  document: DocumentNode,
  rules?: readonly ValidationRule[],
  ...more: unknown[]
) => readonly GraphQLError[];

type Remembered = { schema: GraphQLSchema; rules: readonly ValidationRule[]; names: readonly string[]; errors: readonly GraphQLError[] };

export function useValidationCache(): Plugin {
  const wrappers = new WeakMap<Validate, Validate>();
  return {
    onValidate({ validateFn, setValidationFn }) {
      const validate = validateFn as Validate;
      let remembering = wrappers.get(validate);
      if (!remembering) {
        remembering = remember(validate);
        wrappers.set(validate, remembering);
      }
      setValidationFn(remembering);
    },
  };
}

function remember(validate: Validate): Validate {
  // Weak: an entry lives as long as the parse cache keeps its document.
  const byDocument = new WeakMap<DocumentNode, Remembered>();
  return (schema, document, rules, ...more) => {
    // Only the plain call Yoga makes; anything else is validated as asked, every time.
    if (rules === undefined || more.some((argument) => argument !== undefined)) return validate(schema, document, rules, ...more);
    const known = byDocument.get(document);
    if (known && known.schema === schema && sameRules(known, rules)) return known.errors;
    const errors = validate(schema, document, rules);
    // Each error's stack is read once, so V8 formats it now: until read, V8 keeps the trace
    // unformatted, and that holds the frames' objects, the request that first sent the document
    // among them (its token, cookies and variables). Remembered, they would stay in memory as long
    // as the document does; formatted, only the text stays. (Yoga's own cache keeps them.)
    for (const error of errors) void error.stack;
    byDocument.set(document, { schema, rules: [...rules], names: rules.map((rule) => rule.name), errors });
    return errors;
  };
}

/** The same rules in the same order: the same function, or one of the same name (Yoga's key). */
function sameRules(known: Remembered, rules: readonly ValidationRule[]): boolean {
  if (known.rules.length !== rules.length) return false;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (rule !== known.rules[i] && rule.name !== known.names[i]) return false;
  }
  return true;
}
