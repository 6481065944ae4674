// The thinnest signed-in page with Apollo's hand-over, which the product prescribes for every
// signed-in page (apps/web/src/lib/ssr/with-session.ts, lib/apollo/client.ts): the same request as
// ./notes.tsx, its answer normalised into a per-request Apollo cache in getServerSideProps, the
// cache's extract sent as a prop, the page rendered from a client restored from it and read from
// its cache. Done the cheapest way the app does it (a cache read, not useQuery, on the server).
// Still no checks, no layout, no security headers.
import {
  ApolloClient,
  ApolloLink,
  ApolloProvider,
  gql,
  InMemoryCache,
  Observable,
  useApolloClient,
  type NormalizedCacheObject,
  type TypedDocumentNode,
} from '@apollo/client';
import type { GetServerSideProps } from 'next';
import { useMemo } from 'react';
import { exchange, type Note, type User } from '../exchange';

const BODY = JSON.stringify({
  query: 'mutation { refreshAccessToken { accessToken user { __typename id email } notes { __typename id text createdAt } } }',
});
const NOTES: TypedDocumentNode<{ me: User; notes: Note[] }> = gql`
  query Notes {
    me {
      id
      email
    }
    notes {
      id
      text
      createdAt
    }
  }
`;
type Props = { initialApolloState: NormalizedCacheObject; accessToken: string };

// The app's cache settings: a list from the server replaces the cached one.
const createCache = () => new InMemoryCache({ typePolicies: { Query: { fields: { notes: { merge: false } } } } });
// As the app's render-only client: everything the page shows is in the cache already.
const noNetwork = new ApolloLink(
  (operation) => new Observable((observer) => observer.error(new Error(`${operation.operationName}: not fetched`))),
);

export const getServerSideProps: GetServerSideProps<Props> = async ({ req, res }) => {
  res.setHeader('Cache-Control', 'private, no-store');
  const answer = await exchange(BODY, req.headers.cookie ?? '');
  for (const line of answer.setCookies) res.appendHeader('Set-Cookie', line);
  if (!answer.data) return { redirect: { destination: '/signin', permanent: false } };
  const cache = createCache();
  cache.writeQuery({ query: NOTES, data: { me: answer.data.user, notes: answer.data.notes } });
  return { props: { initialApolloState: cache.extract(), accessToken: answer.data.accessToken } };
};

export default function NotesWithApollo({ initialApolloState }: Props) {
  const client = useMemo(() => {
    const cache = createCache();
    cache.restore(initialApolloState);
    return new ApolloClient({ ssrMode: typeof window === 'undefined', link: noNetwork, cache });
  }, [initialApolloState]);
  return (
    <ApolloProvider client={client}>
      <List />
    </ApolloProvider>
  );
}

function List() {
  const data = useApolloClient().readQuery({ query: NOTES });
  if (!data) return <p>Signed out.</p>;
  return (
    <main>
      <h1>Notes of {data.me.email}</h1>
      {data.notes.length === 0 ? (
        <p>No notes yet.</p>
      ) : (
        <ul>
          {data.notes.map((note) => (
            <li key={note.id}>{note.text}</li>
          ))}
        </ul>
      )}
    </main>
  );
}
