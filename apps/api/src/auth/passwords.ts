// Password hashing with argon2id and the OWASP Password Storage Cheat Sheet's parameters
// (m = 19 MiB, t = 2, p = 1).
import argon2 from 'argon2';


const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * A real argon2id hash of a random password, computed once. Sign-in verifies against it
 * when the e-mail is unknown, so both failures cost the same time (OWASP Authentication CS,
 * "Authentication Responses"; THREATS T41).
 */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomUUID());
  return dummyHash;
}
