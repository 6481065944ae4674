// The plain-SQL notes list (src/notes/note-store.ts) answers exactly what Prisma answers for the
// same rows, on both databases: the user's own notes only, newest first, at most NOTES_LISTED.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/generated/prisma/client.js';
import { createNoteStore, NOTES_LISTED, type NoteStore } from '../../src/notes/note-store.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

let t: TestApi;
let notes: NoteStore;
let owner: User;
let other: User;
const newUser = (name: string) =>
  t.api.prisma.user.create({ data: { email: `${name}-${Date.now()}@example.com`, passwordHash: '$argon2id$v=19$x' } });

beforeAll(async () => {
  t = await startTestApi();
  notes = createNoteStore(t.api.sql);
  owner = await newUser('notes-owner');
  other = await newUser('notes-other');
  // More than the list shows, with distinct times given out of order; plus another user's notes.
  const base = Date.UTC(2026, 0, 1);
  const minutes = Array.from({ length: NOTES_LISTED + 5 }, (_, i) => (i * 7919) % (NOTES_LISTED + 5));
  await t.api.prisma.note.createMany({
    data: minutes.map((m) => ({ userId: owner.id, text: `note ${m}`, createdAt: new Date(base + m * 60_000) })),
  });
  await t.api.prisma.note.createMany({ data: [{ userId: other.id, text: 'not yours', createdAt: new Date(base + 10 ** 9) }] });
});
afterAll(() => t?.close());

describe('note store', () => {
  it("the owner's newest notes, newest first, the very rows Prisma reads", async () => {
    const viaPrisma = await t.api.prisma.note.findMany({
      where: { userId: owner.id },
      orderBy: { createdAt: 'desc' },
      take: NOTES_LISTED,
    });
    const listed = await notes.newestOf(owner.id);
    expect(listed).toHaveLength(NOTES_LISTED);
    expect(listed).toEqual(viaPrisma);
    expect(listed[0]!.createdAt).toBeInstanceOf(Date);
    expect(listed.every((n) => n.userId === owner.id)).toBe(true);
  });

  it('nobody else sees them, and a value that is no user id lists nothing and breaks nothing', async () => {
    expect((await notes.newestOf(other.id)).map((n) => n.text)).toEqual(['not yours']);
    expect(await notes.newestOf('00000000-0000-4000-8000-000000000000')).toEqual([]);
    for (const id of ['not-a-uuid', '', `' OR 1=1 --`, `${owner.id}\u0000`, `${owner.id}' OR '1'='1`]) {
      expect(await notes.newestOf(id)).toEqual([]);
      expect(await notes.newestOf(owner.id)).toHaveLength(NOTES_LISTED);
    }
  });
});
