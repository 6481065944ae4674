// Alternative 7, with servers/ssr-floor-web: the thinnest app on this stack that serves a signed-in
// page. Bare GraphQL Yoga (no plugins) with one mutation that does in ONE SQL statement what a
// signed-in page needs from the database: claim the token named by a cookie, insert its successor,
// slide the session, and read the user and their notes; then an Ed25519-signed access token. The
// next token's name goes back as a cookie. No checks (no fingerprint, no reuse detection, no rate
// limit, no CSRF), no sealing, no ORM — not something to deploy, a measuring stick: the least time a
// Next.js page that calls a Yoga API to rotate and read can take here (lib/ssr-floor.ts, run.ts "ssr").
//
// A second mutation, `refreshDesign`, does what THIS DESIGN's refresh must, written plainly: the
// presented token read with its session, user and successor (nothing changed yet: reuse, grace and
// lost answers are decided from that row, T17, T18, T54); the fingerprint cookie's SHA-256 compared
// with the token's in constant time (OWASP JWT CS, "Token Sidejacking"); the successor sealed under a
// key derived from the presented token (HKDF, AES-256-GCM) and written by a conditional claim in one
// statement; the page's data read as its own statement; an Ed25519 token carrying the fingerprint's
// hash (its successor's HMAC tag under the session key, ~2 µs, left out). Only the fresh-token path: a token that is not fresh is refused. No spent-token compaction
// (a batch every 32 rotations), no rate limit, no GraphQL plugins — the least this design's
// signed-in page asks of its API, whoever writes it.
import { createServer, type ServerResponse } from 'node:http';
import { createCipheriv, createHash, generateKeyPairSync, hkdfSync, randomBytes, randomUUID, sign, timingSafeEqual } from 'node:crypto';
import pg from 'pg';
import { createSchema, createYoga } from 'graphql-yoga';
import { FLOOR_COOKIE, FLOOR_FINGERPRINT_COOKIE } from '../alternatives/rotation-sql.js';
import { BARE_YOGA_OPTIONS, portFromEnv } from './schema.js';

const pool = new pg.Pool({ connectionString: process.env['DATABASE_URL'], max: 10 });
const { privateKey } = generateKeyPairSync('ed25519');
const JWT_HEADER = Buffer.from(JSON.stringify({ alg: 'EdDSA', typ: 'JWT' })).toString('base64url');

// Token n of client c of run r is sha256("r:c:n"), as alternatives/rotation-sql.ts seeds it.
const tokenHash = (n: string) => `encode(sha256(convert_to(concat($1::text, ':', $2::text, ':', ${n}), 'UTF8')), 'hex')`;
// $1 run, $2 client, $3 n. Data-modifying CTEs share one snapshot and commit together.
const EXCHANGE = `
WITH t AS (
  SELECT rt.id, rt.session_id, rt.fingerprint_hash, s.user_id
    FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id
   WHERE rt.token_hash = ${tokenHash('$3::text')} AND rt.rotated_at IS NULL AND rt.expires_at > now()
     AND s.revoked_at IS NULL AND s.idle_expires_at > now() AND s.absolute_expires_at > now()
), successor AS (
  INSERT INTO refresh_tokens (id, session_id, token_hash, fingerprint_hash, created_at, expires_at)
  SELECT gen_random_uuid(), t.session_id, ${tokenHash('($3::int + 1)::text')}, t.fingerprint_hash, now(), now() + interval '7 days' FROM t
  RETURNING id
), claimed AS (
  UPDATE refresh_tokens AS r SET rotated_at = now(), successor_id = (SELECT id FROM successor)
    FROM t WHERE r.id = t.id AND r.rotated_at IS NULL RETURNING r.id
), slid AS (
  UPDATE sessions AS s SET last_used_at = now(), idle_expires_at = LEAST(now() + interval '7 days', s.absolute_expires_at)
    FROM t WHERE s.id = t.session_id RETURNING s.id
)
SELECT u.id::text, u.email,
       (SELECT coalesce(json_agg(json_build_object('id', n.id, 'text', n.text, 'createdAt', n.created_at) ORDER BY n.created_at DESC), '[]')
          FROM notes n WHERE n.user_id = u.id) AS notes
  FROM t JOIN users u ON u.id = t.user_id, claimed, slid`;

