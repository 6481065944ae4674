// The verified-token cache must remember exactly the tokens that verified in full and nothing else
// (RFC 8725 §3.1; THREATS T01, T02). A token that ends like a remembered one (same signature end)
// and differs anywhere else (header, payload, the rest of the signature, a letter's case, extra or
// foreign characters) is no hit, and verifying it refuses it, as on a cold cache. Both signing
// algorithms. These spellings are the ones a cache indexed by the signature would have to refuse
// (tried and not kept: ADR 0016, last addendum); with the exact token as the key they all miss.
import fc from 'fast-check';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAccessTokens } from './access-token.js';
import { generatePrivateJwks, loadKeyRing, type SigningAlgorithm } from './keys.js';

/** How much of a token's end the spellings below keep: 256 bits' worth of its signature. */
const END = 43;
const base64url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('');
/** Characters a token never has, including ones that fold or normalise to letters. */
const foreign = [' ', '\t', '\n', '\0', '.', '=', '+', '/', 'é', 'ſ', '\u212A', '\u0130', '\uFF21', '\uD800', '\uDC00', '\u{1F600}'];
const anyCharacter = fc.oneof(fc.constantFrom(...base64url), fc.constantFrom(...foreign), fc.string({ unit: 'grapheme', maxLength: 1 }));

describe.each<SigningAlgorithm>(['EdDSA', 'ES256'])('verified-token cache (%s): only the exact token hits', async (alg) => {
  const keys = await loadKeyRing({ jwks: await generatePrivateJwks('k', alg), dataDir: await mkdtemp(path.join(tmpdir(), 'k-')) });
  const tokens = createAccessTokens(keys, { issuer: 'i', audience: 'a', ttlSeconds: 60 });
  const { token } = await tokens.issue({
    userId: crypto.randomUUID(),
    sessionId: crypto.randomUUID(),
    fingerprintHash: 'c'.repeat(64),
    notAfter: new Date(Date.now() + 3600e3),
  });
  const endStart = token.length - END;

  /** Not remembered, and refused by the full verification. */
  async function refused(forged: string) {
    expect(tokens.remembered(forged)).toBeUndefined();
    expect(await tokens.verify(forged)).toBeNull();
  }

  it('the token itself is remembered and accepted', async () => {
    expect(tokens.remembered(token)).toBeDefined();
    expect(await tokens.verify(token)).not.toBeNull();
  });

  it('T01 any span before its last 43 characters replaced (header, payload, signature): refused', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: endStart }),
        fc.nat({ max: endStart }),
        fc.array(anyCharacter, { maxLength: 48 }),
        async (from, length, inserted) => {
          const to = Math.min(from + length, endStart);
          const forged = token.slice(0, from) + inserted.join('') + token.slice(to);
          fc.pre(forged !== token);
          await refused(forged);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('T01 one character changed between the last "." and the last 43 (the first half of the signature): refused', async () => {
    const signatureStart = token.lastIndexOf('.') + 1;
    expect(signatureStart).toBeLessThan(endStart);
    for (let i = signatureStart; i < endStart; i++) {
      const replacement = token[i] === 'A' ? 'B' : 'A';
      await refused(token.slice(0, i) + replacement + token.slice(i + 1));
    }
  });

  it('T01 one letter of it in the other case: refused', async () => {
    for (let i = 0; i < endStart; i++) {
      const c = token[i]!;
      const flipped = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
      if (flipped === c) continue;
      await refused(token.slice(0, i) + flipped + token.slice(i + 1));
    }
  });

  it('T01 characters added before or after it, or only its end: refused', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyCharacter, { maxLength: 8 }), fc.array(anyCharacter, { maxLength: 8 }), async (before, after) => {
        const forged = before.join('') + token + after.join('');
        fc.pre(forged !== token);
        await refused(forged);
      }),
      { numRuns: 300 },
    );
    for (const n of [1, 20, END - 1, END, END + 1, END + 43]) await refused(token.slice(-n));
    await refused('');
  });
});
