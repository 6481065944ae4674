// What every resolver receives. Built once per request by the authentication plugin.
import type { YogaInitialContext } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Viewer } from '../auth/authenticate.js';
import type { SessionCookies } from '../auth/cookies.js';
import { unauthenticated } from './errors.js';
import type { Sessions } from '../auth/sessions.js';
import type { UserStore } from '../auth/user-store.js';
import type { NoteStore } from '../notes/note-store.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { AppEvents } from '../subscriptions/events.js';

export type Services = {
  prisma: PrismaClient;
  sessions: Sessions;
  /** Account lookups on the hot paths (sign-in, `me`), in plain SQL. */
  users: UserStore;
  /** The notes list, read on every signed-in render of /notes, in plain SQL. */
  notes: NoteStore;
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

/** Who a query reads as: a user and one of their sessions. */
export type SessionViewer = Pick<Viewer, 'userId' | 'sessionId'>;

/**
 * The value of an AuthPayload's `query` field: the schema's Query, read as the session the payload
 * has just granted. Only `grantPayload` (resolvers/auth.ts) creates one, after the mutation that
 * proved who this is succeeded; a root query's parent is Yoga's root value, never one of these, so
 * the grant reaches the fields under its own payload and nothing else in the request.
 */
export class GrantedQuery {
  constructor(readonly viewer: SessionViewer) {}
}

/**
 * The viewer a field answers for: the grant under `AuthPayload.query`, otherwise the request's own.
 * Asked again by every field, against the deny-list: mutations run one after another, and a session
 * that an earlier field of this same request ended (signOut, signOutEverywhere, a sign-in replacing
 * it, changePassword, revokeSession of its own id) acts no further (T48, T49).
 */
export function viewerFor(parent: unknown, ctx: AppContext): SessionViewer | null {
  const viewer = parent instanceof GrantedQuery ? parent.viewer : ctx.viewer;
  if (viewer && ctx.sessions.isRevoked(viewer.sessionId)) throw unauthenticated('Session revoked');
  return viewer;
}

/** The viewer, or UNAUTHENTICATED. Query fields pass their parent (see GrantedQuery). */
export function requireViewer(ctx: AppContext, parent?: unknown): SessionViewer {
  const viewer = viewerFor(parent, ctx);
  if (!viewer) throw unauthenticated();
  return viewer;
}
