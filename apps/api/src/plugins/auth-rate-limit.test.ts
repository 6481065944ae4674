// What the rate limit counts: every rate-limited field of the operation that runs, with the
// arguments the resolver receives. The integration tests (test/attacks/rate-limit-spellings.test.ts)
// show the same over HTTP; these run the extraction alone over many spellings.
import fc from 'fast-check';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../auth/credentials.js';
import { schema } from '../graphql/schema.js';
import { signInSpellings } from '../../test/support/spellings.js';
import { limitedCalls } from './auth-rate-limit.js';

const calls = (query: string, variables: Record<string, unknown> = {}, operationName?: string) =>
  limitedCalls({ schema, document: parse(query), variableValues: variables, operationName: operationName ?? null });

describe('limitedCalls', () => {
  it('T35 counts every aliased field, with the arguments each one receives', () => {
    const found = calls(
      `mutation($e: String!) {
        a: signIn(email: $e, password: "x") { accessToken }
        b: signIn(email: "other@example.test", password: "x") { accessToken }
        c: refreshAccessToken { accessToken }
        d: changePassword(currentPassword: "x", newPassword: "y") { accessToken }
      }`,
      { e: 'victim@example.test' },
    );
    expect(found.map((c) => [c.field, c.responseKey, c.args.email])).toEqual([
      ['signIn', 'a', 'victim@example.test'],
      ['signIn', 'b', 'other@example.test'],
      ['refreshAccessToken', 'c', undefined],
      ['changePassword', 'd', undefined],
    ]);
  });

  it("T56 a variable's default value is the e-mail the resolver receives (the verified bypass)", () => {
    const found = calls('mutation($e: String! = "victim@example.test", $p: String!) { signIn(email: $e, password: $p) { accessToken } }', {
      p: 'guess',
    });
    expect(found.map((c) => c.args.email)).toEqual(['victim@example.test']);
  });

  it('T56 every spelling of sign-in at one account yields one attempt per field at that account', () => {
    const email = 'josé.victim@example.test';
    fc.assert(
      fc.property(signInSpellings(email, 'guess'), (s) => {
        const found = calls(s.query, s.variables);
        expect(found, s.query).toHaveLength(s.fields);
        for (const c of found) expect(normalizeEmail(c.args.email as string), s.query).toBe(email);
      }),
      { numRuns: 300 },
    );
  });

  it('only the operation that runs is counted, and nothing when execution would refuse the variables', () => {
    const doc = 'query Q { __typename } mutation M { signUp(email: "a@example.test", password: "p") { accessToken } }';
    expect(calls(doc, {}, 'Q')).toEqual([]);
    expect(calls(doc, {}, 'M')).toHaveLength(1);
    expect(calls('mutation($e: String!) { signIn(email: $e, password: "p") { accessToken } }', {})).toEqual([]);
  });
});
