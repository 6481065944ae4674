// Ending the session in this tab (and, when we are the first to know, in the others).
import type { ApolloClient } from '@apollo/client';
import { SIGN_OUT } from '../graphql';
import { signInUrl } from '../safe-next';
import { announceSignOut } from './tab-sync';
import { tokenStore } from './token-store';

export type EndReason = 'signed-out' | 'session-ended';

/**
 * Local sign-out: forget the token, hide private data, drop the Apollo cache, tell the other tabs,
 * and leave for /signin. The server side (cookies, session row) is the API's job: signOut, or it has
 * already revoked the session, which is how we got here.
 */
export async function endLocalSession(
  client: ApolloClient<unknown>,
  { reason, broadcast }: { reason: EndReason; broadcast: boolean },
): Promise<void> {
  if (tokenStore.ended) return; // already on our way out (several 401s can arrive at once)
  // First, so that every page renders its "signed out" placeholder before anything else happens.
  tokenStore.clear({ ended: true });
  if (broadcast) announceSignOut();
  // Private data must not outlive the session in memory either (clearStore does not refetch).
  await client.clearStore().catch(() => undefined);
  // After a deliberate sign-out, come back to the start; after a lost session, to where you were.
  const here = `${window.location.pathname}${window.location.search}`;
  // replace(): the private page does not stay in history as the entry "Back" returns to.
  window.location.replace(signInUrl(reason === 'session-ended' ? here : undefined, reason));
}

/**
 * The sign-out button: end the session on the server (which clears both cookies, Max-Age=0) and then
 * locally. If the server cannot be reached we say so instead of pretending: the HttpOnly cookies can
 * only be cleared by the server.
 */
export async function signOut(client: ApolloClient<unknown>): Promise<void> {
  await client.mutate({ mutation: SIGN_OUT });
  await endLocalSession(client, { reason: 'signed-out', broadcast: true });
}
