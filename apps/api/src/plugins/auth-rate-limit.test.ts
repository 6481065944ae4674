import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { authAttempts } from './auth-rate-limit.js';

describe('authAttempts', () => {
  it('T35 counts every aliased field, with the e-mail each one targets', () => {
    const doc = parse(`mutation($e: String!) {
      a: signIn(email: $e, password: "x") { accessToken }
      b: signIn(email: "other@example.test", password: "x") { accessToken }
      c: refreshAccessToken { accessToken }
      d: changePassword(currentPassword: "x", newPassword: "y") { accessToken }
    }`);
    expect(authAttempts(doc, { e: 'victim@example.test' })).toEqual([
      { field: 'signIn', email: 'victim@example.test' },
      { field: 'signIn', email: 'other@example.test' },
      { field: 'refreshAccessToken' },
      { field: 'changePassword' },
    ]);
  });

  it('T42 spellings of one address share one budget (case, spaces, Unicode normalisation)', () => {
    const nfc = 'jos\u00e9@example.test';
    const nfd = 'jose\u0301@example.test';
    const doc = parse('mutation($a: String!, $b: String!) { x: signIn(email: $a, password: "p") { accessToken } y: signIn(email: $b, password: "p") { accessToken } }');
    const emails = authAttempts(doc, { a: ` ${nfd.toUpperCase()} `, b: nfc }).map((a) => a.email);
    expect(emails).toEqual([nfc, nfc]);
  });
});
