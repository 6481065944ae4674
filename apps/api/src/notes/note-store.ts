// Reading a user's notes in plain SQL (db/sql.ts), like the account lookups (auth/user-store.ts).
// WHY not Prisma here: the list is read on every signed-in render of /notes, in the same request as
// the refresh (ADR 0018). Measured on that request (issue 12), Prisma's query compiler and result
// mapping took ~0.5 ms of the API's time per list, longer than PostgreSQL took to answer it.
// Writes (add, delete) are rare and stay with Prisma. Every value is a bind parameter.
import type { Note } from '../generated/prisma/client.js';
import { isUuid } from '../db/ids.js';
import { sql, type SqlClient } from '../db/sql.js';

/** At most this many notes are listed, newest first. */
export const NOTES_LISTED = 200;

type NoteRow = { id: string; user_id: string; text: string; created_at: Date };

export function createNoteStore(db: SqlClient) {
  return {
    /** The user's newest notes, newest first (the index on user_id, created_at serves it; id breaks ties). */
    async newestOf(userId: string): Promise<Note[]> {
      if (!isUuid(userId)) return []; // `::uuid` would fail at bind time; no such user has notes
      const rows = await db.rows<NoteRow>(sql`
        SELECT id::text, user_id::text, text, created_at FROM notes
         WHERE user_id = ${userId}::uuid ORDER BY created_at DESC, id DESC LIMIT ${NOTES_LISTED}`);
      return rows.map((r) => ({ id: r.id, userId: r.user_id, text: r.text, createdAt: r.created_at }));
    },
  };
}

export type NoteStore = ReturnType<typeof createNoteStore>;
