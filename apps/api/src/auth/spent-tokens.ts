// Compact memory of spent refresh tokens (ADR 0009). Once a token has been spent for longer than
// the grace window, its row is deleted and only a 20-byte record stays on its session: the first
// 128 bits of the token's SHA-256 and the token's own expiry. That is enough to recognise a replay
// of it (RFC 9700 §4.14.2, T17) until the token would have expired anyway, and the table no longer
// grows with every rotation.
import { timingSafeEqual } from 'node:crypto';
import { Prisma } from '../generated/prisma/client.js';

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

/**
 * The list with `spent` (SHA-256 hex + expiry) appended, the newest MAX_SPENT_RECORDS kept. When
 * its oldest record has expired, every expired record is dropped first. (Records are appended in
 * the order tokens were created, and a token's expiry only grows with its creation time, so the
 * oldest record expires first: checking it alone spares a scan of the whole list on every
 * rotation.) This is the reference for `newSpentDigestsSql`, which the rotation runs in SQL.
 */
export function withSpentTokens(
  list: Uint8Array | null,
  spent: { tokenHash: string; expiresAt: Date }[],
  now: Date,
): Uint8Array<ArrayBuffer> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const all = [...records(list)];
  const oldestExpired = all.length > 0 && all[0]!.expiresAtSeconds <= nowSeconds;
  const kept = (oldestExpired ? all.filter((r) => r.expiresAtSeconds > nowSeconds) : all).map((r) => r.record);
  const appended = [...spent].sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime() || (a.tokenHash < b.tokenHash ? -1 : 1));
  for (const s of appended) {
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

/** Record size as a SQL literal (a constant of the format, not a parameter). */
const RECORD_SQL = Prisma.raw(String(RECORD_BYTES));

/** The expiry (epoch seconds) of record `i` of the bytea `list`, in SQL: bytes 16–19, big-endian. */
const recordExpirySql = (list: Prisma.Sql, i: Prisma.Sql) =>
  Prisma.sql`((get_byte(${list}, ${i} * ${RECORD_SQL} + 16)::int8 << 24) | (get_byte(${list}, ${i} * ${RECORD_SQL} + 17)::int8 << 16)
     | (get_byte(${list}, ${i} * ${RECORD_SQL} + 18)::int8 << 8) | get_byte(${list}, ${i} * ${RECORD_SQL} + 19)::int8)`;

/**
 * `withSpentTokens` as a SQL expression, so that the rotation compacts spent tokens in the same
 * statement that spends them, without reading the list into the server and writing it back.
 * `list` is a bytea expression (the session's column), `spent` a relation with `token_hash` and
 * `expires_at` columns (the deleted rows). Checked against `withSpentTokens` by
 * test/auth/spent-digests-sql.test.ts.
 */
export function newSpentDigestsSql(list: Prisma.Sql, spent: Prisma.Sql, nowSeconds: number): Prisma.Sql {
  const now = Prisma.sql`${nowSeconds}::int8`;
  const i = Prisma.sql`i`;
  const kept = Prisma.sql`CASE
      WHEN ${list} IS NULL OR length(${list}) < ${RECORD_SQL} THEN ''::bytea
      WHEN ${recordExpirySql(list, Prisma.sql`0`)} > ${now} THEN ${list}
      ELSE coalesce((SELECT string_agg(substring(${list} FROM ${i} * ${RECORD_SQL} + 1 FOR ${RECORD_SQL}), ''::bytea ORDER BY ${i})
                       FROM generate_series(0, length(${list}) / ${RECORD_SQL} - 1) AS ${i}
                      WHERE ${recordExpirySql(list, i)} > ${now}), ''::bytea)
    END`;
  const expiry = Prisma.sql`ceil(extract(epoch FROM expires_at))::int8`;
  const added = Prisma.sql`coalesce((SELECT string_agg(decode(substr(token_hash, 1, ${Prisma.raw(String(DIGEST_BYTES * 2))}), 'hex') || substring(int8send(${expiry}) FROM 5 FOR 4),
                                           ''::bytea ORDER BY expires_at, token_hash)
                               FROM ${spent} WHERE ${expiry} > ${now}), ''::bytea)`;
  const cap = MAX_SPENT_RECORDS * RECORD_BYTES;
  return Prisma.sql`(SELECT substring(joined FROM greatest(1, length(joined) - ${Prisma.raw(String(cap))} + 1)) FROM (SELECT ${kept} || ${added} AS joined) AS j)`;
}
