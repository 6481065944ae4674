// The ONE helper behind every protected page's getServerSideProps. The SSR exchange, step by step:
//
//   0. Cache-Control: private, no-store on whatever we answer.
//   1. No auth cookies?  From another site → re-navigate same-site once (SameSite=Strict, ADR 0005);
//                         otherwise → /signin?next=<this page>.
//   2. refreshAccessToken with the browser's cookies (./refresh-with-cookies.ts); a page that
//      declares its query gets its data in that same request (./page-query.ts: one round trip).
//   3. Append the API's Set-Cookie (the rotated refresh cookie) to this response, untouched.
//   4. Put the page's data in a per-request Apollo cache, or let the page's loader fetch it with a
//      per-request Apollo client (bearer + the updated cookies): a second round trip.
//   5. Hand the browser the Apollo cache and the access token as page props.
//
// Steps 2 and 4 share one deadline (SSR_API_TIMEOUT_MS, ./api-deadline.ts): an API that does not
// answer gets a 504 page quickly instead of a request that hangs.
import { ApolloLink, type NormalizedCacheObject, type TypedDocumentNode } from '@apollo/client';
import type { GraphQLFormattedError } from 'graphql';
import type { GetServerSideProps, GetServerSidePropsContext, GetServerSidePropsResult } from 'next';
import type { ServerResponse } from 'node:http';
import { createCache, createServerApolloClient, type Client } from '../apollo/client';
import type { SsrAuth } from '../auth/ssr-token';
import { isUnauthenticated } from '../errors';
import { ME, type UserFieldsFragment as User } from '../graphql';
import { signInUrl } from '../safe-next';
import { webConfig } from '../web-config';
import { apiFetch } from './api-fetch';
import { ApiTimeoutError, deadlineLink, startDeadline, type Deadline } from './api-deadline';
import { applySetCookies, authCookiesOnly, hasAuthCookies, parseCookieHeader, serializeCookieHeader } from './cookies';
import { hasReentryMarker, isCrossSiteArrival, reentryHtml, reentryUrl, withoutReentry } from './cross-site-arrival';
import { forwardedHeaders } from './forwarded-headers';
import { refreshWithPageQuery } from './page-query';
import { refreshWithCookies } from './refresh-with-cookies';

/** Props every protected page receives (consumed by _app: useApollo + acceptSsrToken). */
export type SessionProps = {
  initialApolloState: NormalizedCacheObject;
  auth: SsrAuth;
};

export type PageLoaderContext = {
  /** Per-request client, authenticated as the person making this request. */
  apollo: Client;
  user: User;
  context: GetServerSidePropsContext;
};

/** Fetch the page's data into `apollo`'s cache; may return extra (serialisable) props. */
export type PageLoader<P> = (ctx: PageLoaderContext) => Promise<P | void>;

/** The page's data as one query without variables: read in the refresh's own request. */
export type PageQuery = { query: TypedDocumentNode<Record<string, unknown>, Record<string, never>> };

export function withSession<P extends Record<string, unknown> = Record<string, never>>(
  data?: PageLoader<P> | PageQuery,
): GetServerSideProps<P & SessionProps> {
  // Composed once per page, when its module loads: a malformed page query fails at start, not per request.
  const document = data && typeof data !== 'function' ? refreshWithPageQuery(data.query) : undefined;
  return async (context) => {
    const deadline = startDeadline();
    try {
      return await exchange(context, deadline, data, document);
    } catch (error) {
      if (!(error instanceof ApiTimeoutError) && !deadline.signal.aborted) throw error;
      // WHY a page of our own: the person learns the service is slow rather than waiting on a
      // spinner, and nothing about their session changes (an outage is not a sign-out).
      sendHtml(context.res, apiTimeoutHtml(), 504);
      return { props: {} as P & SessionProps }; // response already sent; Next renders nothing
    } finally {
      deadline.end();
    }
  };
}

