// The notes list in a real Apollo cache (the app's own type policies) under every interleaving of
// the three things that write it: notes the live stream delivers, our own additions, and catch-up
// reads whose answers were read by the server at some moment and arrive at another. A model server
// keeps the truth; once everything is delivered and answered, the page's list must be exactly it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCache } from '../src/lib/apollo/client';
import { catchUpNotes, forgetNote, prependNote } from '../src/lib/apollo/notes-cache';
import { NOTES, type NoteFieldsFragment as Note } from '../src/lib/graphql';

/** A note as the API sends it (with its __typename, which the cache uses to normalise it). */
const note = (n: number) => ({ __typename: 'Note' as const, id: `n${n}`, text: `note ${n}`, createdAt: new Date(n * 1000).toISOString() });

type CatchUp = { snapshot: Note[] | undefined; answer: () => void; done: Promise<void> };

/** One page's cache and the server it talks to. */
function world() {
  const cache = createCache();
  const server: Note[] = []; // newest first, as the API lists them
  const stream: Note[] = []; // saved, not yet delivered over the socket (in order)
  const catchUps: CatchUp[] = [];
  let serial = 0;
  cache.writeQuery({ query: NOTES, data: { notes: [] } });
  const list = () => (cache.readQuery({ query: NOTES })?.notes ?? []).map((n) => n.id);
  return {
    list,
    server,
    /** Someone (another device, or this page's own addNote) saves a note; the stream carries every
     * note of the account to all its sockets, the author's own included (noteAdded). */
    save(own: boolean) {
      const n = note(++serial);
      server.unshift(n);
      stream.push(n);
      if (own) prependNote(cache, n); // addNote's answer reaches the page before the stream does
    },
    deliver() {
      const n = stream.shift();
      if (n) prependNote(cache, n);
    },
    startCatchUp() {
      let answer = () => {};
      const answered = new Promise<void>((resolve) => (answer = resolve));
      const c: CatchUp = { snapshot: undefined, answer: () => {}, done: Promise.resolve() };
      c.done = catchUpNotes(cache, async () => {
        await answered;
        // Apollo writes the refetch's answer into the cache before its promise resolves.
        cache.writeQuery({ query: NOTES, data: { notes: c.snapshot! } });
      });
      c.answer = answer;
      catchUps.push(c);
    },
    /** The server reads the list for the oldest catch-up it has not read yet. */
    serverRead() {
      const c = catchUps.find((x) => x.snapshot === undefined);
      if (c) c.snapshot = [...server];
    },
    /** The answer of a read catch-up arrives (any of them: answers may overtake each other). */
    async answer(pick: number) {
      const read = catchUps.filter((x) => x.snapshot !== undefined);
      if (read.length === 0) return;
      const c = read[pick % read.length]!;
      catchUps.splice(catchUps.indexOf(c), 1);
      c.answer();
      await c.done;
    },
    async settle() {
      while (stream.length > 0) this.deliver();
      while (catchUps.length > 0) {
        this.serverRead();
        await this.answer(0);
      }
    },
  };
}

const step = fc.oneof(
  fc.constant({ kind: 'save' as const, own: false }),
  fc.constant({ kind: 'save' as const, own: true }),
  fc.constant({ kind: 'deliver' as const }),
  fc.constant({ kind: 'catch-up' as const }),
  fc.constant({ kind: 'server-read' as const }),
  fc.nat(5).map((pick) => ({ kind: 'answer' as const, pick })),
);

describe('notes list: live stream, own additions and catch-up reads', () => {
  it('misses no note and keeps the server order, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const w = world();
        for (const s of steps) {
          if (s.kind === 'save') w.save(s.own);
          else if (s.kind === 'deliver') w.deliver();
          else if (s.kind === 'catch-up') w.startCatchUp();
          else if (s.kind === 'server-read') w.serverRead();
          else await w.answer(s.pick);
        }
        await w.settle();
        expect(w.list()).toEqual(w.server.map((n) => n.id));
      }),
      { numRuns: 500 },
    );
  });

  it('the case that needs it: a note saved after the server read the list, delivered before the answer', async () => {
    const w = world();
    w.save(false);
    w.deliver();
    w.startCatchUp();
    w.serverRead(); // reads [n1]
    w.save(false); // n2, after the read
    w.deliver(); // reaches the page first
    expect(w.list()).toEqual(['n2', 'n1']);
    await w.answer(0); // the answer, [n1], would replace the list
    expect(w.list()).toEqual(['n2', 'n1']);
  });

  it('a note we deleted while a catch-up was on its way is not put back', async () => {
    const cache = createCache();
    cache.writeQuery({ query: NOTES, data: { notes: [] } });
    let answer = () => {};
    const done = catchUpNotes(cache, () => new Promise<void>((resolve) => (answer = resolve)));
    prependNote(cache, note(1)); // delivered while the read is on its way
    forgetNote(cache, 'n1'); // then deleted here (the page also evicts it)
    cache.evict({ id: cache.identify(note(1)) });
    cache.writeQuery({ query: NOTES, data: { notes: [] } }); // the answer: the server no longer has it
    answer();
    await done;
    expect(cache.readQuery({ query: NOTES })?.notes).toEqual([]);
  });
});