type Note = { id: string; text: string; createdAt: string };
const cookie = new RegExp(`(?:^|; )${FLOOR_COOKIE}=([a-z0-9]+)\\.(\\d+)\\.(\\d+)`);
const fingerprintCookie = new RegExp(`(?:^|; )${FLOOR_FINGERPRINT_COOKIE}=([a-z0-9]+:\\d+)`);
const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

// The design's three statements (apps/api/src/auth/refresh-token-store.ts, notes/note-store.ts),
// written again here: the bench runs the API's build and never imports its source.
const READ = `
  SELECT t.id::text, t.fingerprint_hash, t.expires_at, t.rotated_at,
         s.id::text AS session_id, s.user_id::text, s.revoked_at, s.idle_expires_at, s.absolute_expires_at, s.refresh_token_key,
         u.email, n.token_hash AS successor_token_hash, n.sealed_token AS successor_sealed_token,
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

async function designExchange(cookies: string, res: ServerResponse) {
  const named = cookie.exec(cookies);
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
  res.setHeader('set-cookie', `${FLOOR_COOKIE}=${runId}.${client}.${Number(n) + 1}; Path=/; HttpOnly; SameSite=Strict`);
  const iat = Math.floor(now.getTime() / 1000);
  const claims = { sub: token.user_id, sid: token.session_id, jti: randomUUID(), fgp: token.fingerprint_hash, iat, exp: iat + 300 };
  return {
    accessToken: signed(claims),
    user: { id: token.user_id, email: token.email },
    notes: notes.rows.map((r) => ({ id: r.id, text: r.text, createdAt: r.created_at.toISOString() })),
  };
}

function signed(claims: Record<string, unknown>): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${JWT_HEADER}.${payload}.${sign(null, Buffer.from(`${JWT_HEADER}.${payload}`), privateKey).toString('base64url')}`;
}

function accessToken(userId: string): string {
  const now = Math.floor(Date.now() / 1000);
  return signed({ sub: userId, iat: now, exp: now + 300 });
}

const schema = createSchema<{ request: Request; res: ServerResponse }>({
  typeDefs: /* GraphQL */ `
    type Query {
      ok: Boolean
    }
    type User {
      id: ID!
      email: String!
    }
    type Note {
      id: ID!
      text: String!
      createdAt: String!
    }
    type Exchange {
      accessToken: String!
      user: User!
      notes: [Note!]!
    }
    type Mutation {
      refreshAccessToken: Exchange
      refreshDesign: Exchange
    }
  `,
  resolvers: {
    Mutation: {
      async refreshAccessToken(_: unknown, __: unknown, context) {
        const named = cookie.exec(context.request.headers.get('cookie') ?? '');
        if (!named) return null;
        const [, runId, client, n] = named as unknown as [string, string, string, string];
        const { rows } = await pool.query<{ id: string; email: string; notes: Note[] }>({
          name: 'exchange',
          text: EXCHANGE,
          values: [runId, client, n],
        });
        const user = rows[0];
        if (!user) return null;
        // Yoga's Node adapter hands the ServerResponse to the context; its headers join Yoga's own.
        context.res.setHeader('set-cookie', `${FLOOR_COOKIE}=${runId}.${client}.${Number(n) + 1}; Path=/; HttpOnly; SameSite=Strict`);
        return { accessToken: accessToken(user.id), user: { id: user.id, email: user.email }, notes: user.notes };
      },
      refreshDesign: (_: unknown, __: unknown, context) => designExchange(context.request.headers.get('cookie') ?? '', context.res),
    },
  },
});

const yoga = createYoga({ schema, ...BARE_YOGA_OPTIONS });
createServer(yoga).listen(portFromEnv(), '127.0.0.1');
