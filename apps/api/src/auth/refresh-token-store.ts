// The statements of sign-in and refresh, as plain SQL through pg (../db/sql.ts; ADR 0017). A refresh is the hottest write of the
// app (every signed-in page render rotates), so it costs two round trips whatever happens:
//  1. `findPresentedToken`: the presented token's row with its session, user and successor, one
//     indexed SELECT with joins (Prisma's `include` would be three queries);
//  2. `rotateToken`: one statement whose CTEs claim the token, insert its sealed successor, link
//     them, delete the session's tokens spent past the grace window and slide its idle expiry.
//     A single statement is atomic without an interactive transaction (no BEGIN/COMMIT round
//     trips, no connection held across the network), and its claim is the same conditional
//     UPDATE … WHERE rotated_at IS NULL as before: of concurrent refreshes of one token exactly one
//     updates the row (T19).
// A sign-in's new session and its first refresh token are one statement too (`insertSession`).
// Everything that decides is still in sessions.ts; this module only reads and writes.
import { sql, type SqlClient } from '../db/sql.js';

/** A refresh-token row as a refresh needs it: the token, its session, its user, its successor. */
export type PresentedTokenRow = {
  id: string;
  fingerprintHash: string;
  expiresAt: Date;
  rotatedAt: Date | null;
  session: {
    id: string;
    userId: string;
    fingerprintHash: string;
    revokedAt: Date | null;
    idleExpiresAt: Date;
    absoluteExpiresAt: Date;
    /** The session's token key: it tags the successor (./refresh-tokens.ts, ADR 0019). */
    refreshTokenKey: Buffer;
  };
  user: { id: string; email: string; createdAt: Date };
  successor: { tokenHash: string; rotatedAt: Date | null; sealedToken: string | null; expiresAt: Date } | null;
  /**
   * The database's clock when the row was read. A refresh is judged and stamped by this one clock,
   * never by the API instance's own: instances whose clocks disagree would otherwise disagree on
   * grace windows and compaction (T17, T18; ADR 0009, addendum 2).
   */
  readAt: Date;
};

type FlatRow = {
  id: string;
  fingerprint_hash: string;
  expires_at: Date;
  rotated_at: Date | null;
  session_id: string;
  user_id: string;
  session_fingerprint_hash: string;
  revoked_at: Date | null;
  idle_expires_at: Date;
  absolute_expires_at: Date;
  refresh_token_key: Buffer;
  email: string;
  user_created_at: Date;
  successor_token_hash: string | null;
  successor_rotated_at: Date | null;
  successor_sealed_token: string | null;
  successor_expires_at: Date | null;
  read_at: Date;
};

/** The row of the token whose SHA-256 is `tokenHash`, or null. Changes nothing. */
export async function findPresentedToken(db: SqlClient, tokenHash: string): Promise<PresentedTokenRow | null> {
  const rows = await db.rows<FlatRow>(sql`
    SELECT t.id::text, t.fingerprint_hash, t.expires_at, t.rotated_at,
           s.id::text AS session_id, s.user_id::text, s.fingerprint_hash AS session_fingerprint_hash,
           s.revoked_at, s.idle_expires_at, s.absolute_expires_at, s.refresh_token_key,
           u.email, u.created_at AS user_created_at,
           n.token_hash AS successor_token_hash, n.rotated_at AS successor_rotated_at,
           n.sealed_token AS successor_sealed_token, n.expires_at AS successor_expires_at,
           statement_timestamp() AS read_at
      FROM refresh_tokens AS t
      JOIN sessions AS s ON s.id = t.session_id
      JOIN users AS u ON u.id = s.user_id
      LEFT JOIN refresh_tokens AS n ON n.id = t.successor_id
     WHERE t.token_hash = ${tokenHash}`);
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    fingerprintHash: r.fingerprint_hash,
    expiresAt: r.expires_at,
    rotatedAt: r.rotated_at,
    session: {
      id: r.session_id,
      userId: r.user_id,
      fingerprintHash: r.session_fingerprint_hash,
      revokedAt: r.revoked_at,
      idleExpiresAt: r.idle_expires_at,
      absoluteExpiresAt: r.absolute_expires_at,
      refreshTokenKey: r.refresh_token_key,
    },
    user: { id: r.user_id, email: r.email, createdAt: r.user_created_at },
    successor:
      r.successor_token_hash === null
        ? null
        : {
            tokenHash: r.successor_token_hash,
            rotatedAt: r.successor_rotated_at,
            sealedToken: r.successor_sealed_token,
            expiresAt: r.successor_expires_at!,
          },
    readAt: r.read_at,
  };
}

