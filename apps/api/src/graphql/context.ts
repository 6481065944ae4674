// What every resolver receives. Built once per request by the authentication plugin.
import type { YogaInitialContext } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Viewer } from '../auth/authenticate.js';
import type { SessionCookies } from '../auth/cookies.js';
import { unauthenticated } from './errors.js';
import type { Sessions } from '../auth/sessions.js';
import type { UserStore } from '../auth/user-store.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { AppEvents } from '../subscriptions/events.js';

export type Services = {
  prisma: PrismaClient;
  sessions: Sessions;
  /** Account lookups on the hot paths (sign-in, `me`), in plain SQL. */
  users: UserStore;
  logger: Logger;
  /** Per-user event topics for subscriptions (one instance per process). */
  events: AppEvents;
};

export type AppContext = YogaInitialContext &
  Services & {
    viewer: Viewer | null;
    cookies: SessionCookies;
    userAgent: string | null;
    /** Queues Set-Cookie headers for this request's response. */
    setCookies(headers: string[]): void;
    /** Set only for operations arriving over the authenticated graphql-ws socket. */
    transport?: 'websocket';
  };

export function requireViewer(ctx: AppContext): Viewer {
  if (!ctx.viewer) throw unauthenticated();
  return ctx.viewer;
}
