// This design's refresh written plainly, shared by the two servers that measure it: ./ssr-floor-api.ts
// (the thinnest app's `refreshDesign`, behind servers/ssr-floor-web) and ./design-api.ts (the same
// exchange behind our API's GraphQL names and cookies, so that the built web app can call it). What
// it does, and what it leaves out, is said in ssr-floor-api.ts's head.
import type { ServerResponse } from 'node:http';
import { createCipheriv, createHash, generateKeyPairSync, hkdfSync, randomBytes, randomUUID, sign, timingSafeEqual } from 'node:crypto';
import pg from 'pg';

export const pool = new pg.Pool({ connectionString: process.env['DATABASE_URL'], max: 10 });
const { privateKey } = generateKeyPairSync('ed25519');
const JWT_HEADER = Buffer.from(JSON.stringify({ alg: 'EdDSA', typ: 'JWT' })).toString('base64url');
const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

export type Note = { id: string; text: string; createdAt: string };

// The design's three statements (apps/api/src/auth/refresh-token-store.ts, notes/note-store.ts),
// written again here: the bench runs the API's build and never imports its source.
const READ = `
  SELECT t.id::text, t.fingerprint_hash, t.expires_at, t.rotated_at,
         s.id::text AS session_id, s.user_id::text, s.revoked_at, s.idle_expires_at, s.absolute_expires_at, s.refresh_token_key,
         u.email, u.created_at AS user_created_at, n.token_hash AS successor_token_hash, n.sealed_token AS successor_sealed_token,
         statement_timestamp() AS read_at
    FROM refresh_tokens AS t
    JOIN sessions AS s ON s.id = t.session_id
    JOIN users AS u ON u.id = s.user_id
    LEFT JOIN refresh_tokens AS n ON n.id = t.successor_id
   WHERE t.token_hash = $1`;
const ROTATE = `
  WITH claimed AS (
    UPDATE refresh_tokens AS t
       SET rotated_at = $2::timestamptz, sealed_token = NULL, successor_id = $3::uuid
      FROM sessions AS s
     WHERE t.id = $1::uuid AND t.rotated_at IS NULL AND t.expires_at > $2::timestamptz
       AND s.id = t.session_id AND s.revoked_at IS NULL
       AND s.idle_expires_at > $2::timestamptz AND s.absolute_expires_at > $2::timestamptz
    RETURNING t.session_id, t.fingerprint_hash, s.absolute_expires_at
  ), successor AS (
    INSERT INTO refresh_tokens (id, session_id, token_hash, fingerprint_hash, created_at, expires_at, sealed_token)
    SELECT $3::uuid, c.session_id, $4, c.fingerprint_hash, $2::timestamptz, LEAST($5::timestamptz, c.absolute_expires_at), $6
      FROM claimed AS c
    RETURNING expires_at
  ), slid AS (
    UPDATE sessions AS s SET last_used_at = $2::timestamptz, idle_expires_at = LEAST($5::timestamptz, s.absolute_expires_at)
      FROM claimed AS c WHERE s.id = c.session_id
    RETURNING s.id
  )
  SELECT successor.expires_at FROM successor, slid`;
const NOTES = `
  SELECT id::text, text, created_at FROM notes
   WHERE user_id = $1::uuid ORDER BY created_at DESC, id DESC LIMIT 200`;

type Row = {
  id: string;
  fingerprint_hash: string;
  expires_at: Date;
  rotated_at: Date | null;
  session_id: string;
  user_id: string;
  revoked_at: Date | null;
  idle_expires_at: Date;
  absolute_expires_at: Date;
  email: string;
  user_created_at: Date;
  read_at: Date;
};

