// A forked load generator (../load/worker.ts): the runner sends it jobs and awaits the results.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Job, LoadResult } from '../load/jobs.js';
import { BENCH_DIR } from './processes.js';

export class LoadProcess {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();
  #next = 0;

  constructor() {
    this.#child = fork(path.join(BENCH_DIR, 'load/worker.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child.on('message', (m: { id: number; result?: LoadResult; error?: string }) => {
      const p = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      if (m.error) p?.reject(new Error(m.error));
      else p?.resolve(m.result!);
    });
    this.#child.on('exit', () => {
      for (const p of this.#pending.values()) p.reject(new Error('load process exited'));
      this.#pending.clear();
    });
  }

  run(job: Job): Promise<LoadResult> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.send({ id, job });
    });
  }

  close(): void {
    this.#child.disconnect();
  }
}
