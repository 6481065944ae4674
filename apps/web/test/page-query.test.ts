// The page server's refresh document with a page's query under AuthPayload.query (lib/ssr/page-query.ts).
import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate, visit, type SelectionSetNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ME, NOTES, SESSIONS, SIGN_IN } from '../src/lib/graphql';
import { refreshWithPageQuery } from '../src/lib/ssr/page-query';

// The API's own schema (generated from its type definitions by `pnpm codegen`).
const schema = buildSchema(readFileSync(new URL('./generated/schema.graphql', import.meta.url), 'utf8'));

describe('refreshWithPageQuery', () => {
  it('puts the page query under refreshAccessToken { query }, valid against the API schema, with __typename everywhere', () => {
    for (const page of [NOTES, SESSIONS, ME]) {
      const text = refreshWithPageQuery(page);
      const document = parse(text);
      expect(validate(schema, document)).toEqual([]);
      expect(text).toMatch(/^mutation RefreshAccessToken \{\s+refreshAccessToken \{/);
      // Every selection set but the operation's own asks for __typename (Apollo normalises by it).
      const sets: SelectionSetNode[] = [];
      visit(document, { SelectionSet: (set) => void sets.push(set) });
      const withoutTypename = sets.filter((set) => !set.selections.some((s) => s.kind === 'Field' && s.name.value === '__typename'));
      expect(withoutTypename).toHaveLength(1); // mutation { refreshAccessToken … }
      expect(text).toContain('query {');
      // One definition per fragment name, even where the page and the refresh share one (UserFields).
      const names = document.definitions.flatMap((d) => (d.kind === 'FragmentDefinition' ? [d.name.value] : []));
      expect(new Set(names).size).toBe(names.length);
    }
    expect(refreshWithPageQuery(NOTES)).toBe(refreshWithPageQuery(NOTES)); // composed once
  });

  it('refuses what is not one query without variables', () => {
    expect(() => refreshWithPageQuery(SIGN_IN as never)).toThrow('one query operation without variables');
    expect(() => refreshWithPageQuery(parse('query A { me { id } } query B { notes { id } }'))).toThrow();
    expect(() => refreshWithPageQuery(parse('query ($x: ID!) { me { id } }'))).toThrow();
    // A fragment of the refresh's own, redefined by the page, would change what the refresh reads.
    expect(() => refreshWithPageQuery(parse('query { me { ...UserFields } } fragment UserFields on User { id }'))).toThrow(
      'redefines fragment UserFields',
    );
  });
});
