// A pid lock file for the embedded database directory. PGlite has no locking of its own, and
// two processes (say the dev server and `pnpm db:migrate`) opening the same directory would
// corrupt it. A lock left by a process that died is taken over.
import { open, readFile, rm } from 'node:fs/promises';

// Locks this process holds. A lock file naming our own pid but not listed here is stale: it
// was left by an earlier process that had the same pid (typical for PID 1 in a container).
const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<dir>.lock` (beside the directory, not inside it: PGlite wants its directory to
 * itself) for this process; resolves to a function that releases it.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const lockPath = `${dir}.lock`;
  if (heldHere.has(lockPath)) throw new Error(`The embedded database in ${dir} is already open in this process`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(lockPath, 'wx');
      await file.writeFile(String(process.pid));
      await file.close();
      heldHere.add(lockPath);
      return async () => {
        heldHere.delete(lockPath);
        await rm(lockPath, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new Error(
          `The embedded database in ${dir} is in use by process ${owner} (lock file ${lockPath}; delete it if that process is not this app)`,
        );
      }
      await rm(lockPath, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Could not lock ${dir} (lock file ${lockPath})`);
}
