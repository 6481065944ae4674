import { useApolloClient, useMutation } from '@apollo/client';
import { useState } from 'react';
import { FormError } from '../components/FormError';
import { Layout } from '../components/Layout';
import { useCachedQuery } from '../lib/apollo/use-cached-query';
import { endLocalSession } from '../lib/auth/sign-out';
import { userMessage } from '../lib/errors';
import { describeUserAgent, formatDateTime } from '../lib/format';
import { REVOKE_SESSION, SESSIONS, SIGN_OUT_EVERYWHERE, type SessionsQuery } from '../lib/graphql';
import { withSession } from '../lib/ssr/with-session';

// One row of the Sessions query, as generated from the schema.
type SessionRow = SessionsQuery['sessions'][number];

export default function SessionsPage() {
  const { data } = useCachedQuery(SESSIONS);
  const sessions = data?.sessions ?? [];
  return (
    <Layout title="Your devices">
      <p>
        Every browser signed in to your account has a session. Revoking one signs that browser out on its next request: its refresh token
        stops working at once, and so does its current access token.
      </p>
      <ul className="sessions" aria-label="Sessions">
        {sessions.map((s) => (
          <SessionItem key={s.id} session={s} />
        ))}
      </ul>
      <SignOutEverywhere />
    </Layout>
  );
}

function SessionItem({ session }: { session: SessionRow }) {
  const [error, setError] = useState<string>();
  const [revoke, { loading }] = useMutation(REVOKE_SESSION, {
    update(cache) {
      cache.evict({ id: cache.identify(session) });
      cache.gc();
    },
  });
  const device = describeUserAgent(session.userAgent);
  return (
    <li className={session.current ? 'session current' : 'session'} data-testid="session">
      <div>
        <strong title={session.userAgent ?? undefined}>{device}</strong>
        {session.current && <span className="badge">This device</span>}
      </div>
      <small className="muted">
        Signed in {formatDateTime(session.createdAt)} · last used {formatDateTime(session.lastUsedAt)} · expires{' '}
        {formatDateTime(session.expiresAt)}
      </small>
      {!session.current && (
        <button
          type="button"
          className="secondary"
          disabled={loading}
          aria-label={`Revoke ${device}, signed in ${formatDateTime(session.createdAt)}`}
          onClick={() => revoke({ variables: { id: session.id } }).catch((e: unknown) => setError(userMessage(e)))}
        >
          {loading ? 'Revoking…' : 'Revoke'}
        </button>
      )}
      <FormError message={error} />
    </li>
  );
}

function SignOutEverywhere() {
  const client = useApolloClient();
  const [error, setError] = useState<string>();
  const [run, { loading }] = useMutation(SIGN_OUT_EVERYWHERE);
  async function onClick() {
    setError(undefined);
    try {
      await run();
      await endLocalSession(client, { reason: 'signed-out', broadcast: true });
    } catch (e) {
      setError(userMessage(e));
    }
  }
  return (
    <section className="danger-zone">
      <h2>Sign out everywhere</h2>
      <p>Ends every session of your account, this one included.</p>
      <button type="button" className="danger" onClick={onClick} disabled={loading}>
        {loading ? 'Signing out everywhere…' : 'Sign out everywhere'}
      </button>
      <FormError message={error} />
    </section>
  );
}

// The sessions come with the refresh, in one request to the API (lib/ssr/page-query.ts).
export const getServerSideProps = withSession({ query: SESSIONS });
