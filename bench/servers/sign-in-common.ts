// What the sign-in floors (./sign-in-floor.ts, ./design-sign-in.ts) do alike: the account by e-mail
// (its hash, and what a sign-in answers about it: the API's own statement), a new session with its first refresh token in one statement (what every sign-in
// must persist), and a node:http server that hands each POST body to a sign-in and writes its answer.
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';
import { portFromEnv } from './schema.js';

export const pool = new pg.Pool({ connectionString: process.env['DATABASE_URL'], max: 10 });
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** The e-mail and password out of the same GraphQL body the API gets (`variables`). */
export function credentials(body: string): { email: string; password: string } | null {
  const { variables } = JSON.parse(body) as { variables?: { email?: unknown; password?: unknown } };
  const { email, password } = variables ?? {};
  return typeof email === 'string' && typeof password === 'string' ? { email: email.toLowerCase(), password } : null;
}

/** The account: its hash to verify, and what a sign-in answers about it (the API's AuthPayload has the user). */
export type Account = { id: string; password_hash: string; email: string; created_at: Date };

export async function findAccount(email: string): Promise<Account | undefined> {
  const { rows } = await pool.query<Account>({
    name: 'find',
    text: `SELECT id::text, password_hash, email, created_at FROM users WHERE email = $1`,
    values: [email],
  });
  return rows[0];
}

const INSERT = `
  WITH session AS (
    INSERT INTO sessions (id, user_id, fingerprint_hash, created_at, last_used_at, idle_expires_at, absolute_expires_at, refresh_token_key)
    VALUES ($1::uuid, $2::uuid, $3, now(), now(), now() + interval '7 days', now() + interval '30 days', $6)
    RETURNING id, idle_expires_at
  )
  INSERT INTO refresh_tokens (id, session_id, token_hash, fingerprint_hash, created_at, expires_at)
  SELECT $4::uuid, session.id, $5, $3, now(), session.idle_expires_at FROM session`;

export async function insertSession(s: {
  id: string;
  userId: string;
  fingerprintHash: string;
  tokenId: string;
  tokenHash: string;
}): Promise<void> {
  // Every session row carries a 256-bit token key (NOT NULL in the API's schema, ADR 0019).
  const key = randomBytes(32);
  await pool.query({ name: 'insert', text: INSERT, values: [s.id, s.userId, s.fingerprintHash, s.tokenId, s.tokenHash, key] });
}

export type Answer = { status: number; cookies?: string[]; body?: string };

/** Serves `signIn` on PORT: every POST body to it, its answer written back; anything else 405. */
export function serveSignIns(signIn: (body: string, address: string) => Promise<Answer>): void {
  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST') {
        res.writeHead(405).end();
        return;
      }
      signIn(Buffer.concat(chunks).toString('utf8'), req.socket.remoteAddress ?? '').then(
        ({ status, cookies, body }) => {
          res.writeHead(status, { 'content-type': 'application/json', ...(cookies ? { 'set-cookie': cookies } : {}) });
          res.end(body);
        },
        () => res.writeHead(500).end(),
      );
    });
  }).listen(portFromEnv(), '127.0.0.1');
}
