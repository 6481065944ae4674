// The introspection rule on its own, in Yoga's real request pipeline (`yoga.fetch`). Documents are
// generated: selections nested through aliases, inline and named fragments and @skip/@include,
// with `__schema` or `__type` placed anywhere a field can go (T38). Any document that names one is
// refused before execution, the same text again (validation cache) too; one that names neither
// runs. Defence-removal check: without the plugin, the first generated document with `__schema`
// answers with the schema.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { useNoIntrospection } from './no-introspection.js';

const yoga = createYoga({
  schema: createSchema({
    typeDefs: 'type Query { a: Int, b: B } type B { c: Int, b: B }',
    resolvers: { Query: { a: () => 1, b: () => ({}) }, B: { c: () => 2, b: () => ({}) } },
  }),
  logging: false,
  plugins: [useNoIntrospection()],
});

const INTROSPECTION = ['__schema { queryType { name } types { name } }', '__type(name: "B") { name fields { name } }'];

/** A selection set on type B (or Query: both have `b`), with introspection fields where asked. */
type Doc = { text: string; introspects: boolean; fragments: string[] };

const field = (depth: number): fc.Arbitrary<Doc> =>
  fc.oneof(
    fc.constantFrom('__typename', 'c').map((text): Doc => ({ text, introspects: false, fragments: [] })),
    ...(depth > 0
      ? [
          fc.tuple(fc.boolean(), selection(depth - 1)).map(([alias, s]) => ({ ...s, text: `${alias ? 'x: ' : ''}b { ${s.text} }` })),
          selection(depth - 1).map((s) => ({ ...s, text: `... on B { ${s.text} }` })),
          selection(depth - 1).map((s) => {
            // Named by its body: the same name always means the same fragment.
            const name = `F${createHash('sha256').update(s.text).digest('hex').slice(0, 16)}`;
            return { text: `...${name}`, introspects: s.introspects, fragments: [...s.fragments, `fragment ${name} on B { ${s.text} }`] };
          }),
          fc
            .tuple(fc.constantFrom('@skip(if: true)', '@include(if: false)', '@include(if: true)'), selection(depth - 1))
            .map(([d, s]) => ({ ...s, text: `... ${d} { ${s.text} }` })),
        ]
      : []),
  );

const selection = (depth: number): fc.Arbitrary<Doc> =>
  fc.array(field(depth), { minLength: 1, maxLength: 3 }).map((fs) => ({
    text: fs.map((f) => f.text).join(' '),
    introspects: fs.some((f) => f.introspects),
    fragments: fs.flatMap((f) => f.fragments),
  }));

/** A query document: `a` and `b { … }` at the root, an introspection field placed at the root or inside. */
const documentArb = fc
  .tuple(selection(3), fc.boolean(), fc.option(fc.tuple(fc.constantFrom(...INTROSPECTION), fc.boolean(), fc.nat(3))))
  .map(([inner, named, placed]) => {
    const meta = placed ? `${placed[1] ? 'm: ' : ''}${placed[0]}` : '';
    // Here only the root is of the Query type: under B the field is also invalid; refused either way.
    const root = placed && placed[2] === 0 ? `${meta} ` : '';
    const nested = placed && placed[2] > 0 ? ` ... on B { ${meta} }` : '';
    const text = `${named ? 'query Q ' : ''}{ a ${root}b { ${inner.text}${nested} } } ${[...new Set(inner.fragments)].join(' ')}`;
    return { text, introspects: placed !== null };
  });

const post = async (query: string) => {
  const response = await yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { message: string }[] } };
};

describe('useNoIntrospection', () => {
  it('T38 every generated document naming __schema or __type is refused before execution, twice; others run', async () => {
    await fc.assert(
      fc.asyncProperty(documentArb, async ({ text, introspects }) => {
        for (let i = 0; i < 2; i++) {
          const r = await post(text);
          if (introspects) {
            expect(r.body.data ?? null, text).toBeNull();
            expect(
              r.body.errors?.some((e) => /introspection is disabled/.test(e.message)),
              text,
            ).toBe(true);
            expect(JSON.stringify(r.body), text).not.toMatch(/"(Query|B|Int)"/);
          } else {
            expect(r.status, text).toBe(200);
            expect(r.body.errors, text).toBeUndefined();
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('__typename is not introspection: it still answers', async () => {
    expect((await post('{ __typename b { __typename } }')).body).toEqual({ data: { __typename: 'Query', b: { __typename: 'B' } } });
  });
});
