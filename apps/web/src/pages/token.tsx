// The token inspector: what this tab holds, when it expires, and where each token came from.
import { useApolloClient } from '@apollo/client';
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { Layout } from '../components/Layout';
import { keepTokenFresh } from '../lib/apollo/client';
import { refreshLog, type RefreshEvent } from '../lib/auth/refresh-log';
import { tokenStore } from '../lib/auth/token-store';
import { userMessage } from '../lib/errors';
import { ME } from '../lib/graphql';
import { withSession } from '../lib/ssr/with-session';

const TICK_MS = 100;
const POLL_MS = 2000;

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(id);
  }, [intervalMs]);
  return now;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const clock = (ms: number) => new Date(ms).toLocaleTimeString('en-GB', { hour12: false });

export default function TokenPage() {
  // Server snapshot null: the token exists only in the browser, so server and first client render
  // agree, then the client re-renders with the token.
  const token = useSyncExternalStore(
    tokenStore.subscribe,
    () => tokenStore.get(),
    () => null,
  );
  const events = useSyncExternalStore(refreshLog.subscribe, refreshLog.list, () => []);
  const now = useNow(TICK_MS);
  // Left open and untouched, this page still shows the mechanism: at the start of each token's
  // refresh margin the tab's refresher renews it (the same refresh, lock and log as the link chain),
  // the log below gains a line and the countdown starts over.
  useEffect(() => keepTokenFresh(), []);

  return (
    <Layout title="Token inspector">
      <p>
        The access token below lives only in this tab&apos;s memory. It is decoded here for you to read, not verified: only the API verifies
        it. Before it expires, this tab refreshes it silently with the HttpOnly refresh cookie, which this page cannot see: by itself while
        this page is open, otherwise before the next request that needs it.
      </p>
      {token === null ? (
        <p className="muted">No token in memory yet.</p>
      ) : (
        <>
          <section aria-labelledby="countdown-heading" className="countdown">
            <h2 id="countdown-heading">Expiry</h2>
            <p>
              Expires in <strong data-testid="expires-in">{token.expiresAt - now > 0 ? seconds(token.expiresAt - now) : 'expired'}</strong>{' '}
              (at <span data-testid="expires-at">{clock(token.expiresAt)}</span>). It is refreshed once less than{' '}
              <strong data-testid="refresh-margin">{seconds(token.refreshMargin)}</strong> remain.
            </p>
            <progress max={token.expiresAt - token.receivedAt} value={Math.max(0, token.expiresAt - now)} aria-label="Lifetime left" />
          </section>
          <section className="decoded">
            <div>
              <h2>Header</h2>
              <pre data-testid="token-header">{JSON.stringify(token.header, null, 2)}</pre>
            </div>
            <div>
              <h2>Claims</h2>
              <pre data-testid="token-claims">{JSON.stringify(token.claims, null, 2)}</pre>
            </div>
          </section>
        </>
      )}
      <CallTheApi />
      <section aria-labelledby="log-heading">
        <h2 id="log-heading">Where this tab&apos;s tokens came from</h2>
        <ol className="refresh-log" data-testid="refresh-log" reversed>
          {events.map((e) => (
            <li key={e.id} data-kind={e.kind}>
              <time>{clock(e.at)}</time> {describe(e)}
              {e.jti && (
                <>
                  {' '}
                  <code title="jti">{e.jti.slice(0, 8)}</code>
                </>
              )}
            </li>
          ))}
        </ol>
      </section>
    </Layout>
  );
}

function describe(e: RefreshEvent): string {
  switch (e.kind) {
    case 'ssr':
      return e.rotated
        ? 'Server-side refresh while rendering the page; the refresh cookie was rotated.'
        : 'Server-side refresh while rendering the page; no new cookie (another tab had just rotated it).';
    case 'silent':
      // The browser's own refresh response sets the cookie where script cannot see it (HttpOnly),
      // so unlike the SSR case this page cannot tell a rotation from a grace-window answer.
      return 'Silent refresh in the browser before expiry, authorised by the HttpOnly refresh cookie.';
    case 'failed':
      return `Refresh failed: ${e.detail ?? 'unknown error'}.`;
  }
}

function CallTheApi() {
  const client = useApolloClient();
  const [result, setResult] = useState<string>();
  const [polling, setPolling] = useState(false);

  // An ordinary query through the link chain: if the token is inside its refresh margin, the
  // refresh link refreshes it first, and the log below gains a line.
  const call = useCallback(async () => {
    try {
      const { data } = await client.query({ query: ME, fetchPolicy: 'network-only' });
      setResult(`The API answered at ${clock(Date.now())}: you are ${data.me?.email ?? 'nobody'}.`);
    } catch (e) {
      setResult(`The API call failed: ${userMessage(e)}`);
    }
  }, [client]);

  useEffect(() => {
    if (!polling) return;
    const id = window.setInterval(() => void call(), POLL_MS);
    return () => window.clearInterval(id);
  }, [polling, call]);

  return (
    <section aria-labelledby="call-heading">
      <h2 id="call-heading">Use the token</h2>
      <button type="button" onClick={() => void call()}>
        Call the API now
      </button>{' '}
      <label className="checkbox">
        <input type="checkbox" checked={polling} onChange={(e) => setPolling(e.target.checked)} />
        Call it every {POLL_MS / 1000} s
      </label>
      <p role="status" data-testid="api-result">
        {result}
      </p>
    </section>
  );
}

export const getServerSideProps = withSession();
