// Sign-in floods and the argon2 gate (src/auth/passwords.ts): at most one argon2 computation per
// core runs, a bounded number waits, and beyond that a sign-in is refused at once with 429 and
// Retry-After — never a 500, never "wrong password", and nothing changes (OWASP Authentication CS,
// "Protect against automated attacks"; the per-address and per-account budgets are raised here so
// that only the gate can refuse).
import { SIGN_IN } from '@app/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUp } from '../support/flows.js';
import { errorCode, graphql } from '../support/http-client.js';
import { PASSWORD, startTestApi, uniqueEmail, type TestApi } from '../support/test-api.js';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ RATE_LIMIT_AUTH_PER_ADDRESS: '100000', RATE_LIMIT_SIGN_IN_PER_ACCOUNT: '100000' });
});
afterAll(() => t?.close());

it('a flood of sign-ins beyond the argon2 queue gets 429 RATE_LIMITED with Retry-After, the rest are answered', async () => {
  const known = await signUp(t.url);
  // Known and unknown e-mails, right and wrong passwords: the gate treats them alike.
  const attempts = Array.from({ length: 120 }, (_, i) =>
    i % 3 === 0
      ? { email: known.email, password: PASSWORD }
      : i % 3 === 1
        ? { email: known.email, password: 'wrong password, long' }
        : { email: uniqueEmail('nobody'), password: 'wrong password, long' },
  );
  const answers = await Promise.all(attempts.map((v) => graphql(t.url, SIGN_IN, v)));

  const refused = answers.filter((r) => r.status === 429);
  expect(refused.length).toBeGreaterThan(0);
  for (const r of refused) {
    expect(errorCode(r)).toBe('RATE_LIMITED');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(r.setCookies).toEqual([]); // no session was started
  }
  for (const r of answers) expect([200, 400, 429]).toContain(r.status);
  const accepted = answers.filter((r, i) => r.status === 200 && attempts[i]!.password === PASSWORD);
  expect(accepted.length).toBeGreaterThan(0);

  // Once the flood has drained, sign-in works again for known and unknown e-mails alike.
  const after = await graphql(t.url, SIGN_IN, { email: known.email, password: PASSWORD });
  expect(after.status).toBe(200);
  const unknown = await graphql(t.url, SIGN_IN, { email: uniqueEmail('nobody'), password: 'wrong password, long' });
  expect(unknown.status).toBe(400);
}, 120_000);
