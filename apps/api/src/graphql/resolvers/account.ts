// The caller and their sessions (devices).
import { clearSessionCookies } from '../../auth/cookies.js';
import { badUserInput } from '../errors.js';
import { requireViewer, viewerFor } from '../context.js';
import type { MutationResolvers, QueryResolvers } from '../generated/resolvers-types.js';
import { isUuid, toSession, toUser } from './mappers.js';

export const accountQueries = {
  async me(parent, __, ctx) {
    const viewer = viewerFor(parent, ctx);
    if (!viewer) return null;
    const user = await ctx.users.byId(viewer.userId);
    return user ? toUser(user) : null;
  },

  async sessions(parent, __, ctx) {
    const viewer = requireViewer(ctx, parent);
    const sessions = await ctx.sessions.listLive(viewer.userId);
    return sessions.map((s) => toSession(s, viewer.sessionId));
  },
} satisfies QueryResolvers;

export const accountMutations = {
  /** Only the caller's own sessions: another user's id answers exactly like an unknown one (T46). */
  async revokeSession(_, args, ctx) {
    const viewer = requireViewer(ctx);
    if (!isUuid(args.id)) throw badUserInput('Session not found');
    const revoked = await ctx.sessions.revokeOwnSession({ sessionId: args.id, userId: viewer.userId }, 'revoked');
    if (!revoked) throw badUserInput('Session not found');
    // Decided on the session that ended, not on how its id was spelled: a UUID matches in any
    // letter case, so comparing the argument's text as given would leave this browser's cookies behind.
    if (args.id.toLowerCase() === viewer.sessionId.toLowerCase()) ctx.setCookies(clearSessionCookies());
    return true;
  },
} satisfies MutationResolvers;
