import { describe, expect, it } from 'vitest';
import { MAX_REFRESH_MARGIN_MS, TokenStore, parseAccessToken, refreshMarginFor } from '../src/lib/auth/token-store';

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const jwt = (claims: Record<string, unknown>) => `${b64url({ alg: 'EdDSA', kid: 'k1' })}.${b64url(claims)}.sig`;

describe('refresh margin', () => {
  it('is a quarter of the lifetime, capped at 30 s', () => {
    expect(refreshMarginFor(4_000)).toBe(1_000); // tiny test TTL: still leaves 3 s of normal use
    expect(refreshMarginFor(60_000)).toBe(15_000);
    expect(refreshMarginFor(300_000)).toBe(MAX_REFRESH_MARGIN_MS);
    expect(refreshMarginFor(900_000)).toBe(MAX_REFRESH_MARGIN_MS);
    expect(refreshMarginFor(-5)).toBe(0);
  });
});

describe('parseAccessToken', () => {
  it('counts the lifetime from reception, so a skewed browser clock does not matter', () => {
    // Server clock says 2027; the browser thinks it is 1970 + 5 s. exp − iat = 300 s either way.
    const t = parseAccessToken(jwt({ iat: 1_800_000_000, exp: 1_800_000_300, jti: 'a' }), 5_000);
    expect(t.expiresAt).toBe(5_000 + 300_000);
    expect(t.refreshMargin).toBe(30_000);
    expect(t.header).toEqual({ alg: 'EdDSA', kid: 'k1' });
    expect(t.claims.jti).toBe('a');
  });

  it('refuses a token without a numeric exp', () => {
    expect(() => parseAccessToken(jwt({ iat: 1 }), 0)).toThrow(/exp/);
    expect(() => parseAccessToken('not-a-jwt', 0)).toThrow();
  });
});

describe('TokenStore', () => {
  it('holds one token in memory and reports when it needs a refresh', () => {
    let now = 0;
    const store = new TokenStore(() => now);
    expect(store.get()).toBeNull();
    expect(store.needsRefresh()).toBe(false); // no token: nothing to refresh (anonymous)

    store.set(jwt({ iat: 100, exp: 104 })); // 4 s lifetime → 1 s margin
    expect(store.msUntilExpiry()).toBe(4_000);
    now = 2_999;
    expect(store.needsRefresh()).toBe(false);
    now = 3_000;
    expect(store.needsRefresh()).toBe(true);
    now = 10_000;
    expect(store.needsRefresh()).toBe(true); // expired is "needs refresh", not "no token"
  });

  it('notifies subscribers on change, not when the same token is set again', () => {
    const store = new TokenStore(() => 0);
    let calls = 0;
    const off = store.subscribe(() => (calls += 1));
    const token = jwt({ iat: 1, exp: 2 });
    expect(store.set(token)).toBe(true);
    expect(store.set(token)).toBe(false);
    expect(calls).toBe(1);
    store.clear({ ended: true });
    expect(calls).toBe(2);
    off();
    store.set(jwt({ iat: 1, exp: 3 }));
    expect(calls).toBe(2);
  });

  it('distinguishes "signed out" from "never signed in"', () => {
    const store = new TokenStore(() => 0);
    expect(store.ended).toBe(false);
    store.set(jwt({ iat: 1, exp: 2 }));
    store.clear({ ended: true });
    expect(store.ended).toBe(true);
    expect(store.get()).toBeNull();
    store.set(jwt({ iat: 1, exp: 5 }));
    expect(store.ended).toBe(false);
  });
});
