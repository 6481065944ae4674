// The validation cache in Yoga's real request pipeline (`yoga.fetch`). A remembered result is
// reused only under the same schema and the same rules: generated sequences of requests, each with
// its own document, schema and rule set (rules added by plugins before and after the cache, some
// created anew per request as graphql-armor's are), answer exactly as a server that validates every
// request. Defence-removal check: with the schema comparison or the rule comparison dropped from
// `remember`, the property fails (a document valid under one is answered under the other); without
// reading the errors' stacks, the refused requests stay in memory.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { GraphQLError, type ValidationRule } from 'graphql';
import { describe, expect, it } from 'vitest';
import { useValidationCache } from './validation-cache.js';

const schemas = [
  createSchema({ typeDefs: 'type Query { a: Int, b: Int }', resolvers: { Query: { a: () => 1, b: () => 2 } } }),
  createSchema({ typeDefs: 'type Query { a: Int, c: Int }', resolvers: { Query: { a: () => 1, c: () => 3 } } }),
];

let validations = 0;
/** Counts validations that reach graphql-js (a rule is called once per validation). */
const CountingRule: ValidationRule = () => {
  validations++;
  return {};
};

const refusing = (field: string): ValidationRule => {
  // A named function: the name is what a rule created anew is recognised by.
  const rule: ValidationRule = (context) => ({
    Field(node) {
      if (node.name.value === field) context.reportError(new GraphQLError(`refused: ${field}`, { nodes: node }));
    },
  });
  Object.defineProperty(rule, 'name', { value: `Refuse_${field}` });
  return rule;
};
const RefuseA = refusing('a');

/** Rules chosen per request by the `x-rules` header: bit 1 a fixed rule, bit 2 one created anew for each request. */
const rulesFromHeader = (): Plugin => ({
  onValidate({ addValidationRule, context }) {
    const bits = Number((context as { request: Request }).request.headers.get('x-rules') ?? 0);
    if (bits & 1) addValidationRule(RefuseA);
    if (bits & 2) addValidationRule(refusing('b'));
  },
});
const counting = (): Plugin => ({ onValidate: ({ addValidationRule }) => addValidationRule(CountingRule) });

const server = (cache: 'ours' | 'none', rulesAfterCache = false) =>
  createYoga({
    schema: (context: { request: Request }) => schemas[Number(context.request.headers.get('x-schema') ?? 0)]!,
    logging: false,
    parserAndValidationCache: { validationCache: false },
    plugins:
      cache === 'none'
        ? [counting(), rulesFromHeader()]
        : rulesAfterCache
          ? [counting(), useValidationCache(), rulesFromHeader()]
          : [counting(), rulesFromHeader(), useValidationCache()],
  });

type Yoga = ReturnType<typeof server>;
const post = async (yoga: Yoga, query: string, schema = 0, rules = 0) => {
  const response = await yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-schema': String(schema), 'x-rules': String(rules) },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as unknown };
};

const DOCUMENTS = ['{ a }', '{ b }', '{ c }', '{ a b }', '{ a c }', '{ ... on Query { b } }', '{ x: a }', '{ __typename }', '{ d }'];
const request = fc.record({ document: fc.constantFrom(...DOCUMENTS), schema: fc.constantFrom(0, 1), rules: fc.constantFrom(0, 1, 2, 3) });

describe('useValidationCache', () => {
  it('validates a document once, and keeps refusing one it refused', async () => {
    const yoga = server('ours');
    validations = 0;
    for (let i = 0; i < 3; i++) expect((await post(yoga, '{ a }')).body).toEqual({ data: { a: 1 } });
    expect(validations).toBe(1);
    for (let i = 0; i < 3; i++) {
      const refused = await post(yoga, '{ a }', 0, 1);
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain('refused: a');
    }
    expect(validations).toBe(2);
  });

  for (const rulesAfterCache of [false, true]) {
    it(`answers every generated sequence as a server that validates every request (rules added ${rulesAfterCache ? 'after' : 'before'} the cache)`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 12 }), async (requests) => {
          // Fresh servers per sequence: Yoga's parse cache would otherwise carry documents over.
          const [cached, reference] = [server('ours', rulesAfterCache), server('none')];
          for (const r of requests) {
            const [got, expected] = await Promise.all([
              post(cached, r.document, r.schema, r.rules),
              post(reference, r.document, r.schema, r.rules),
            ]);
            expect(got, JSON.stringify(r)).toEqual(expected);
          }
        }),
        { numRuns: 300 },
      );
    });
  }

  it('keeps no refused request in memory: a remembered error holds its stack as text only', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const requests: WeakRef<Request>[] = [];
    const spy: Plugin = { onValidate: ({ context }) => void requests.push(new WeakRef((context as { request: Request }).request)) };
    const yoga = createYoga({
      schema: schemas[0]!,
      logging: false,
      parserAndValidationCache: { validationCache: false },
      plugins: [spy, counting(), useValidationCache()],
    });
    // Each document refused by graphql-js's own rules (an unknown field), then remembered.
    const refused = async (document: string) => JSON.stringify((await post(yoga, document)).body).includes('GRAPHQL_VALIDATION_FAILED');
    for (let i = 0; i < 20; i++) expect(await refused(`{ a${i}: nope }`)).toBe(true);
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      gc();
    }
    expect(requests).toHaveLength(20);
    expect(requests.filter((r) => r.deref() !== undefined)).toHaveLength(0);
    // Still remembered, still refused, without validating again.
    validations = 0;
    expect(await refused('{ a0: nope }')).toBe(true);
    expect(validations).toBe(0);
  });
});
