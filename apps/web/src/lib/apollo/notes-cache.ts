// The notes list in Apollo's cache is written from three places: our own addNote, the live stream
// (noteAdded) and the catch-up read the page makes after every (re)connect of its socket. The
// catch-up's answer replaces the list whole (`notes: { merge: false }` in ./client.ts: the server's
// list is the truth, a note deleted elsewhere must go). But a note saved just after the server read
// that list can reach the page over the socket BEFORE that answer does, and the answer would then
// erase it until the next reconnect. So every note put on the list while a catch-up is on its way
// is put back on top once the catch-up's answer is in.
import type { ApolloCache } from '@apollo/client';
import { NOTES, type NoteFieldsFragment as Note } from '../graphql';

/** Per cache: for each catch-up on its way, the notes put on the list since it was sent. */
const arrivalsDuring = new WeakMap<ApolloCache<unknown>, Set<Map<string, Note>>>();

function putOnTop(cache: ApolloCache<unknown>, added: Note): void {
  cache.updateQuery({ query: NOTES }, (current) => ({
    notes: [added, ...(current?.notes ?? []).filter((n) => n.id !== added.id)],
  }));
}

/** Put a note at the top of the cached list, once (from our own mutation or from the live stream). */
export function prependNote(cache: ApolloCache<unknown>, added: Note): void {
  putOnTop(cache, added);
  for (const arrived of arrivalsDuring.get(cache) ?? []) {
    arrived.delete(added.id); // keep arrival order: newest last, so it ends up on top
    arrived.set(added.id, added);
  }
}

/** A note we deleted is not put back by a catch-up that was on its way. */
export function forgetNote(cache: ApolloCache<unknown>, id: string): void {
  for (const arrived of arrivalsDuring.get(cache) ?? []) arrived.delete(id);
}

/**
 * Runs `read` (the page's refetch of the list) and then puts back on top, oldest first, the notes
 * that arrived while it was on its way, whether or not its answer has them (putting one that it
 * has on top again changes nothing: they are the newest).
 */
export async function catchUpNotes(cache: ApolloCache<unknown>, read: () => Promise<unknown>): Promise<void> {
  let inFlight = arrivalsDuring.get(cache);
  if (!inFlight) arrivalsDuring.set(cache, (inFlight = new Set()));
  const arrived = new Map<string, Note>();
  inFlight.add(arrived);
  try {
    await read();
  } finally {
    inFlight.delete(arrived);
    for (const note of arrived.values()) prependNote(cache, note);
  }
}
