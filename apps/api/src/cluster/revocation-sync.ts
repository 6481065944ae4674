// Revocations shared by every API instance on one PostgreSQL database (CONTRACT "Several API
// instances"; THREATS T17, T48; docs/decisions/0010).
//
// Access tokens are verified without the database, so each instance refuses a revoked session's
// still-unexpired tokens from its in-memory deny-list (docs/decisions/0004). A revocation made
// here is published with NOTIFY (session ids only, nothing secret); one made elsewhere arrives
// by LISTEN, or, if the notification was missed, by the catch-up query on the `revoked_at`
// column. Either way it lands in the deny-list and closes the session's sockets here, through
// the same `onRevoke` feed a local revocation uses.
import type pg from 'pg';
import type { Logger } from 'pino';
import type { RevokedSessions } from '../auth/revoked-sessions.js';
import { isUuid } from '../graphql/resolvers/mappers.js';

export const REVOCATION_CHANNEL = 'api_sessions_revoked';
// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; a UUID is 36 bytes + 3 of JSON.
const IDS_PER_NOTIFICATION = 150;
const PUBLISH_ATTEMPTS = 3;

type Listener = (sessionIds: string[]) => void;

/** Runs one statement on some connection (the cluster's small pg pool). */
export type Notifier = { query(text: string, values: unknown[]): Promise<unknown> };

export function createRevocationSync(deps: { revoked: RevokedSessions; notifier?: Notifier; logger: Logger }) {
  const { revoked, notifier, logger } = deps;
  const listeners = new Set<Listener>();

  const emit = (ids: string[]) => {
    if (ids.length > 0) for (const l of listeners) l(ids);
  };

  /** Deny-lists what another instance revoked; closes sockets only for sessions new to the list. */
  function applyRemote(rows: { id: string; revokedAt: Date }[]): void {
    emit(rows.filter((r) => revoked.add(r.id, r.revokedAt)).map((r) => r.id));
  }

  async function notifyOnce(payload: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await notifier!.query('SELECT pg_notify($1, $2)', [REVOCATION_CHANNEL, payload]);
        return;
      } catch (err) {
        // The revocation is committed; a lost notification is picked up by the others' periodic
        // catch-up query, just later. Retry a little first.
        if (attempt >= PUBLISH_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  }

  return {
    /** A revocation made by this instance (sessions.onRevoke): already deny-listed here. */
    local(sessionIds: string[]): void {
      emit(sessionIds);
      if (!notifier) return;
      for (let i = 0; i < sessionIds.length; i += IDS_PER_NOTIFICATION) {
        const payload = JSON.stringify(sessionIds.slice(i, i + IDS_PER_NOTIFICATION));
        notifyOnce(payload).catch((err: Error) =>
          logger.error(
            { err: err.message, sessions: sessionIds.length },
            'could not publish a revocation; others catch up from revoked_at',
          ),
        );
      }
    },

    /** A NOTIFY payload from the channel: a JSON array of session ids. Anything else is ignored. */
    receive(payload: string): void {
      let ids: unknown;
      try {
        ids = JSON.parse(payload);
      } catch {
        ids = null;
      }
      if (!Array.isArray(ids) || !ids.every((id): id is string => typeof id === 'string' && isUuid(id))) {
        logger.warn('ignored a malformed revocation notification');
        return;
      }
      // When it was revoked is not in the payload; "now" keeps it deny-listed slightly longer, never shorter.
      const now = new Date();
      applyRemote(ids.map((id) => ({ id, revokedAt: now })));
    },

    /** Reads revocations committed since `since` (or within the deny-list's retention). */
    async catchUp(client: pg.Client, since: Date | null): Promise<void> {
      const relevant = revoked.relevantSince();
      const from = since && since > relevant ? since : relevant;
      const { rows } = await client.query<{ id: string; revoked_at: Date }>(
        'SELECT id::text, revoked_at FROM sessions WHERE revoked_at >= $1',
        [from],
      );
      applyRemote(rows.map((r) => ({ id: r.id, revokedAt: r.revoked_at })));
    },

    /** Every revocation that reaches this instance, local or remote (websocket-server closes sockets). */
    onRevoke(listener: Listener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type RevocationSync = ReturnType<typeof createRevocationSync>;
