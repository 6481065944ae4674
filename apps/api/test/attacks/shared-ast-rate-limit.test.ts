// the "names no limited field" memo is per parsed document. The same text (same cached
// AST) run with another operationName or variables must still be counted when it signs in.
import { CSRF_HEADER } from '@app/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/test-api.js';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ RATE_LIMIT_WINDOW_SECONDS: '600', RATE_LIMIT_SIGN_IN_PER_ACCOUNT: '100', RATE_LIMIT_AUTH_PER_ADDRESS: '3' });
});
afterAll(() => t?.close());

async function post(address: string, body: object) {
  const r = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1', 'x-forwarded-for': address },
    body: JSON.stringify(body),
  });
  return r.status;
}

const DOC = `
  query A { __typename }
  mutation B($e: String! = "victim@example.com", $skip: Boolean! = true) {
    ...F @skip(if: $skip)
  }
  fragment F on Mutation { x: signIn(email: $e, password: "wrong-password-123") { accessToken } }
`;

describe('shared AST, other operation', () => {
  it('operation A first (memo computed), then B: B is still counted and refused after the budget', async () => {
    const address = '198.51.100.7';
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      await post(address, { query: DOC, operationName: 'A' });
      statuses.push(await post(address, { query: DOC, operationName: 'B', variables: { skip: i % 2 === 0 } }));
    }
    expect(statuses.slice(3).every((s) => s === 429)).toBe(true);
  });
});
