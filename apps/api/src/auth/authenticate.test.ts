// the remembered-token lookup runs before the header grammar. Every header the grammar
// refuses must still be refused when its bytes contain a remembered token.
import { describe, expect, it } from 'vitest';
import { createAccessTokens } from './access-token.js';
import { authenticate } from './authenticate.js';
import { generatePrivateJwks, loadKeyRing } from './keys.js';
import { newSecret, sha256Hex } from './secrets.js';
import { isValidHost } from '../http/request-edge.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

describe('authenticate with a remembered token', async () => {
  const keys = await loadKeyRing({ jwks: await generatePrivateJwks('k'), dataDir: await mkdtemp(path.join(tmpdir(), 'k-')) });
  const tokens = createAccessTokens(keys, { issuer: 'i', audience: 'a', ttlSeconds: 60 });
  const fingerprint = newSecret();
  const sid = crypto.randomUUID();
  const { token } = await tokens.issue({
    userId: crypto.randomUUID(),
    sessionId: sid,
    fingerprintHash: sha256Hex(fingerprint),
    notAfter: new Date(Date.now() + 3600e3),
  });
  const deps = { accessTokens: tokens, isRevoked: (id: string) => id !== sid };
  /** `fp` absent: the right fingerprint; `fp: undefined`: no fingerprint cookie at all. */
  const run = (authorization: string, o: { fp?: string | undefined; isRevoked?: (id: string) => boolean | Promise<boolean> } = {}) =>
    // Whether it answers at once or later, and refuses by throwing or by rejecting: the same verdict.
    Promise.resolve()
      .then(() =>
        authenticate(
          { authorization, fingerprintCookie: 'fp' in o ? o.fp : fingerprint },
          { accessTokens: tokens, isRevoked: o.isRevoked ?? deps.isRevoked },
        ),
      )
      .then(
        () => 'ok',
        () => 'refused',
      );

  it('accepts exactly the grammar, refuses the rest', async () => {
    expect(await run(`Bearer ${token}`)).toBe('ok');
    expect(await run(`bEARER ${token}`)).toBe('ok');
    for (const bad of [
      `Bearer  ${token}`,
      `Bearer ${token} `,
      `Bearer ${token}, Bearer x`,
      `Basic ${token}`,
      `Bearer\t${token}`,
      `Bearer ${token}\n`,
      `${token}`,
      `Bearer ${token}.`,
    ])
      expect([bad, await run(bad)]).toEqual([bad, 'refused']);
    expect(await run(`Bearer ${token}`, { fp: newSecret() })).toBe('refused'); // fingerprint still checked
    expect(await run(`Bearer ${token}`, { fp: undefined })).toBe('refused'); // no fingerprint cookie
    expect(await run(`Bearer ${token}`, { isRevoked: () => Promise.resolve(true) })).toBe('refused'); // revoked (database)
    expect(await run(`Bearer ${token}`, { isRevoked: () => true })).toBe('refused'); // revoked (deny-list)
  });

  it('host memo: invalid hosts never become valid, whatever was remembered', () => {
    for (let i = 0; i < 200; i++) expect(isValidHost(`h${i}.example:${i}`)).toBe(true);
    for (const bad of ['a b', 'x/graphql?', 'h1.example:1/', '[::1', '1.2.3.999', 'h1.example:99999', '', 'h1.example:1 ']) {
      expect([bad, isValidHost(bad)]).toEqual([bad, false]);
      expect([bad, isValidHost(bad)]).toEqual([bad, false]);
    }
  });
});
