// Directories only this OS user may enter: DATA_DIR (the embedded database's files, the dev
// signing key) and the directory of the embedded database's Unix socket. A socket's permission
// check is the search permission on its directory (connect(2) needs it on every component of the
// path), so a 0700 directory is what keeps other local users off the database.
import { chmod, lstat, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const OWNER_ONLY = 0o700;

/**
 * Creates `dir` (and missing parents) as 0700, or tightens an existing one to 0700 (a checkout
 * made before this rule may have a 0755 `.data/`). Refuses a symlink or a directory another user
 * owns: whoever owns it could swap what is inside.
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: OWNER_ONLY });
  const stat = await lstat(dir);
  if (!stat.isDirectory()) throw new Error(`${dir} is not a directory (a symlink is refused)`);
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) {
    throw new Error(`${dir} belongs to another user (uid ${stat.uid}); refusing to keep private data there`);
  }
  if ((stat.mode & 0o777) !== OWNER_ONLY) await chmod(dir, OWNER_ONLY);
}

/** A fresh 0700 directory under the OS temporary directory (mkdtemp creates it 0700, atomically). */
export async function privateTempDir(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  await chmod(dir, OWNER_ONLY); // mkdtemp already does; say it explicitly
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
