import { describe, expect, it } from 'vitest';
import { newSecret, sha256Hex } from './secrets.js';
import { isSpentToken, MAX_SPENT_RECORDS, SPENT_TOKEN_RECORD_BYTES, withSpentTokens } from './spent-tokens.js';

const now = new Date('2026-12-01T12:00:00Z');
const inOneHour = new Date(now.getTime() + 3_600_000);

describe('spent-token digests', () => {
  it('recognise exactly the tokens appended, until their expiry', () => {
    const spent = Array.from({ length: 5 }, () => sha256Hex(newSecret()));
    const list = withSpentTokens(
      null,
      spent.map((tokenHash) => ({ tokenHash, expiresAt: inOneHour })),
      now,
    );
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
    const list = withSpentTokens(
      null,
      [
        { tokenHash: a, expiresAt: soon },
        { tokenHash: b, expiresAt: inOneHour },
      ],
      now,
    );
    const c = sha256Hex('c');
    const next = withSpentTokens(
      list,
      [
        { tokenHash: c, expiresAt: inOneHour },
        { tokenHash: sha256Hex('expired'), expiresAt: now },
      ],
      new Date(soon.getTime() + 1),
    );
    expect(next.length).toBe(2 * SPENT_TOKEN_RECORD_BYTES);
    expect(isSpentToken(next, a, now)).toBe(false);
    expect(isSpentToken(next, b, now)).toBe(true);
    expect(isSpentToken(next, c, now)).toBe(true);
  });

  it('stay bounded however often one session rotates: the newest MAX_SPENT_RECORDS are kept', () => {
    // A session refreshing in a loop (successful refreshes are not rate-limited) adds one record per
    // rotation; the list, rewritten whole on every rotation, must not grow with them.
    const hashes = Array.from({ length: MAX_SPENT_RECORDS + 300 }, (_, i) => sha256Hex(`token ${i}`));
    let list: Uint8Array | null = null;
    for (let i = 0; i < hashes.length; i += 100) {
      list = withSpentTokens(
        list,
        hashes.slice(i, i + 100).map((tokenHash) => ({ tokenHash, expiresAt: inOneHour })),
        now,
      );
      expect(list.length).toBeLessThanOrEqual(MAX_SPENT_RECORDS * SPENT_TOKEN_RECORD_BYTES);
    }
    expect(list!.length).toBe(MAX_SPENT_RECORDS * SPENT_TOKEN_RECORD_BYTES);
    expect(isSpentToken(list, hashes.at(-1)!, now)).toBe(true);
    expect(isSpentToken(list, hashes[hashes.length - MAX_SPENT_RECORDS]!, now)).toBe(true);
    expect(isSpentToken(list, hashes[0]!, now)).toBe(false); // the oldest made room
  });
});
