import { ApolloProvider } from '@apollo/client';
import type { AppProps } from 'next/app';
import { useEffect, useLayoutEffect } from 'react';
import { useApollo } from '../lib/apollo/client';
import { acceptSsrToken } from '../lib/auth/ssr-token';
import { useSessionWatchers } from '../lib/auth/use-session-watchers';
import type { SessionProps } from '../lib/ssr/with-session';
import { useStripReentryMarker } from '../lib/use-strip-reentry-marker';
import '../styles/globals.css';

// Layout effects run before any child's passive effect (where Apollo starts network requests), so
// the SSR token is in the store before the page can need it; on the server this is a no-op.
const useBeforeChildrenEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

export default function App({ Component, pageProps }: AppProps<Partial<SessionProps>>) {
  const { auth, initialApolloState } = pageProps;
  const client = useApollo(initialApolloState);
  useBeforeChildrenEffect(() => acceptSsrToken(auth), [auth]);
  useSessionWatchers(client, auth !== undefined);
  useStripReentryMarker();
  return (
    <ApolloProvider client={client}>
      <Component {...pageProps} />
    </ApolloProvider>
  );
}
