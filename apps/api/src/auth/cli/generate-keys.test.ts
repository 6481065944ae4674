// `pnpm keys:generate` is run here as an operator runs it (a child process; only stdout is the key
// set) and its output goes through the API's own key loader: what it prints must be accepted as
// JWT_PRIVATE_KEYS and must sign tokens that the published public keys verify.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadKeyRing } from '../keys.js';

const apiRoot = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

async function keysGenerate(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['--import', 'tsx', 'src/auth/cli/generate-keys.ts', ...args], { cwd: apiRoot });
}

async function signAndVerify(jwks: string): Promise<{ kid: string | undefined; alg: string | undefined; sub: unknown }> {
  // dataDir is only used when no key set is given; pointing it at an empty folder proves nothing is read from it.
  const ring = await loadKeyRing({ jwks, dataDir: await mkdtemp(path.join(tmpdir(), 'keys-')) });
  const iat = Math.floor(Date.now() / 1000);
  const token = ring.signing.sign({ sub: 'user-1', iat, exp: iat + 60 }, 'JWT');
  const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(ring.publicJwks), {
    algorithms: [ring.signing.alg],
  });
  for (const key of ring.publicJwks.keys) expect(key).not.toHaveProperty('d');
  return { kid: protectedHeader.kid, alg: protectedHeader.alg, sub: payload.sub };
}

describe('pnpm keys:generate', () => {
  it('prints an EdDSA key set by default that loadKeyRing accepts and that signs and verifies', async () => {
    const { stdout } = await keysGenerate();
    const jwks = JSON.parse(stdout) as { keys: { kid: string; alg: string; crv: string; d: string }[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ alg: 'EdDSA', crv: 'Ed25519', kty: 'OKP' });
    expect(jwks.keys[0]!.d).toBeTruthy();
    expect(await signAndVerify(stdout)).toEqual({ kid: jwks.keys[0]!.kid, alg: 'EdDSA', sub: 'user-1' });
  });

  it('prints an ES256 key set with --alg ES256', async () => {
    const { stdout } = await keysGenerate('--alg', 'ES256');
    const jwks = JSON.parse(stdout) as { keys: { kid: string }[] };
    expect(jwks.keys[0]).toMatchObject({ alg: 'ES256', crv: 'P-256', kty: 'EC' });
    expect(await signAndVerify(stdout)).toMatchObject({ kid: jwks.keys[0]!.kid, alg: 'ES256' });
  });

  it('gives every key a fresh kid, so a rotated set (new key first, old key kept) loads and signs with the new one', async () => {
    const [older, newer] = await Promise.all([keysGenerate(), keysGenerate('--alg', 'ES256')]);
    const oldKey = (JSON.parse(older.stdout) as { keys: { kid: string }[] }).keys[0]!;
    const newKey = (JSON.parse(newer.stdout) as { keys: { kid: string }[] }).keys[0]!;
    expect(newKey.kid).not.toBe(oldKey.kid);
    const rotated = JSON.stringify({ keys: [newKey, oldKey] });
    expect(await signAndVerify(rotated)).toMatchObject({ kid: newKey.kid, alg: 'ES256' });
  });

  it('refuses an algorithm the API does not accept, and prints no key', async () => {
    const failure = await keysGenerate('--alg', 'HS256').catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2, stdout: '' });
    expect((failure as { stderr: string }).stderr).toContain('--alg must be one of EdDSA, ES256');
  });
});
