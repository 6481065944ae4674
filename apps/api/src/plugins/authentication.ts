// Puts the caller (or null) on the context before any resolver runs. A bad token fails the
// whole request with 401 before execution; it is never downgraded to anonymous.
import type { Plugin } from 'graphql-yoga';
import type { AppContext } from '../graphql/context.js';
import { authenticate, type IsRevoked } from '../auth/authenticate.js';
import type { AccessTokens } from '../auth/access-token.js';
import { readSessionCookies } from '../auth/cookies.js';
import { isAuthError } from '../auth/errors.js';
import { fromAuthError } from './error-codes.js';

export function useAuthentication(deps: { accessTokens: AccessTokens; isRevoked: IsRevoked }): Plugin<AppContext> {
  return {
    // Returns a promise only when authenticate() does (a first verification, a database check):
    // envelop then runs the rest of the request without one.
    onContextBuilding({ context, extendContext }) {
      const { headers } = context.request;
      const cookies = readSessionCookies(headers.get('cookie'));
      const userAgent = headers.get('user-agent');
      let viewer: ReturnType<typeof authenticate>;
      try {
        viewer = authenticate({ authorization: headers.get('authorization'), fingerprintCookie: cookies.fingerprint }, deps);
      } catch (error) {
        throw asGraphQLError(error);
      }
      if (!(viewer instanceof Promise)) return extendContext({ viewer, cookies, userAgent });
      return viewer.then(
        (v) => extendContext({ viewer: v, cookies, userAgent }),
        (error: unknown) => {
          throw asGraphQLError(error);
        },
      );
    },
  };
}

const asGraphQLError = (error: unknown) => (isAuthError(error) ? fromAuthError(error) : error);