/** The successor, readable only by whoever holds the presented token (the API's sealSecret). */
function seal(keySecret: string, secret: string, context: string): string {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(keySecret, 'utf8'), 'design-floor/successor', 'aes-256-gcm key', 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** Where a server takes the presented token and fingerprint from, and how it sets the next token. */
/**
 * Where a server takes the presented token and fingerprint from, and how it sets the next token.
 * `slideFingerprint`: set the fingerprint cookie again beside it, as our API does on every rotation
 * (both cookies live as long as the session's idle expiry).
 */
export type ExchangeCookies = { token: string; fingerprint: string; attributes: string; slideFingerprint?: boolean };

/** What the design's exchange hands back: the page's data and the access token. */
export type DesignAnswer = {
  accessToken: string;
  accessTokenExpiresAt: string;
  user: { id: string; email: string; createdAt: string };
  notes: Note[];
};

/**
 * This design's refresh, written plainly (the file's head says what it does and leaves out), for a
 * server whose cookies are `names`: the presented token is `<run>.<client>.<n>` in cookie
 * `names.token`, its session's fingerprint `<run>:<client>` in `names.fingerprint`, as
 * alternatives/rotation-sql.ts seeds them. The exchange answers null when the token is not a fresh
 * one of a live session with that fingerprint.
 */
export function designExchange(names: ExchangeCookies): (cookies: string, res: ServerResponse) => Promise<DesignAnswer | null> {
  const tokenCookie = new RegExp(`(?:^|; )${names.token}=([a-z0-9]+)\\.(\\d+)\\.(\\d+)`);
  const fingerprintCookie = new RegExp(`(?:^|; )${names.fingerprint}=([a-z0-9]+:\\d+)`);
  return (cookies, res) => exchange(cookies, res, names, tokenCookie, fingerprintCookie);
}

async function exchange(
  cookies: string,
  res: ServerResponse,
  names: ExchangeCookies,
  tokenCookie: RegExp,
  fingerprintCookie: RegExp,
): Promise<DesignAnswer | null> {
  const named = tokenCookie.exec(cookies);
  const fingerprint = fingerprintCookie.exec(cookies)?.[1];
  if (!named || !fingerprint) return null;
  const [, runId, client, n] = named as unknown as [string, string, string, string];
  const presented = `${runId}:${client}:${n}`;
  const { rows } = await pool.query<Row>({ name: 'design-read', text: READ, values: [sha256(presented)] });
  const token = rows[0];
  if (!token) return null;
  const now = token.read_at;
  const [given, stored] = [Buffer.from(sha256(fingerprint)), Buffer.from(token.fingerprint_hash)];
  const fingerprintMatches = given.length === stored.length && timingSafeEqual(given, stored);
  const live = !token.revoked_at && token.idle_expires_at > now && token.absolute_expires_at > now && token.expires_at > now;
  if (!fingerprintMatches || !live || token.rotated_at) return null;

  const successor = `${runId}:${client}:${Number(n) + 1}`;
  const idleExpiresAt = new Date(now.getTime() + 7 * 24 * 3600 * 1000);
  const rotated = await pool.query({
    name: 'design-rotate',
    text: ROTATE,
    values: [token.id, now, randomUUID(), sha256(successor), idleExpiresAt, seal(presented, successor, token.session_id)],
  });
  if (rotated.rowCount === 0) return null;
  const notes = await pool.query<{ id: string; text: string; created_at: Date }>({
    name: 'design-notes',
    text: NOTES,
    values: [token.user_id],
  });
  const next = `${names.token}=${runId}.${client}.${Number(n) + 1}; ${names.attributes}`;
  res.setHeader('set-cookie', names.slideFingerprint ? [next, `${names.fingerprint}=${fingerprint}; ${names.attributes}`] : next);
  const iat = Math.floor(now.getTime() / 1000);
  const claims = { sub: token.user_id, sid: token.session_id, jti: randomUUID(), fgp: token.fingerprint_hash, iat, exp: iat + 300 };
  return {
    accessToken: signed(claims),
    accessTokenExpiresAt: new Date(claims.exp * 1000).toISOString(),
    user: { id: token.user_id, email: token.email, createdAt: token.user_created_at.toISOString() },
    notes: notes.rows.map((r) => ({ id: r.id, text: r.text, createdAt: r.created_at.toISOString() })),
  };
}

export function signed(claims: Record<string, unknown>): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${JWT_HEADER}.${payload}.${sign(null, Buffer.from(`${JWT_HEADER}.${payload}`), privateKey).toString('base64url')}`;
}
