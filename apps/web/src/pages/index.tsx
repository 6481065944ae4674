import Link from 'next/link';
import { Layout } from '../components/Layout';
import { useCachedQuery } from '../lib/apollo/use-cached-query';
import { formatDateTime } from '../lib/format';
import { ME } from '../lib/graphql';
import { withSession } from '../lib/ssr/with-session';

export default function HomePage() {
  // Rendered on the server: `me` comes from the SSR refresh, in the cache handed to the browser.
  const { data } = useCachedQuery(ME, { fetchPolicy: 'cache-only' });
  const me = data?.me;
  return (
    <Layout title="Who you are">
      {me && (
        <dl className="facts">
          <dt>E-mail</dt>
          <dd data-testid="me-email">{me.email}</dd>
          <dt>User id</dt>
          <dd>
            <code>{me.id}</code>
          </dd>
          <dt>Account created</dt>
          <dd>{formatDateTime(me.createdAt)}</dd>
        </dl>
      )}
      <p>
        This page was rendered on the server: it exchanged your refresh cookie for an access token, asked the API who you are, and handed
        the answer and the token to this tab.
      </p>
      <ul>
        <li>
          <Link href="/notes">Your notes</Link>: rendered on the server, changed from the browser.
        </li>
        <li>
          <Link href="/sessions">Your devices</Link>: every browser signed in to your account.
        </li>
        <li>
          <Link href="/token">The token inspector</Link>: watch the access token expire and refresh.
        </li>
      </ul>
    </Layout>
  );
}

export const getServerSideProps = withSession();