/**
 * Every this many rotations of a session (`sessions.rotations_since_compaction`), its tokens spent
 * past the grace window are deleted (compacted): a session keeps at most this many of them as rows
 * (plus its newest tokens and those within the grace window). Their tags still name the session,
 * so a replay of one is recognised without its row (./refresh-tokens.ts, ADR 0019).
 */
export const COMPACTION_BATCH = 32;

export type Rotation = {
  tokenId: string;
  now: Date;
  /** The successor: its id, SHA-256 and sealed copy (sealed by the caller, ADR 0008). */
  successor: { id: string; tokenHash: string; sealedToken: string };
  /** The sliding idle expiry this rotation asks for; the session's absolute expiry caps it. */
  idleExpiresAt: Date;
  /** Spent tokens whose successor was presented before this moment are deleted (ADR 0009, ADR 0019). */
  graceEndedAt: Date;
};

/**
 * Rotates the token if it is still unrotated, unexpired and its session live, all decided inside
 * the statement. Returns the successor's expiry, or null when nothing changed (another request
 * rotated it first, or it stopped being rotatable since it was read).
 */
export async function rotateToken(db: SqlClient, r: Rotation): Promise<{ expiresAt: Date } | null> {
  // All sub-statements see the same snapshot. The link (successor_id) is set by the claim itself,
  // since one statement may update a row only once; the foreign key is checked at its end, when
  // the successor row exists.
  const rows = await db.rows<{ expires_at: Date }>(sql`
    WITH claimed AS (
      UPDATE refresh_tokens AS t
         SET rotated_at = ${r.now}::timestamptz, sealed_token = NULL, successor_id = ${r.successor.id}::uuid
        FROM sessions AS s
       WHERE t.id = ${r.tokenId}::uuid AND t.rotated_at IS NULL AND t.expires_at > ${r.now}::timestamptz
         AND s.id = t.session_id AND s.revoked_at IS NULL
         AND s.idle_expires_at > ${r.now}::timestamptz AND s.absolute_expires_at > ${r.now}::timestamptz
      RETURNING t.session_id, t.fingerprint_hash, s.absolute_expires_at, s.rotations_since_compaction
    ), successor AS (
      INSERT INTO refresh_tokens (id, session_id, token_hash, fingerprint_hash, created_at, expires_at, sealed_token)
      SELECT ${r.successor.id}::uuid, c.session_id, ${r.successor.tokenHash}, c.fingerprint_hash,
             ${r.now}::timestamptz, LEAST(${r.idleExpiresAt}::timestamptz, c.absolute_expires_at), ${r.successor.sealedToken}
        FROM claimed AS c
      RETURNING expires_at
    ), spent AS (
      -- Spent longer than the grace window: the row is no longer needed. Its token's tag still
      -- names this session, so a replay of it ends the session (T17, ADR 0019). Once every
      -- COMPACTION_BATCH rotations of the session (its counter, below): the other rotations do
      -- not even look for spent rows (ADR 0009, addenda).
      -- A token is rotated before its successor is, so "old.rotated_at < grace end" follows from
      -- "next.rotated_at < grace end": every rotation is stamped by the database's clock (readAt).
      -- Said explicitly, it lets the (session_id, rotated_at) index skip the session's tokens
      -- inside the grace window: a session that rotates many times a second (a page reloaded in a
      -- loop) costs a batch's worth of rows, not a window's worth. A row stamped ahead by an
      -- earlier version can outlive its compacted successor; sessions.ts judges such a token spent
      -- past the grace window (T17).
      DELETE FROM refresh_tokens AS old
       USING claimed AS c, refresh_tokens AS next
       WHERE c.rotations_since_compaction >= ${COMPACTION_BATCH - 1}
         AND old.session_id = c.session_id AND old.rotated_at < ${r.graceEndedAt}::timestamptz
         AND next.id = old.successor_id AND next.rotated_at < ${r.graceEndedAt}::timestamptz
    ), slid AS (
      UPDATE sessions AS s
         SET last_used_at = ${r.now}::timestamptz,
             idle_expires_at = LEAST(${r.idleExpiresAt}::timestamptz, s.absolute_expires_at),
             rotations_since_compaction = CASE WHEN c.rotations_since_compaction >= ${COMPACTION_BATCH - 1}
                                               THEN 0 ELSE c.rotations_since_compaction + 1 END
        FROM claimed AS c
       WHERE s.id = c.session_id
      RETURNING s.id
    )
    SELECT successor.expires_at FROM successor, slid`);
  return rows[0] ? { expiresAt: rows[0].expires_at } : null;
}

