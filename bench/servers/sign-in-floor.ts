// Alternative 6: the floor of ANY HTTP endpoint doing a password sign-in on this machine. node:http,
// pg and argon2, nothing else: per POST, the e-mail and password out of the same GraphQL body the
// API gets (`variables`), the account's hash by e-mail, argon2id's verify, and a new session with its
// first refresh token in one statement (what every sign-in must persist), its cookie set back.
// No GraphQL, no rate limits, no token signing, no argon2 gate, no audit line — not something to
// deploy, a measuring stick: it shows how far below raw argon2id ANY sign-in over HTTP lands here,
// and so how much of the API's gap is its own stack.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import argon2 from 'argon2';
import pg from 'pg';
import { portFromEnv } from './schema.js';

const pool = new pg.Pool({ connectionString: process.env['DATABASE_URL'], max: 10 });
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

const FIND = `SELECT id::text, password_hash FROM users WHERE email = $1`;
const INSERT = `
  WITH session AS (
    INSERT INTO sessions (id, user_id, fingerprint_hash, created_at, last_used_at, idle_expires_at, absolute_expires_at)
    VALUES ($1::uuid, $2::uuid, $3, now(), now(), now() + interval '7 days', now() + interval '30 days')
    RETURNING id, idle_expires_at
  )
  INSERT INTO refresh_tokens (id, session_id, token_hash, fingerprint_hash, created_at, expires_at)
  SELECT $4::uuid, session.id, $5, $3, now(), session.idle_expires_at FROM session`;

async function signIn(body: string): Promise<string | null> {
  const { variables } = JSON.parse(body) as { variables?: { email?: unknown; password?: unknown } };
  const { email, password } = variables ?? {};
  if (typeof email !== 'string' || typeof password !== 'string') return null;
  const { rows } = await pool.query<{ id: string; password_hash: string }>({ name: 'find', text: FIND, values: [email.toLowerCase()] });
  const user = rows[0];
  if (!user || !(await argon2.verify(user.password_hash, password))) return null;
  const token = randomBytes(32).toString('base64url');
  await pool.query({
    name: 'insert',
    text: INSERT,
    values: [randomUUID(), user.id, sha256(randomBytes(32).toString('base64url')), randomUUID(), sha256(token)],
  });
  return token;
}

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    signIn(Buffer.concat(chunks).toString('utf8')).then(
      (token) => {
        if (token === null) {
          res.writeHead(401).end();
          return;
        }
        res.writeHead(200, {
          'content-type': 'application/json',
          'set-cookie': `floor-session=${token}; Path=/; HttpOnly; SameSite=Strict`,
        });
        res.end('{"data":{"signIn":{"accessToken":"floor"}}}');
      },
      () => res.writeHead(500).end(),
    );
  });
}).listen(portFromEnv(), '127.0.0.1');
