// The notes list in a real Apollo cache (the app's own type policies) under every interleaving of
// what writes it: notes the live stream delivers, our own additions and deletions, reconnects that
// lose what was on its way, and catch-up reads that the server reads at one moment and whose
// answers arrive at another. A model server keeps the truth; once everything is delivered and
// answered, the page's list must be exactly it.
import { ApolloClient, HttpLink } from '@apollo/client';
import { CSRF_HEADER } from '@app/shared';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createCache } from '../src/lib/apollo/client';
import { catchUpNotes, forgetNote, notesQueryOptions, prependNote } from '../src/lib/apollo/notes-cache';
import { NOTES } from '../src/lib/graphql';
import { GraphqlTestServer } from './support/graphql-test-server';

/** A note as the API sends it (with its __typename, which the cache uses to normalise it). */
const note = (n: number) => ({ __typename: 'Note' as const, id: `n${n}`, text: `note ${n}`, createdAt: new Date(n * 1000).toISOString() });
type TestNote = ReturnType<typeof note>;

type CatchUp = { serial: number; snapshot: TestNote[] | undefined; answer: () => void; done: Promise<void> };

/** One page's cache and the server it talks to. */
function world() {
  const cache = createCache();
  const server: TestNote[] = []; // newest first, as the API lists them
  let stream: TestNote[] = []; // published, not yet delivered over the socket (in order)
  const catchUps: CatchUp[] = [];
  let notes = 0;
  let catchUpsSent = 0;
  cache.writeQuery({ query: NOTES, data: { notes: [] } });
  const list = () => (cache.readQuery({ query: NOTES })?.notes ?? []).map((n) => n.id);

  function startCatchUp() {
    let answer = () => {};
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const c: CatchUp = { serial: ++catchUpsSent, snapshot: undefined, answer, done: Promise.resolve() };
    c.done = catchUpNotes(cache, async () => {
      await answered;
      // Like Apollo's refetch: the answer is written before the promise resolves, and only if no
      // newer refetch of the same query has been sent since (an older answer is dropped).
      if (c.serial === catchUpsSent) cache.writeQuery({ query: NOTES, data: { notes: c.snapshot! } });
    });
    catchUps.push(c);
  }

  return {
    list,
    server,
    /** Someone (another device, or this page's own addNote) saves a note; the stream carries every
     * note of the account to all its sockets, the author's own included (noteAdded). */
    save(own: boolean) {
      const n = note(++notes);
      server.unshift(n);
      stream.push(n);
      if (own) prependNote(cache, n); // addNote's answer reaches the page before the stream does
    },
    deliver() {
      const n = stream.shift();
      if (n) prependNote(cache, n);
    },
    /** This page deletes a note it shows (deleteNote answered, then its update runs, as in notes.tsx). */
    deleteShown(pick: number) {
      const shown = list();
      if (shown.length === 0) return;
      const id = shown[pick % shown.length]!;
      server.splice(
        server.findIndex((n) => n.id === id),
        1,
      );
      forgetNote(cache, id);
      cache.evict({ id: cache.identify({ __typename: 'Note', id }) });
      cache.gc();
    },
    startCatchUp,
    /** The socket drops what was on its way; the new one's connect starts a catch-up. */
    reconnect() {
      stream = [];
      startCatchUp();
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
  fc.nat(5).map((pick) => ({ kind: 'delete' as const, pick })),
  fc.constant({ kind: 'catch-up' as const }),
  fc.constant({ kind: 'reconnect' as const }),
  fc.constant({ kind: 'server-read' as const }),
  fc.nat(5).map((pick) => ({ kind: 'answer' as const, pick })),
);

let server: GraphqlTestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('notes list: live stream, own additions and deletions, catch-up reads', () => {
  it('misses no note, brings back no deleted one and keeps the server order, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const w = world();
        for (const s of steps) {
          if (s.kind === 'save') w.save(s.own);
          else if (s.kind === 'deliver') w.deliver();
          else if (s.kind === 'delete') w.deleteShown(s.pick);
          else if (s.kind === 'catch-up') w.startCatchUp();
          else if (s.kind === 'reconnect') w.reconnect();
          else if (s.kind === 'server-read') w.serverRead();
          else await w.answer(s.pick);
        }
        await w.settle();
        expect(w.list()).toEqual(w.server.map((n) => n.id));
      }),
      { numRuns: 1000 },
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

  it('a note we deleted does not come back with an answer read before the delete', async () => {
    const w = world();
    w.save(false);
    w.deliver();
    w.startCatchUp();
    w.serverRead(); // reads [n1]
    w.deleteShown(0); // n1 deleted here
    await w.answer(0);
    expect(w.list()).toEqual([]);
  });

  it("two catch-ups in flight at once are two requests (Apollo would otherwise answer both with the first's)", async () => {
    server = await new GraphqlTestServer().start();
    const client = new ApolloClient({
      cache: createCache(),
      link: new HttpLink({ uri: server.url, headers: { [CSRF_HEADER]: '1' } }),
    });
    const query = client.watchQuery({ query: NOTES, ...notesQueryOptions });
    const watching = query.subscribe(() => {});
    await expect.poll(() => server!.count('Notes')).toBe(1);
    await Promise.all([query.refetch(), query.refetch()]);
    expect(server.count('Notes')).toBe(3);
    watching.unsubscribe();
  });
});
