// Reading users on the hot paths in plain SQL (db/sql.ts): sign-in looks the account up by e-mail,
// `me` by id. WHY not Prisma here: measured on a sign-in (issue 12), Prisma's query compiler and
// result mapping cost ~1 ms of the event loop per lookup, about a fifth of the main thread's
// work per sign-in, and that thread shares the cores with argon2. Every value is a bind parameter.
import type { User } from '../generated/prisma/client.js';
import { isUuid } from '../db/ids.js';
import { sql, type SqlClient } from '../db/sql.js';

type UserRow = { id: string; email: string; password_hash: string; created_at: Date };

/** What a stored address can be (parseEmail's output: ≤ 254 characters, never a NUL). */
const couldBeStoredEmail = (email: string) => email.length > 0 && email.length <= 254 && !email.includes('\u0000');

const toUser = (r: UserRow): User => ({ id: r.id, email: r.email, passwordHash: r.password_hash, createdAt: r.created_at });

export function createUserStore(db: SqlClient) {
  return {
    /** The account with this (already normalised) e-mail, or null. */
    async byEmail(email: string): Promise<User | null> {
      // A value no account can have is not looked up: PostgreSQL would refuse it at bind time
      // (NUL), and on embedded PGlite such an error also breaks the connection for the next queries.
      if (!couldBeStoredEmail(email)) return null;
      const rows = await db.rows<UserRow>(sql`SELECT id::text, email, password_hash, created_at FROM users WHERE email = ${email}`);
      return rows[0] ? toUser(rows[0]) : null;
    },

    /** The account with this id (a UUID from a verified token), or null. */
    async byId(id: string): Promise<User | null> {
      if (!isUuid(id)) return null; // likewise: `::uuid` would fail at bind time
      const rows = await db.rows<UserRow>(sql`SELECT id::text, email, password_hash, created_at FROM users WHERE id = ${id}::uuid`);
      return rows[0] ? toUser(rows[0]) : null;
    },
  };
}

export type UserStore = ReturnType<typeof createUserStore>;
