// Puts the caller (or null) on the context before any resolver runs. A bad token fails the
// whole request with 401 before execution; it is never downgraded to anonymous.
import type { Plugin } from 'graphql-yoga';
import type { AppContext } from '../graphql/context.js';
import { authenticate, type IsRevoked, type Viewer } from '../auth/authenticate.js';
import type { AccessTokens } from '../auth/access-token.js';
import { readSessionCookies } from '../auth/cookies.js';
import { isAuthError } from '../auth/errors.js';
import { fromAuthError } from './error-codes.js';

export function useAuthentication(deps: { accessTokens: AccessTokens; isRevoked: IsRevoked }): Plugin<AppContext> {
  return {
    onContextBuilding({ context, extendContext }) {
      const { headers } = context.request;
      const cookies = readSessionCookies(headers.get('cookie'));
      const userAgent = headers.get('user-agent');
      // Returns nothing: a function returned from this hook would become an after-hook of envelop's.
      const found = (viewer: Viewer | null): void => {
        extendContext({ viewer, cookies, userAgent });
      };
      const refused = (error: unknown): never => {
        throw isAuthError(error) ? fromAuthError(error) : error;
      };
      let viewer: Viewer | null | Promise<Viewer | null>;
      try {
        viewer = authenticate({ authorization: headers.get('authorization'), fingerprintCookie: cookies.fingerprint }, deps);
      } catch (error) {
        return refused(error);
      }
      // Usually decided synchronously (auth/authenticate.ts): then envelop has no promise to wait on.
      return viewer instanceof Promise ? viewer.then(found, refused) : found(viewer);
    },
  };
}