async function exchange<P extends Record<string, unknown>>(
  context: GetServerSidePropsContext,
  deadline: Deadline,
  data: PageLoader<P> | PageQuery | undefined,
  document: string | undefined,
): Promise<GetServerSidePropsResult<P & SessionProps>> {
  const { req, res, resolvedUrl, query } = context;
  const page = withoutReentry(resolvedUrl);

  // 0. WHY: a private page must not be kept by the browser or any shared cache, so that after
  // sign-out the back button cannot show it again (OWASP Session Management CS, "Web Content
  // Caching"; THREATS T31). Set first: redirects and the re-navigation page get it too.
  res.setHeader('Cache-Control', 'private, no-store');

  // 1.
  const cookies = authCookiesOnly(parseCookieHeader(req.headers.cookie));
  if (!hasAuthCookies(cookies)) {
    if (isCrossSiteArrival(req) && !hasReentryMarker(query)) {
      sendHtml(res, reentryHtml(reentryUrl(page)));
      return { props: {} as P & SessionProps }; // response already sent; Next renders nothing
    }
    return toSignIn(page);
  }

  // 2.
  const uri = webConfig.apiGraphqlUrl;
  const forwarded = forwardedHeaders(req, webConfig.trustedProxies);
  const refreshed = await refreshWithCookies(uri, serializeCookieHeader(cookies), forwarded, { deadline, document });

  // 3. WHY append, not set: the API may send one Set-Cookie per cookie; each must arrive as written.
  for (const line of refreshed.setCookies) res.appendHeader('Set-Cookie', line);
  if (refreshed.kind === 'unauthenticated') return toSignIn(page, 'session-ended');

  // 4.
  let initialApolloState: NormalizedCacheObject;
  let extra: P | void = undefined;
  if (data && typeof data !== 'function') {
    // The page's data came with the refresh: a cache to normalise it into is all this needs.
    // Asked for, so present whenever the refresh succeeded: the API answers both or neither.
    if (!refreshed.payload.query) throw new Error("The API's refresh answer has no page data");
    const cache = createCache({ server: true });
    cache.writeQuery({ query: ME, data: { me: refreshed.payload.user } });
    cache.writeQuery({ query: data.query, data: refreshed.payload.query as Record<string, unknown> });
    initialApolloState = cache.extract();
  } else {
    const apollo = createServerApolloClient({
      uri,
      accessToken: refreshed.payload.accessToken,
      cookieHeader: serializeCookieHeader(applySetCookies(cookies, refreshed.setCookies)),
      forwardedHeaders: forwarded,
      fetch: apiFetch,
    });
    apollo.setLink(ApolloLink.from([deadlineLink(deadline), apollo.link]));
    // The refresh already told us who this is; every page's layout reads `me` from the cache.
    apollo.writeQuery({ query: ME, data: { me: refreshed.payload.user } });
    try {
      extra = await data?.({ apollo, user: refreshed.payload.user, context });
    } catch (error) {
      // Revoked between the refresh and the data request (e.g. "sign out everywhere" just now).
      const e = error as { graphQLErrors?: readonly GraphQLFormattedError[]; networkError?: unknown };
      if (deadline.signal.aborted) throw new ApiTimeoutError(deadline.timeoutMs);
      if (isUnauthenticated(e.graphQLErrors, e.networkError)) {
        return toSignIn(page, 'session-ended');
      }
      throw error;
    }
    initialApolloState = apollo.cache.extract();
  }

  // 5. The token goes to this tab's memory via page props: in the HTML (no-store), never in storage.
  return {
    props: {
      ...(extra ?? ({} as P)),
      initialApolloState,
      auth: { accessToken: refreshed.payload.accessToken, rotated: refreshed.rotated },
    },
  };
}

function toSignIn<P>(page: string, reason?: 'session-ended'): GetServerSidePropsResult<P> {
  return { redirect: { destination: signInUrl(page, reason), permanent: false } };
}

function sendHtml(res: ServerResponse, html: string, status = 200): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(html);
}

function apiTimeoutHtml(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Service unavailable</title></head>
<body><h1>The service is not answering</h1><p>Nothing has changed in your account. Please try again in a moment.</p></body></html>`;
}

/**
 * For pages without a session: render on every request anyway, because the CSP nonce
 * (server/security-headers.ts) must be fresh per response — a page prerendered at build time would
 * carry no nonce and its scripts would be refused.
 */
export const dynamicPage: GetServerSideProps = async () => ({ props: {} });
