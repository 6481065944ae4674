// Alternative 3: raw argon2id, nothing around it. Verifies the given password against the given
// hash (the one the API stored, so the parameters are the API's own) from `concurrency` loops at
// once for `seconds`, in this process alone; prints { perSecond, cpuMsPerVerify } as JSON.
import argon2 from 'argon2';

const [hash, password, concurrency, seconds] = [
  process.env['ARGON2_HASH'],
  process.env['ARGON2_PASSWORD'],
  Number(process.env['CONCURRENCY']),
  Number(process.env['SECONDS']),
];
if (!hash?.startsWith('$argon2id$') || !password || !(concurrency > 0) || !(seconds > 0)) {
  throw new Error('ARGON2_HASH (argon2id), ARGON2_PASSWORD, CONCURRENCY and SECONDS are required');
}
if (!(await argon2.verify(hash, password))) throw new Error('the password does not match the hash');

let done = 0;
let completed = 0; // including those that end after the window (their CPU is in the total)
const cpuBefore = process.cpuUsage();
const started = performance.now();
const until = started + seconds * 1000;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < until) {
      if (!(await argon2.verify(hash, password))) throw new Error('verification failed');
      completed++;
      // Counted like the load generator counts sign-ins: only what completes inside the window.
      if (performance.now() <= until) done++;
    }
  }),
);
const cpu = process.cpuUsage(cpuBefore);
// CPU per verification, all threads (argon2 runs on libuv's pool): what one sign-in's hash costs.
const cpuMsPerVerify = (cpu.user + cpu.system) / 1000 / Math.max(1, completed);
process.stdout.write(`${JSON.stringify({ perSecond: done / seconds, total: done, cpuMsPerVerify })}\n`);
