// Alternative 4: refresh-token rotation as plain SQL, the floor for what the API's rotation can cost
// on this database: the same statements the API's rotation runs (find the token with its session and
// user, claim it, insert the successor, link it, slide the session) in one transaction, from N clients.
// Driven by pgbench when it is installed, otherwise by `pg` from N connections.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** The cookie naming the current token (`<run>.<client>.<n>`) for servers/rotation-floor.ts. */
export const FLOOR_COOKIE = 'floor-token';
/** The fingerprint cookie of a seeded session (servers/ssr-floor-api.ts): `<run>:<client>`, whose SHA-256 `seed` stores. */
export const FLOOR_FINGERPRINT_COOKIE = 'floor-fingerprint';

export type PlainSqlResult = { perSecond: number; total: number; errors: number; driver: 'pgbench' | 'pg' };

const tokenHash = (runId: string, client: number, n: number) => createHash('sha256').update(`${runId}:${client}:${n}`).digest('hex');

/** N fresh sessions of `userId`, each with a live refresh token whose hash the clients can derive. */
export async function seed(databaseUrl: string, userId: string, runId: string, clients: number): Promise<void> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    for (let c = 0; c < clients; c++) {
      const fgp = createHash('sha256').update(`${runId}:${c}`).digest('hex');
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO sessions (id, user_id, fingerprint_hash, created_at, last_used_at, idle_expires_at, absolute_expires_at, refresh_token_key)
         VALUES (gen_random_uuid(), $1, $2, now(), now(), now() + interval '7 days', now() + interval '30 days', $3) RETURNING id`,
        [userId, fgp, randomBytes(32)],
      );
      await db.query(
        `INSERT INTO refresh_tokens (id, session_id, token_hash, fingerprint_hash, created_at, expires_at)
         VALUES (gen_random_uuid(), $1, $2, $3, now(), now() + interval '7 days')`,
        [rows[0]!.id, tokenHash(runId, c, 0), fgp],
      );
    }
  } finally {
    await db.end();
  }
}

// $1 run id, $2 client, $3 n (the current token's number). Same shape as the API's statements.
const SQL = {
  find: `SELECT rt.id AS tid, rt.fingerprint_hash AS fgp, s.id AS sid, u.id AS uid
           FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id JOIN users u ON u.id = s.user_id
          WHERE rt.token_hash = encode(sha256(convert_to(concat($1::text, ':', $2::text, ':', $3::text), 'UTF8')), 'hex')
            AND s.revoked_at IS NULL AND s.idle_expires_at > now() AND s.absolute_expires_at > now()
            AND rt.expires_at > now() AND rt.rotated_at IS NULL`,
  claim: `UPDATE refresh_tokens SET rotated_at = now() WHERE id = $1 AND rotated_at IS NULL`,
  insert: `INSERT INTO refresh_tokens (id, session_id, token_hash, fingerprint_hash, created_at, expires_at)
           VALUES (gen_random_uuid(), $1, encode(sha256(convert_to(concat($2::text, ':', $3::text, ':', $4::text), 'UTF8')), 'hex'),
                   $5, now(), now() + interval '7 days') RETURNING id AS nid`,
  link: `UPDATE refresh_tokens SET successor_id = $1 WHERE id = $2`,
  slide: `UPDATE sessions SET last_used_at = now(), idle_expires_at = LEAST(now() + interval '7 days', absolute_expires_at) WHERE id = $1`,
};

const PGBENCH_SCRIPT = `\\set next :n + 1
BEGIN;
${SQL.find.replace('$1', ':run').replace('$2', ':client_id').replace('$3', ':n')} \\gset
${SQL.claim.replace('$1', ':tid')};
${SQL.insert.replace('$1', ':sid').replace('$2', ':run').replace('$3', ':client_id').replace('$4', ':next').replace('$5', ':fgp')} \\gset
${SQL.link.replace('$1', ':nid').replace('$2', ':tid')};
${SQL.slide.replace('$1', ':sid')};
COMMIT;
\\set n :next
`;

export async function hasPgbench(): Promise<boolean> {
  try {
    await run('pgbench', ['--version']);
    return true;
  } catch {
    return false;
  }
}

export async function plainSqlRotation(options: {
  databaseUrl: string;
  userId: string;
  clients: number;
  seconds: number;
  driver: 'pgbench' | 'pg';
}): Promise<PlainSqlResult> {
  const runId = `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  await seed(options.databaseUrl, options.userId, runId, options.clients);
  return options.driver === 'pgbench' ? withPgbench(options, runId) : withPg(options, runId);
}

