// A pid lock file for the embedded database directory. PGlite has no locking of its own, and
// two processes (say the dev server and `pnpm db:migrate`) opening the same directory would
// corrupt it. A lock left by a process that died is taken over.
//
// WHY every step is one atomic file-system operation (no check-then-act):
//  - a lock is created whole (exclusive-file.ts: temporary file + link(2)). (open 'wx' then write
//    would let another process read an empty lock in between, judge it stale and take it.)
//  - a lock's content is unique (pid + random nonce), so "the stale lock I read" names one file
//    generation, never a later lock that happens to carry a reused pid;
//  - taking over a stale lock is claimed first, exclusively, for THAT content (a marker file named
//    after it): of several processes that all found the same stale lock, exactly one proceeds.
//    It checks the lock still holds that content, then rename(2)s its own lock over it, which
//    replaces it in one step, so there is no moment without a lock for a third process to grab.
import { createHash, randomUUID } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { createExclusive, readIfExists, writeTemp } from './exclusive-file.js';

// Locks this process holds or is taking. A lock file naming our own pid but not listed here is
// stale: it was left by an earlier process that had the same pid (typical for PID 1 in a container).
const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const ownerOf = (content: string) => Number.parseInt(content, 10);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Takes `<dir>.lock` (beside the directory, not inside it: PGlite wants its directory to
 * itself) for this process; resolves to a function that releases it.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const lockPath = `${dir}.lock`;
  if (heldHere.has(lockPath)) throw new Error(`The embedded database in ${dir} is already open in this process`);
  heldHere.add(lockPath);
  try {
    const ours = `${process.pid}\n${randomUUID()}\n`;
    const held = () => async () => {
      heldHere.delete(lockPath);
      // Only our own lock: never remove one that is not ours.
      if ((await readIfExists(lockPath)) === ours) await rm(lockPath, { force: true });
    };

    for (let attempt = 0; attempt < 20; attempt++) {
      if (await createExclusive(lockPath, ours)) return held();
      const stale = await readIfExists(lockPath);
      if (stale === null) continue; // released meanwhile: try again
      const owner = ownerOf(stale);
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new Error(
          `The embedded database in ${dir} is in use by process ${owner} (lock file ${lockPath}; delete it if that process is not this app)`,
        );
      }
      // Stale: its process is gone. Claim the takeover of exactly this lock.
      const marker = `${lockPath}.takeover-${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`;
      if (!(await createExclusive(marker, ours))) {
        const taker = ownerOf((await readIfExists(marker)) ?? '');
        if (taker && (taker === process.pid || !isAlive(taker))) {
          throw new Error(`A takeover of ${lockPath} was abandoned; delete ${lockPath} and ${marker}`);
        }
        await sleep(20); // another process is taking it over: look again
        continue;
      }
      try {
        if ((await readIfExists(lockPath)) !== stale) continue; // changed meanwhile: look again
        const temp = await writeTemp(lockPath, ours);
        await rename(temp, lockPath).catch(async (err: unknown) => {
          await rm(temp, { force: true });
          throw err;
        });
        return held();
      } finally {
        await rm(marker, { force: true });
      }
    }
    throw new Error(`Could not lock ${dir} (lock file ${lockPath})`);
  } catch (err) {
    heldHere.delete(lockPath);
    throw err;
  }
}
