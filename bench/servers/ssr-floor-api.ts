// Alternative 7, with servers/ssr-floor-web: the thinnest app on this stack that serves a signed-in
// page. Bare GraphQL Yoga (no plugins) with one mutation that does in ONE SQL statement what a
// signed-in page needs from the database: claim the token named by a cookie, insert its successor,
// slide the session, and read the user and their notes; then an Ed25519-signed access token. The
// next token's name goes back as a cookie. No checks (no fingerprint, no reuse detection, no rate
// limit, no CSRF), no sealing, no ORM — not something to deploy, a measuring stick: the least time a
// Next.js page that calls a Yoga API to rotate and read can take here (lib/ssr-floor.ts, run.ts "ssr").
//
// A second mutation, `refreshDesign` (./design-exchange.ts), does what THIS DESIGN's refresh must,
// written plainly: the presented token read with its session, user and successor (nothing changed
// yet: reuse, grace and lost answers are decided from that row, T17, T18, T54); the fingerprint
// cookie's SHA-256 compared with the token's in constant time (OWASP JWT CS, "Token Sidejacking");
// the successor sealed under a key derived from the presented token (HKDF, AES-256-GCM) and written
// by a conditional claim in one statement; the page's data read as its own statement; an Ed25519
// token carrying the fingerprint's hash (its successor's HMAC tag under the session key, ~2 µs, left
// out). Only the fresh-token path: a token that is not fresh is refused. No spent-token compaction
// (a batch every 32 rotations), no rate limit, no GraphQL plugins — the least this design's
// signed-in page asks of its API, whoever writes it. ./design-api.ts serves the same exchange under
// our API's names, for the built web app.
import { createServer, type ServerResponse } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';
import { FLOOR_COOKIE, FLOOR_FINGERPRINT_COOKIE } from '../alternatives/rotation-sql.js';
import { designExchange, pool, signed, type Note } from './design-exchange.js';
import { BARE_YOGA_OPTIONS, portFromEnv } from './schema.js';

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

const cookie = new RegExp(`(?:^|; )${FLOOR_COOKIE}=([a-z0-9]+)\\.(\\d+)\\.(\\d+)`);
// The design's exchange reads the same token cookie, and the session's fingerprint beside it.
const exchangeDesign = designExchange({
  token: FLOOR_COOKIE,
  fingerprint: FLOOR_FINGERPRINT_COOKIE,
  attributes: 'Path=/; HttpOnly; SameSite=Strict',
});

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
      refreshDesign: (_: unknown, __: unknown, context) => exchangeDesign(context.request.headers.get('cookie') ?? '', context.res),
    },
  },
});

const yoga = createYoga({ schema, ...BARE_YOGA_OPTIONS });
createServer(yoga).listen(portFromEnv(), '127.0.0.1');
