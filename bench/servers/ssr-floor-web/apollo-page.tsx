// The thinnest signed-in page with Apollo's hand-over, which the product prescribes for every
// signed-in page (apps/web/src/lib/ssr/with-session.ts, lib/apollo/client.ts): one request to
// ../ssr-floor-api.ts, its answer normalised into a per-request Apollo cache in getServerSideProps,
// the cache's extract sent as a prop, the page rendered from a client restored from it and read from
// its cache. Done the cheapest way the app does it (a cache read, not useQuery, on the server).
// Still no layout, no security headers. Two pages use it: ./pages/notes-apollo.tsx (the one-statement
// exchange) and ./pages/notes-design.tsx (this design's exchange).
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
import { exchange, type Note, type User } from './exchange';

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

/** The page's getServerSideProps for the exchange that `mutation` names (aliased `refreshAccessToken`). */
export function handOver(mutation: string): GetServerSideProps<Props> {
  const body = JSON.stringify({
    query: `mutation { refreshAccessToken: ${mutation} { accessToken user { __typename id email } notes { __typename id text createdAt } } }`,
  });
  return async ({ req, res }) => {
    res.setHeader('Cache-Control', 'private, no-store');
    const answer = await exchange(body, req.headers.cookie ?? '');
    for (const line of answer.setCookies) res.appendHeader('Set-Cookie', line);
    if (!answer.data) return { redirect: { destination: '/signin', permanent: false } };
    const cache = createCache();
    cache.writeQuery({ query: NOTES, data: { me: answer.data.user, notes: answer.data.notes } });
    return { props: { initialApolloState: cache.extract(), accessToken: answer.data.accessToken } };
  };
}

export function NotesWithApollo({ initialApolloState }: Props) {
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
