// Events for GraphQL subscriptions. Every topic is keyed by the owning user's id, so a
// subscriber can only ever be handed events of the user it authenticated as (T15, T45).
//
// One process: an in-memory pubsub. Several API instances (PostgreSQL): `publish` also sends
// the note's id and its owner's id — never its text — to the other instances
// (src/cluster/note-relay.ts); the instance holding a subscriber's socket loads the row itself
// and routes it by the row's owner, so what a subscriber receives is exactly what it could
// query (CONTRACT "Several API instances").
import { setMaxListeners } from 'node:events';
import { createPubSub } from 'graphql-yoga';

export type NoteEvent = { id: string; text: string; createdAt: string };
/** What crosses instances: ids only. */
export type NoteRef = { noteId: string; userId: string };

export type AppEvents = {
  /** `noteAdded` of a note the caller owns, routed by its owner's user id. */
  publish(topic: 'noteAdded', userId: string, note: NoteEvent): void;
  subscribe(topic: 'noteAdded', userId: string): AsyncIterable<NoteEvent>;
};

export type RemoteNotes = {
  /** Tells the other instances (ids only). */
  publish(ref: NoteRef): void;
  /** The note with this id IF it belongs to that user, else null (deleted, or a forged ref). */
  load(ref: NoteRef): Promise<(NoteEvent & { userId: string }) | null>;
};

export type ClusterAppEvents = AppEvents & {
  /** A note added through another instance: delivered if someone here subscribes to its owner. */
  receive(ref: NoteRef): Promise<void>;
};

export function createAppEvents(remote?: RemoteNotes): ClusterAppEvents {
  // One listener per live subscription of a user on this instance. Node warns past 10 per event
  // type; the socket caps (sockets per user × subscriptions per socket, socket-limits.ts) are the
  // real bound, so the warning is switched off for this target rather than raised to a guess.
  const eventTarget = new EventTarget();
  setMaxListeners(0, eventTarget);
  const local = createPubSub<{ noteAdded: [userId: string, note: NoteEvent] }>({ eventTarget });
  const subscribers = new Map<string, number>();
  const count = (userId: string, delta: number) => {
    const n = (subscribers.get(userId) ?? 0) + delta;
    if (n > 0) subscribers.set(userId, n);
    else subscribers.delete(userId);
  };

  return {
    publish(topic, userId, note) {
      local.publish(topic, userId, note);
      remote?.publish({ noteId: note.id, userId });
    },

    subscribe(topic, userId) {
      const iterator = local.subscribe(topic, userId)[Symbol.asyncIterator]();
      count(userId, +1);
      let released = false;
      const release = () => {
        if (!released) {
          released = true;
          count(userId, -1);
        }
      };
      const counted: AsyncIterableIterator<NoteEvent> = {
        [Symbol.asyncIterator]: () => counted,
        next: async () => {
          const r = await iterator.next();
          if (r.done) release();
          return r;
        },
        return: async (value?: unknown) => {
          release();
          return (await iterator.return?.(value)) ?? { done: true, value: undefined };
        },
        throw: async (error?: unknown) => {
          release();
          if (iterator.throw) return iterator.throw(error);
          throw error;
        },
      };
      return counted;
    },

    async receive(ref) {
      // Only the instance holding a subscriber of that user reads the row.
      if (!remote || !subscribers.has(ref.userId)) return;
      const row = await remote.load(ref);
      if (!row) return;
      const { userId, ...note } = row;
      // Routed by the owner stored in the database, not by what the notification claimed.
      local.publish('noteAdded', userId, note);
    },
  };
}
