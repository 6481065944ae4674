// Notes are scoped to their owner (OWASP Authorization CS, IDOR; THREATS T45).
import { ADD_NOTE, DELETE_NOTE, NOTES } from '@app/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Note } from '../../src/graphql/generated/resolvers-types.js';
import { signUp } from '../support/flows.js';
import { errorCode, graphql } from '../support/http-client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

describe('notes', () => {
  it('each user sees only their own notes', async () => {
    const alice = await signUp(t.url);
    const bob = await signUp(t.url);
    await graphql(t.url, ADD_NOTE, { text: 'alice secret' }, { token: alice.token, jar: alice.jar });
    await graphql(t.url, ADD_NOTE, { text: 'bob secret' }, { token: bob.token, jar: bob.jar });
    const r = await graphql<{ notes: Note[] }>(t.url, NOTES, {}, { token: alice.token, jar: alice.jar });
    expect(r.body.data!.notes.map((n) => n.text)).toEqual(['alice secret']);
  });

  it('T45 deleting another user\'s note is "not found" and the note survives', async () => {
    const alice = await signUp(t.url);
    const mallory = await signUp(t.url);
    const added = await graphql<{ addNote: Note }>(t.url, ADD_NOTE, { text: 'keep me' }, { token: alice.token, jar: alice.jar });
    const id = added.body.data!.addNote.id;
    const r = await graphql(t.url, DELETE_NOTE, { id }, { token: mallory.token, jar: mallory.jar });
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors![0]!.message).toBe('Note not found');
    const still = await graphql<{ notes: Note[] }>(t.url, NOTES, {}, { token: alice.token, jar: alice.jar });
    expect(still.body.data!.notes.map((n) => n.id)).toEqual([id]);
    const own = await graphql<{ deleteNote: boolean }>(t.url, DELETE_NOTE, { id }, { token: alice.token, jar: alice.jar });
    expect(own.body.data!.deleteNote).toBe(true);
  });

  it('requires authentication and validates length', async () => {
    const anon = await graphql(t.url, NOTES);
    expect(anon.status).toBe(401);
    const alice = await signUp(t.url);
    for (const text of ['', '   ', 'x'.repeat(1001)]) {
      const r = await graphql(t.url, ADD_NOTE, { text }, { token: alice.token, jar: alice.jar });
      expect(errorCode(r)).toBe('BAD_USER_INPUT');
    }
  });

  it("stores markup as plain text (rendering is the web app's job)", async () => {
    const alice = await signUp(t.url);
    const text = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const r = await graphql<{ addNote: Note }>(t.url, ADD_NOTE, { text }, { token: alice.token, jar: alice.jar });
    expect(r.body.data!.addNote.text).toBe(text);
  });
});
