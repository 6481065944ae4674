// The development signing key (no JWT_PRIVATE_KEYS): several API processes started together on one
// DATA_DIR must all sign with the same key, else a token from one is refused by the next.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadKeyRing } from './keys.js';

const apiDir = fileURLToPath(new URL('../..', import.meta.url));
const keysModule = fileURLToPath(new URL('./keys.ts', import.meta.url));

/**
 * A separate Node process that loads the key ring from `dataDir` at wall-clock time `at` (so that
 * processes started one after another on a busy machine still race) and prints its kid.
 */
async function kidFromProcess(dataDir: string, at: number): Promise<string> {
  const script = `
    const { loadKeyRing } = await import(${JSON.stringify(keysModule)});
    await new Promise((r) => setTimeout(r, Math.max(0, ${at} - Date.now())));
    const ring = await loadKeyRing({ jwks: undefined, dataDir: ${JSON.stringify(dataDir)} });
    console.log(ring.signing.kid);`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: apiDir,
  });
  return stdout.trim();
}

describe('development signing key', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'dev-key-')), 'data');
  });
  afterEach(async () => {
    await rm(path.dirname(dataDir), { recursive: true, force: true });
  });

  it('is created once, owner-only, in a 0700 DATA_DIR, and read back on the next start', async () => {
    const first = await loadKeyRing({ jwks: undefined, dataDir });
    const file = path.join(dataDir, 'jwt-private-keys.json');
    expect(((await stat(file)).mode & 0o777).toString(8)).toBe('600');
    expect(((await stat(dataDir)).mode & 0o777).toString(8)).toBe('700');
    expect((await loadKeyRing({ jwks: undefined, dataDir })).signing.kid).toBe(first.signing.kid);
    expect(await readdir(dataDir)).toEqual(['jwt-private-keys.json']); // no temporary file left
  });

  it('concurrent loads in one process all get the same key', async () => {
    const rings = await Promise.all(Array.from({ length: 20 }, () => loadKeyRing({ jwks: undefined, dataDir })));
    expect(new Set(rings.map((r) => r.signing.kid)).size).toBe(1);
  });

  it('API processes started together on an empty DATA_DIR all end up with the same key', async () => {
    const at = Date.now() + 4000; // after every process has started (tsx takes a moment)
    const kids = await Promise.all(Array.from({ length: 4 }, () => kidFromProcess(dataDir, at)));
    expect(kids.every((k) => k.startsWith('dev-'))).toBe(true);
    expect(new Set(kids).size, kids.join(' ')).toBe(1);
    const again = await loadKeyRing({ jwks: undefined, dataDir });
    expect(again.signing.kid).toBe(kids[0]);
  }, 30_000);
});
