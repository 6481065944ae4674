// Browser-side guards that run on every protected page (wired in _app).
import type { ApolloClient } from '@apollo/client';
import { useEffect } from 'react';
import { endLocalSession } from './sign-out';
import { onSignOutElsewhere } from './tab-sync';

export function useSessionWatchers(client: ApolloClient<unknown>, isProtectedPage: boolean): void {
  // Another tab signed out (or lost the session): this tab follows within the same second.
  useEffect(() => {
    if (!isProtectedPage) return;
    return onSignOutElsewhere(() => void endLocalSession(client, { reason: 'signed-out', broadcast: false }));
  }, [client, isProtectedPage]);

  // WHY: the back/forward cache can restore a private page as it was, without asking the server —
  // even after sign-out. A private page restored that way reloads, so the server decides what to
  // show (OWASP Session Management CS, "Web Content Caching"; THREATS T31). `no-store` already keeps
  // most browsers from caching it; this covers the rest.
  useEffect(() => {
    if (!isProtectedPage) return;
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) window.location.reload();
    };
    window.addEventListener('pageshow', onPageShow);
    return () => window.removeEventListener('pageshow', onPageShow);
  }, [isProtectedPage]);
}