async function withPgbench(options: { databaseUrl: string; clients: number; seconds: number }, runId: string): Promise<PlainSqlResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-pgbench-'));
  const script = path.join(dir, 'rotation.sql');
  await writeFile(script, PGBENCH_SCRIPT);
  // Prepared statements over the extended protocol, like the API's driver.
  const args = [
    '-n',
    '-M',
    'prepared',
    '-c',
    String(options.clients),
    '-j',
    '2',
    '-T',
    String(Math.max(1, Math.round(options.seconds))),
    '-D',
    `run=${runId}`,
    '-D',
    'n=0',
    '-f',
    script,
    options.databaseUrl,
  ];
  const { stdout, stderr } = await run('pgbench', args, { maxBuffer: 10 * 1024 * 1024 }).catch(
    (e: { stdout?: string; stderr?: string }) => {
      throw new Error(`pgbench failed: ${e.stderr ?? e}`);
    },
  );
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1];
  const processed = /number of transactions actually processed: (\d+)/.exec(stdout)?.[1];
  const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0);
  const aborted = /aborted|error/i.test(stderr) ? 1 : 0;
  if (!tps || !processed) throw new Error(`pgbench output not understood:\n${stdout}\n${stderr}`);
  return { perSecond: Number(tps), total: Number(processed), errors: failed + aborted, driver: 'pgbench' };
}

async function withPg(options: { databaseUrl: string; clients: number; seconds: number }, runId: string): Promise<PlainSqlResult> {
  const clients = await Promise.all(
    Array.from({ length: options.clients }, async () => {
      const c = new pg.Client({ connectionString: options.databaseUrl });
      await c.connect();
      return c;
    }),
  );
  let total = 0;
  let errors = 0;
  const started = performance.now();
  const until = started + options.seconds * 1000;
  try {
    await Promise.all(
      clients.map(async (db, client) => {
        for (let n = 0; performance.now() < until; n++) {
          try {
            await rotateOnce(db, runId, client, n);
            total++;
          } catch {
            errors++;
            return;
          }
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
  return { perSecond: total / ((performance.now() - started) / 1000), total, errors, driver: 'pg' };
}

/**
 * One rotation of client `client`'s token number `n`, in one transaction, as prepared statements
 * (pg names them per connection). Throws, after rolling back, when the token is not there.
 */
export async function rotateOnce(db: pg.ClientBase, runId: string, client: number, n: number): Promise<void> {
  await db.query('BEGIN');
  try {
    const found = await db.query<{ tid: string; fgp: string; sid: string }>({ name: 'find', text: SQL.find, values: [runId, client, n] });
    const row = found.rows[0];
    if (!row) throw new Error('token not found');
    const claimed = await db.query({ name: 'claim', text: SQL.claim, values: [row.tid] });
    if (claimed.rowCount !== 1) throw new Error('not claimed');
    const inserted = await db.query<{ nid: string }>({
      name: 'insert',
      text: SQL.insert,
      values: [row.sid, runId, client, n + 1, row.fgp],
    });
    await db.query({ name: 'link', text: SQL.link, values: [inserted.rows[0]!.nid, row.tid] });
    await db.query({ name: 'slide', text: SQL.slide, values: [row.sid] });
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
