// Every error carries a contract code; request errors are 400, nothing leaks internals (T40).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, graphql } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

describe('error shape', () => {
  it('syntax, validation and variable errors are BAD_USER_INPUT', async () => {
    for (const [query, variables] of [
      ['{ me { id ', {}],
      ['{ nope }', {}],
      ['mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { accessToken } }', { e: 1 }],
    ] as const) {
      const r = await graphql(t.url, query, variables);
      expect(r.status, query).toBe(400);
      expect(errorCode(r), query).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(r.body)).not.toMatch(/stack|at \w+ \(|prisma|SELECT/i);
    }
  });

  it('field suggestions do not leak the schema outside development', async () => {
    const r = await graphql(t.url, '{ sesions { id } }');
    expect(JSON.stringify(r.body)).not.toContain('Did you mean');
  });
});
