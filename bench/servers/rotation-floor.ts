// Alternative 5: the floor of ANY HTTP endpoint doing this rotation on this machine. node:http and
// pg, nothing else: per request, the plain-SQL rotation of alternatives/rotation-sql.ts (the same
// transaction pgbench runs) for the token named by a cookie, and the next token's name set back as a
// cookie. No GraphQL, no ORM, no crypto, no checks — not something to deploy, a measuring stick: it
// shows how much of the gap between the API and pgbench is HTTP plus round trips, which every
// server pays, and how much is the API's own stack.
import { createServer } from 'node:http';
import pg from 'pg';
import { FLOOR_COOKIE, rotateOnce } from '../alternatives/rotation-sql.js';
import { portFromEnv } from './schema.js';

const pool = new pg.Pool({ connectionString: process.env['DATABASE_URL'], max: 10 });

createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const match = new RegExp(`(?:^|; )${FLOOR_COOKIE}=([a-z0-9]+)\\.(\\d+)\\.(\\d+)`).exec(req.headers.cookie ?? '');
    if (!match) {
      res.writeHead(401).end();
      return;
    }
    const [, runId, client, n] = match as unknown as [string, string, string, string];
    pool.connect().then(
      async (db) => {
        try {
          await rotateOnce(db, runId, Number(client), Number(n));
          res.writeHead(200, {
            'content-type': 'application/json',
            'set-cookie': `${FLOOR_COOKIE}=${runId}.${client}.${Number(n) + 1}; Path=/; HttpOnly; SameSite=Strict`,
          });
          res.end('{"data":{"refreshAccessToken":{"accessToken":"floor"}}}');
        } catch {
          res.writeHead(500).end();
        } finally {
          db.release();
        }
      },
      () => res.writeHead(503).end(),
    );
  });
}).listen(portFromEnv(), '127.0.0.1');
