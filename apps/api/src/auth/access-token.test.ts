// The verified-token cache is indexed by the end of a token (its signature), but it must remember
// exactly the tokens that verified in full and nothing else (RFC 8725 §3.1; THREATS T01, T02): a
// token that ends like a remembered one and differs anywhere else (header, payload, signature,
// extra characters) is no hit, and verifying it refuses it, as on a cold cache.
import fc from 'fast-check';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAccessTokens } from './access-token.js';
import { generatePrivateJwks, loadKeyRing } from './keys.js';

describe('verified-token cache: only the exact bytes of a verified token hit', async () => {
  const keys = await loadKeyRing({ jwks: await generatePrivateJwks('k'), dataDir: await mkdtemp(path.join(tmpdir(), 'k-')) });
  const tokens = createAccessTokens(keys, { issuer: 'i', audience: 'a', ttlSeconds: 60 });
  const { token } = await tokens.issue({
    userId: crypto.randomUUID(),
    sessionId: crypto.randomUUID(),
    fingerprintHash: 'c'.repeat(64),
    notAfter: new Date(Date.now() + 3600e3),
  });
  const signatureStart = token.lastIndexOf('.') + 1;
  const base64url = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.='.split(''));

  it('the token itself is remembered', async () => {
    expect(tokens.remembered(token)).toBeDefined();
    expect(await tokens.verify(token)).not.toBeNull();
  });

  it('T01 any other bytes before an unchanged signature: no hit, and refused', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Replace any span of the header and payload (possibly empty) by any other characters.
        fc.nat({ max: signatureStart - 1 }),
        fc.nat({ max: 40 }),
        fc.array(base64url, { maxLength: 40 }),
        async (from, length, inserted) => {
          const to = Math.min(from + length, signatureStart - 1);
          const forged = token.slice(0, from) + inserted.join('') + token.slice(to);
          fc.pre(forged !== token);
          expect(tokens.remembered(forged)).toBeUndefined();
          expect(await tokens.verify(forged)).toBeNull();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('T01 the token with characters added before or after it: no hit, and refused', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(base64url, { maxLength: 8 }), fc.array(base64url, { maxLength: 8 }), async (before, after) => {
        const forged = before.join('') + token + after.join('');
        fc.pre(forged !== token);
        expect(tokens.remembered(forged)).toBeUndefined();
        expect(await tokens.verify(forged)).toBeNull();
      }),
      { numRuns: 200 },
    );
  });
});
