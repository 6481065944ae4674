// The notes list in Apollo's cache is written from four places: our own addNote and deleteNote, the
// live stream (noteAdded) and the catch-up read the page makes after every (re)connect of its
// socket. The catch-up's answer replaces the list whole (`notes: { merge: false }` in ./client.ts:
// the server's list is the truth, a note deleted elsewhere must go). Three races follow, each
// closed here:
//  - a note saved just after the server read the list can reach the page over the socket BEFORE
//    that answer does; the answer would erase it until the next reconnect. Notes that arrive while
//    a catch-up is on its way and are missing from its answer are put back on top;
//  - a note we delete can still be in an answer the server read before the delete, or still be on
//    its way to us over the stream (our own new note's echo). A note we deleted never comes back;
//  - two catch-ups in flight at once must be two reads: Apollo merges identical requests in
//    flight, so the read after a reconnect could be answered by one made before it, missing what
//    was saved while no socket listened (`notesQueryOptions`).
// What stays: deletes made elsewhere are not streamed, so the page learns of them at its next
// catch-up; one that lands between a note's arrival here and the server's read is seen one later.
import type { ApolloCache } from '@apollo/client';
import { NOTES, type NoteFieldsFragment as Note } from '../graphql';

/**
 * For the page's notes query: every refetch is its own request. Apollo then writes only the answer
 * of the latest one (an older answer that arrives later is dropped).
 */
export const notesQueryOptions = { context: { queryDeduplication: false } } as const;

/** Per cache: for each catch-up on its way, the notes put on the list since it was sent. */
const arrivalsDuring = new WeakMap<ApolloCache<unknown>, Set<Map<string, Note>>>();
/** Per cache: the notes this page deleted (ids are never reused, so these stay gone). */
const deletedHere = new WeakMap<ApolloCache<unknown>, Set<string>>();

function setOf<T>(map: WeakMap<ApolloCache<unknown>, Set<T>>, cache: ApolloCache<unknown>): Set<T> {
  let set = map.get(cache);
  if (!set) map.set(cache, (set = new Set()));
  return set;
}

/** Put a note at the top of the cached list, once (from our own mutation or from the live stream). */
export function prependNote(cache: ApolloCache<unknown>, added: Note): void {
  if (deletedHere.get(cache)?.has(added.id)) return;
  cache.updateQuery({ query: NOTES }, (current) => ({
    notes: [added, ...(current?.notes ?? []).filter((n) => n.id !== added.id)],
  }));
  for (const arrived of arrivalsDuring.get(cache) ?? []) {
    arrived.delete(added.id); // keep arrival order: newest last, so it ends up on top
    arrived.set(added.id, added);
  }
}

/** Our own deleteNote succeeded: no answer or echo on its way brings the note back. */
export function forgetNote(cache: ApolloCache<unknown>, id: string): void {
  setOf(deletedHere, cache).add(id);
}

/**
 * Runs `read` (the page's refetch of the list, which writes its answer into the cache before it
 * resolves), then takes out of the list what this page has deleted and puts back on top, oldest
 * first, the notes that arrived meanwhile and are missing from it (saved after the server's read).
 */
export async function catchUpNotes(cache: ApolloCache<unknown>, read: () => Promise<unknown>): Promise<void> {
  const inFlight = setOf(arrivalsDuring, cache);
  const arrived = new Map<string, Note>();
  inFlight.add(arrived);
  try {
    await read();
  } finally {
    inFlight.delete(arrived);
    const deleted = deletedHere.get(cache);
    const listed = cache.readQuery({ query: NOTES })?.notes ?? [];
    const kept = deleted ? listed.filter((n) => !deleted.has(n.id)) : listed;
    if (kept.length !== listed.length) cache.writeQuery({ query: NOTES, data: { notes: kept } });
    const present = new Set(kept.map((n) => n.id));
    for (const note of arrived.values()) if (!present.has(note.id)) prependNote(cache, note);
  }
}
