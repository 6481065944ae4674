import { describe, expect, it } from 'vitest';
import { newSecret, sha256Hex } from './secrets.js';
import { isSpentToken, SPENT_TOKEN_RECORD_BYTES, withSpentTokens } from './spent-tokens.js';

const now = new Date('2026-12-01T12:00:00Z');
const inOneHour = new Date(now.getTime() + 3_600_000);

describe('spent-token digests', () => {
  it('recognise exactly the tokens appended, until their expiry', () => {
    const spent = Array.from({ length: 5 }, () => sha256Hex(newSecret()));
    const list = withSpentTokens(null, spent.map((tokenHash) => ({ tokenHash, expiresAt: inOneHour })), now);
    expect(list.length).toBe(5 * SPENT_TOKEN_RECORD_BYTES);
    for (const h of spent) expect(isSpentToken(list, h, now)).toBe(true);
    expect(isSpentToken(list, sha256Hex(newSecret()), now)).toBe(false);
    expect(isSpentToken(null, spent[0]!, now)).toBe(false);
    // After the tokens' own expiry they are neither recognised nor kept.
    const later = new Date(inOneHour.getTime() + 1000);
    expect(isSpentToken(list, spent[0]!, later)).toBe(false);
    expect(withSpentTokens(list, [], later).length).toBe(0);
  });

  it('drop expired records when appending, keep the rest in order', () => {
    const soon = new Date(now.getTime() + 10_000);
    const a = sha256Hex('a');
    const b = sha256Hex('b');
    const list = withSpentTokens(null, [{ tokenHash: a, expiresAt: soon }, { tokenHash: b, expiresAt: inOneHour }], now);
    const c = sha256Hex('c');
    const next = withSpentTokens(list, [{ tokenHash: c, expiresAt: inOneHour }, { tokenHash: sha256Hex('expired'), expiresAt: now }], new Date(soon.getTime() + 1));
    expect(next.length).toBe(2 * SPENT_TOKEN_RECORD_BYTES);
    expect(isSpentToken(next, a, now)).toBe(false);
    expect(isSpentToken(next, b, now)).toBe(true);
    expect(isSpentToken(next, c, now)).toBe(true);
  });
});
