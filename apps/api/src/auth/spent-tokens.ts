// Compact memory of spent refresh tokens (ADR 0009). Once a token has been spent for longer than
// the grace window, its row is deleted and only a 20-byte record stays on its session: the first
// 128 bits of the token's SHA-256 and the token's own expiry. That is enough to recognise a replay
// of it (RFC 9700 §4.14.2, T17) until the token would have expired anyway, and the table no longer
// grows with every rotation.
import { timingSafeEqual } from 'node:crypto';

const DIGEST_BYTES = 16;
const RECORD_BYTES = DIGEST_BYTES + 4;

/**
 * At most this many records per session (80 KiB), the newest kept. WHY a cap: a successful refresh
 * costs its holder nothing (its rate-limit point is refunded, T55), so one session can rotate in a
 * loop, and every rotation rewrites the whole list: without a bound the column grows by 20 bytes
 * per rotation for a week and each rotation's write grows with it (OWASP Denial of Service CS,
 * bound every resource a client controls). What the cap gives up: a replay of a token older than
 * the session's last MAX_SPENT_RECORDS rotations is refused (401) without ending the session.
 */
export const MAX_SPENT_RECORDS = 4096;

function digestOf(tokenHashHex: string): Buffer {
  return Buffer.from(tokenHashHex.slice(0, DIGEST_BYTES * 2), 'hex');
}

function* records(list: Uint8Array | null) {
  if (!list) return;
  const bytes = Buffer.from(list.buffer, list.byteOffset, list.byteLength);
  for (let at = 0; at + RECORD_BYTES <= bytes.length; at += RECORD_BYTES) {
    yield {
      digest: bytes.subarray(at, at + DIGEST_BYTES),
      expiresAtSeconds: bytes.readUInt32BE(at + DIGEST_BYTES),
      record: bytes.subarray(at, at + RECORD_BYTES),
    };
  }
}

/** The list with expired records dropped and `spent` (SHA-256 hex + expiry) appended. */
export function withSpentTokens(
  list: Uint8Array | null,
  spent: { tokenHash: string; expiresAt: Date }[],
  now: Date,
): Uint8Array<ArrayBuffer> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const kept = [...records(list)].filter((r) => r.expiresAtSeconds > nowSeconds).map((r) => r.record);
  for (const s of spent) {
    const expiresAtSeconds = Math.ceil(s.expiresAt.getTime() / 1000);
    if (expiresAtSeconds <= nowSeconds) continue;
    const record = Buffer.alloc(RECORD_BYTES);
    digestOf(s.tokenHash).copy(record);
    record.writeUInt32BE(expiresAtSeconds, DIGEST_BYTES);
    kept.push(record);
  }
  kept.splice(0, Math.max(0, kept.length - MAX_SPENT_RECORDS)); // oldest first in the list
  const out = new Uint8Array(new ArrayBuffer(kept.length * RECORD_BYTES));
  kept.forEach((r, i) => out.set(r, i * RECORD_BYTES));
  return out;
}

/** Is the token with this SHA-256 (hex) a spent, unexpired token of the list's session? */
export function isSpentToken(list: Uint8Array | null, tokenHashHex: string, now: Date): boolean {
  const wanted = digestOf(tokenHashHex);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  let found = false;
  for (const r of records(list)) {
    // Every record is compared, in constant time, so the answer's timing says nothing about where it matched.
    if (timingSafeEqual(r.digest, wanted) && r.expiresAtSeconds > nowSeconds) found = true;
  }
  return found;
}

export const SPENT_TOKEN_RECORD_BYTES = RECORD_BYTES;
