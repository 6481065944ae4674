import { useApolloClient, useMutation, useSubscription } from '@apollo/client';
import { useEffect, useState, type FormEvent } from 'react';
import { FormError } from '../components/FormError';
import { Layout } from '../components/Layout';
import { onLiveSocketConnected } from '../lib/apollo/client';
import { catchUpNotes, forgetNote, notesQueryOptions, prependNote } from '../lib/apollo/notes-cache';
import { useCachedQuery } from '../lib/apollo/use-cached-query';
import { userMessage } from '../lib/errors';
import { formatDateTime } from '../lib/format';
import { ADD_NOTE, DELETE_NOTE, NOTE_ADDED, NOTES, type NoteFieldsFragment as Note } from '../lib/graphql';
import { NOTE_MAX_LENGTH, validateNote } from '../lib/input-rules';
import { withSession } from '../lib/ssr/with-session';

/**
 * Notes added elsewhere (another tab or device) appear here as they are written. Every time the
 * live socket connects — on arrival, and each time it moves to a new access token — the list is
 * read again, so a note written while no socket was listening is not missed.
 */
function useLiveNotes(refetch: () => Promise<unknown>): void {
  const { cache } = useApolloClient();
  useSubscription(NOTE_ADDED, {
    // The server renders the page once and never opens the socket.
    skip: typeof window === 'undefined',
    onData: ({ client, data }) => {
      const added = data.data?.noteAdded;
      if (added) prependNote(client.cache, added);
    },
  });
  // The catch-up must not erase a note the stream delivered while it was on its way (notes-cache.ts).
  useEffect(() => onLiveSocketConnected(() => void catchUpNotes(cache, refetch).catch(() => undefined)), [cache, refetch]);
}

export default function NotesPage() {
  // cache-first: the server already put the list in the cache. Each catch-up its own read (notes-cache.ts).
  const { data, refetch } = useCachedQuery(NOTES, notesQueryOptions);
  useLiveNotes(refetch);
  const notes = data?.notes ?? [];
  return (
    <Layout title="Notes">
      <AddNoteForm />
      {notes.length === 0 ? (
        <p className="muted">No notes yet.</p>
      ) : (
        <ul className="notes" aria-label="Your notes">
          {notes.map((note) => (
            <NoteItem key={note.id} note={note} />
          ))}
        </ul>
      )}
    </Layout>
  );
}

function AddNoteForm() {
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [addNote, { loading }] = useMutation(ADD_NOTE, {
    // Newest first, as the API lists them.
    update(cache, { data }) {
      if (data?.addNote) prependNote(cache, data.addNote);
    },
  });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const invalid = validateNote(text);
    setError(invalid);
    if (invalid) return;
    try {
      await addNote({ variables: { text: text.trim() } });
      setText('');
    } catch (e) {
      setError(userMessage(e));
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="inline-form" aria-busy={loading}>
      <fieldset disabled={loading}>
        <div className="field">
          <label htmlFor="note-text">New note</label>
          <textarea
            id="note-text"
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={NOTE_MAX_LENGTH}
            rows={3}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'note-text-error' : undefined}
          />
        </div>
        {error && (
          <p id="note-text-error" role="alert" className="form-error">
            {error}
          </p>
        )}
        <button type="submit">{loading ? 'Adding…' : 'Add note'}</button>
      </fieldset>
    </form>
  );
}

function NoteItem({ note }: { note: Note }) {
  const [error, setError] = useState<string>();
  const [deleteNote, { loading }] = useMutation(DELETE_NOTE, {
    update(cache) {
      forgetNote(cache, note.id);
      cache.evict({ id: cache.identify(note) });
      cache.gc();
    },
  });
  return (
    <li className="note">
      {/* React escapes text: a note containing <script> is shown, never run (THREATS T28). */}
      <p className="note-text">{note.text}</p>
      <small className="muted">{formatDateTime(note.createdAt)}</small>
      <button
        type="button"
        className="secondary"
        disabled={loading}
        aria-label={`Delete note: ${note.text.slice(0, 40)}`}
        onClick={() => deleteNote({ variables: { id: note.id } }).catch((e: unknown) => setError(userMessage(e)))}
      >
        {loading ? 'Deleting…' : 'Delete'}
      </button>
      <FormError message={error} />
    </li>
  );
}

// The notes come with the refresh, in one request to the API (lib/ssr/page-query.ts).
export const getServerSideProps = withSession({ query: NOTES });
