// Files that several processes may try to create at once (the dev signing key, the data-dir
// lock). Creating one must be a single atomic step that also guarantees its whole content:
// `open(…, 'wx')` then `write` leaves a moment when the file exists but is empty, and a reader
// in that moment decides on nothing. So the content is written under a unique temporary name and
// link(2)ed to the real name, which fails with EEXIST if that name exists.
import { randomUUID } from 'node:crypto';
import { link, readFile, rm, writeFile } from 'node:fs/promises';

/** Writes `content` (mode 0600) to a fresh, uniquely named file beside `file`; returns its path. */
export async function writeTemp(file: string, content: string): Promise<string> {
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temp, content, { flag: 'wx', mode: 0o600 });
  return temp;
}

/** Creates `file` with `content` unless it exists, atomically and whole; false if it existed. */
export async function createExclusive(file: string, content: string): Promise<boolean> {
  const temp = await writeTemp(file, content);
  try {
    await link(temp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * The file's text, or null when it does not exist. Any other error (permissions…) is thrown:
 * a file we merely could not read is never treated as absent (and replaced).
 */
export async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
