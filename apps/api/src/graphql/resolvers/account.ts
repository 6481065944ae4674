// The caller and their sessions (devices).
import { clearSessionCookies } from '../../auth/cookies.js';
import { badUserInput } from '../errors.js';
import { requireViewer, type AppContext } from '../context.js';
import { isUuid, toSession, toUser } from './mappers.js';

export const accountQueries = {
  async me(_: unknown, __: unknown, ctx: AppContext) {
    if (!ctx.viewer) return null;
    const user = await ctx.prisma.user.findUnique({ where: { id: ctx.viewer.userId } });
    return user ? toUser(user) : null;
  },

  async sessions(_: unknown, __: unknown, ctx: AppContext) {
    const viewer = requireViewer(ctx);
    const sessions = await ctx.sessions.listLive(viewer.userId);
    return sessions.map((s) => toSession(s, viewer.sessionId));
  },
};

export const accountMutations = {
  /** Only the caller's own sessions: another user's id answers exactly like an unknown one (T46). */
  async revokeSession(_: unknown, args: { id: string }, ctx: AppContext) {
    const viewer = requireViewer(ctx);
    if (!isUuid(args.id)) throw badUserInput('Session not found');
    const revoked = await ctx.sessions.revokeOwnSession({ sessionId: args.id, userId: viewer.userId }, 'revoked');
    if (!revoked) throw badUserInput('Session not found');
    if (args.id === viewer.sessionId) ctx.setCookies(clearSessionCookies());
    return true;
  },
};
