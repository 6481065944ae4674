// Password hashing with argon2id and the OWASP Password Storage Cheat Sheet's parameters
// (m = 19 MiB, t = 2, p = 1).
//
// Every argon2 computation goes through one gate: at most one per CPU core runs at a time, and
// at most MAX_WAITING wait for their turn. WHY: argon2 runs on libuv's thread pool (4 threads by
// default), the same pool that WebCrypto uses to sign and verify tokens; a sign-in flood that
// fills all four threads delays every token operation behind it, and more argon2 threads than
// cores only steal CPU from the event loop without hashing any faster. Beyond the queue the
// request is refused at once (429 + Retry-After) instead of waiting for seconds.
// The gate does not look at the e-mail: known and unknown accounts queue alike (T41).
import { availableParallelism } from 'node:os';
import argon2 from 'argon2';
import { rateLimited } from './errors.js';

const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

const MAX_RUNNING = Math.max(1, availableParallelism());
const MAX_WAITING = 64;

let running = 0;
const waiting: (() => void)[] = [];

/** Runs `work` when a slot is free; refuses at once when the queue is full. */
async function gated<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_RUNNING) {
    if (waiting.length >= MAX_WAITING) {
      throw rateLimited('Too many sign-ins in progress, try again shortly', 1);
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running++;
  }
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next waiter (running stays the same), or free it.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

export function hashPassword(password: string): Promise<string> {
  return gated(() => argon2.hash(password, OPTIONS));
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  return gated(async () => {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false; // a malformed stored hash never verifies
    }
  });
}

/**
 * A real argon2id hash of a random password, computed once. Sign-in verifies against it
 * when the e-mail is unknown, so both failures cost the same time (OWASP Authentication CS,
 * "Authentication Responses"; THREATS T41).
 */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  // A refused first attempt (queue full) must not be remembered: the next sign-in computes it.
  dummyHash ??= hashPassword(crypto.randomUUID()).catch((error: unknown) => {
    dummyHash = undefined;
    throw error;
  });
  return dummyHash;
}
