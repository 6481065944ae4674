// `noteAdded` across API instances: NOTIFY carries the note's id, its owner's id and the sending
// instance's id — never the text, so payloads stay far below PostgreSQL's 8000-byte limit and
// nothing readable travels outside the table. The receiving instance loads the row itself
// (src/subscriptions/events.ts decides who may see it).
import type { Logger } from 'pino';
import type { PrismaClient } from '../generated/prisma/client.js';
import { isUuid, toNote } from '../graphql/resolvers/mappers.js';
import type { NoteRef, RemoteNotes } from '../subscriptions/events.js';
import type { Notifier } from './revocation-sync.js';

export const NOTE_CHANNEL = 'api_note_added';

type Payload = { n: string; u: string; o: string };

export function createNoteRelay(deps: { notifier: Notifier; prisma: PrismaClient; instanceId: string; logger: Logger }) {
  const { notifier, prisma, instanceId, logger } = deps;

  const remote: RemoteNotes = {
    publish(ref) {
      const payload: Payload = { n: ref.noteId, u: ref.userId, o: instanceId };
      notifier
        .query('SELECT pg_notify($1, $2)', [NOTE_CHANNEL, JSON.stringify(payload)])
        .catch((err: Error) => logger.warn({ err: err.message }, 'could not publish noteAdded to other instances'));
    },
    async load(ref) {
      const row = await prisma.note.findFirst({ where: { id: ref.noteId, userId: ref.userId } });
      return row ? { ...toNote(row), userId: row.userId } : null;
    },
  };

  /** A payload from another instance, or null (ours — already delivered here — or malformed). */
  function parse(payload: string): NoteRef | null {
    let p: Partial<Payload> | null;
    try {
      p = JSON.parse(payload) as Partial<Payload>;
    } catch {
      p = null;
    }
    if (!p || typeof p.n !== 'string' || typeof p.u !== 'string' || !isUuid(p.n) || !isUuid(p.u)) {
      logger.warn('ignored a malformed noteAdded notification');
      return null;
    }
    return p.o === instanceId ? null : { noteId: p.n, userId: p.u };
  }

  return { remote, parse };
}