export type NewSession = {
  id: string;
  userId: string;
  fingerprintHash: string;
  userAgent: string | null;
  now: Date;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
  /** The session's token key, which tags its refresh tokens (./refresh-tokens.ts, ADR 0019). */
  refreshTokenKey: Buffer;
  /** The first refresh token: its id and SHA-256; it expires with the session's idle expiry. */
  token: { id: string; tokenHash: string };
};

/** Creates a session and its first refresh token in one statement (atomic: both or neither). */
export async function insertSession(db: SqlClient, n: NewSession): Promise<void> {
  await db.rows(sql`
    WITH session AS (
      INSERT INTO sessions (id, user_id, fingerprint_hash, user_agent, created_at, last_used_at, idle_expires_at, absolute_expires_at,
                            refresh_token_key)
      VALUES (${n.id}::uuid, ${n.userId}::uuid, ${n.fingerprintHash}, ${n.userAgent}, ${n.now}::timestamptz, ${n.now}::timestamptz,
              ${n.idleExpiresAt}::timestamptz, ${n.absoluteExpiresAt}::timestamptz, ${n.refreshTokenKey}::bytea)
      RETURNING id
    )
    INSERT INTO refresh_tokens (id, session_id, token_hash, fingerprint_hash, created_at, expires_at)
    SELECT ${n.token.id}::uuid, session.id, ${n.token.tokenHash}, ${n.fingerprintHash}, ${n.now}::timestamptz, ${n.idleExpiresAt}::timestamptz
      FROM session`);
}

/**
 * Deletes the refresh-token rows no refresh will ever need again, judged by the database's clock
 * (or `now`, for tests): every row of an ended session, and each spent token past its own expiry
 * (its successor presented before the grace window began). Rows a live session may still need stay
 * until it ends, expired or not: its newest token, and that one's predecessor while the successor
 * has not been presented (a lost answer, ADR 0008). Deleting those would leave a token that is not
 * spent without its row, and a token of a live session without its row is judged spent (ADR 0019).
 * Returns how many rows went.
 */
export async function deleteDeadTokens(db: SqlClient, o: { now: Date | null; graceSeconds: number }): Promise<number> {
  const rows = await db.rows<{ deleted: number }>(sql`
    WITH clock AS (SELECT coalesce(${o.now}::timestamptz, statement_timestamp()) AS now),
    deleted AS (
      DELETE FROM refresh_tokens AS t
       USING sessions AS s, clock
       WHERE s.id = t.session_id
         AND (s.revoked_at IS NOT NULL OR s.idle_expires_at <= clock.now OR s.absolute_expires_at <= clock.now
              OR (t.expires_at <= clock.now
                  AND EXISTS (SELECT 1 FROM refresh_tokens AS n
                               WHERE n.id = t.successor_id
                                 AND n.rotated_at < clock.now - make_interval(secs => ${o.graceSeconds}))))
      RETURNING 1
    )
    SELECT count(*)::int AS deleted FROM deleted`);
  return rows[0]?.deleted ?? 0;
}
