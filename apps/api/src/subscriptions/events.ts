// In-process events for GraphQL subscriptions. Every topic is keyed by the owning user's id, so a
// subscriber can only ever be handed events of the user it authenticated as (T15, T45).
// One instance per API process (created in server.ts); several API replicas would need a shared
// event target (Redis, PostgreSQL LISTEN/NOTIFY) instead of the in-memory default.
import { createPubSub, type PubSub } from 'graphql-yoga';

export type NoteEvent = { id: string; text: string; createdAt: string };

export type AppEvents = PubSub<{
  /** `noteAdded`, routed by the note owner's user id. */
  noteAdded: [userId: string, note: NoteEvent];
}>;

export const createAppEvents = (): AppEvents => createPubSub();
