// Sign-up, sign-in, refresh and sign-out: the mutations that create, rotate and end sessions.
import { audit } from '../../audit.js';
import { clearSessionCookies, setSessionCookies } from '../../auth/cookies.js';
import { isCheckablePassword, parseEmail, parseNewPassword } from '../../auth/credentials.js';
import { badUserInput, unauthenticated } from '../errors.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../../auth/passwords.js';
import type { SessionGrant } from '../../auth/sessions.js';
import { Prisma, type User } from '../../generated/prisma/client.js';
import { GrantedQuery, requireViewer, type AppContext } from '../context.js';
import type { MutationResolvers } from '../generated/resolvers-types.js';
import { toUser } from './mappers.js';

/** The one sign-in failure message, for unknown e-mail and wrong password alike (T41). */
const SIGN_IN_FAILED = 'Incorrect e-mail or password';

/** What the auth mutations resolve to: the AuthPayload, its `query` read as the granted session. */
export type AuthPayloadModel = ReturnType<typeof grantPayload>;

function grantPayload(ctx: AppContext, grant: SessionGrant) {
  if (grant.cookies) ctx.setCookies(setSessionCookies(grant.cookies));
  return {
    accessToken: grant.accessToken.token,
    accessTokenExpiresAt: grant.accessToken.expiresAt.toISOString(),
    user: toUser(grant.user),
    query: new GrantedQuery({ userId: grant.user.id, sessionId: grant.sessionId }),
  };
}

/**
 * Signing in (or up) over an existing session's cookies or access token replaces that session:
 * it ends, so no session outlives its browser's switch to a new one (T50, T58; OWASP Session
 * Management CS, "Renew the Session ID After Any Privilege Level Change").
 */
async function endReplacedSessions(ctx: AppContext): Promise<void> {
  const fromCookies = await ctx.sessions.sessionIdFromCookies(ctx.cookies);
  const ids = new Set([ctx.viewer?.sessionId, fromCookies].filter((id): id is string => !!id));
  for (const id of ids) await ctx.sessions.revokeSession(id, 'replaced');
}

export const authMutations = {
  async signUp(_, args, ctx) {
    const email = parseEmail(args.email);
    const password = parseNewPassword(args.password);
    const passwordHash = await hashPassword(password);
    let user: User;
    try {
      user = await ctx.prisma.user.create({ data: { email, passwordHash } });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw badUserInput('An account with this e-mail already exists');
      }
      throw error;
    }
    await endReplacedSessions(ctx);
    const grant = await ctx.sessions.start(user, ctx.userAgent);
    audit(ctx.logger, { event: 'signed-up', userId: user.id, sessionId: grant.sessionId });
    return grantPayload(ctx, grant);
  },

  async signIn(_, args, ctx) {
    let email: string;
    try {
      email = parseEmail(args.email);
    } catch {
      throw badUserInput(SIGN_IN_FAILED);
    }
    if (!isCheckablePassword(args.password)) throw badUserInput(SIGN_IN_FAILED);

    const user = await ctx.users.byEmail(email);
    // Unknown e-mail: verify against a dummy hash anyway, so the answer takes as long (T41).
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), args.password);
    if (!user || !ok) {
      audit(ctx.logger, { event: 'sign-in-failed', ...(user ? { userId: user.id } : {}) });
      throw badUserInput(SIGN_IN_FAILED);
    }

    await endReplacedSessions(ctx);
    const grant = await ctx.sessions.start(user, ctx.userAgent);
    audit(ctx.logger, { event: 'signed-in', userId: user.id, sessionId: grant.sessionId });
    return grantPayload(ctx, grant);
  },

  async refreshAccessToken(_, __, ctx) {
    // The request's cookies object itself: the rate-limit plugin's read of this token is reused.
    const outcome = await ctx.sessions.refresh(ctx.cookies);
    // One answer for every refusal, reuse included: the client learns THAT it failed (T16, T17).
    if (outcome.kind === 'refused' || outcome.kind === 'reuse-revoked') throw unauthenticated('Session expired');
    return grantPayload(ctx, outcome.grant);
  },

  /** Idempotent: always clears the cookies; ends the session named by the token or, failing that, by the cookies. */
  async signOut(_, __, ctx) {
    const sessionId = ctx.viewer?.sessionId ?? (await ctx.sessions.sessionIdFromCookies(ctx.cookies));
    if (sessionId) await ctx.sessions.revokeSession(sessionId, 'sign-out');
    ctx.setCookies(clearSessionCookies());
    return true;
  },

  async signOutEverywhere(_, __, ctx) {
    const viewer = requireViewer(ctx);
    await ctx.sessions.revokeUserSessions({ userId: viewer.userId }, 'sign-out-everywhere');
    ctx.setCookies(clearSessionCookies());
    return true;
  },

  async changePassword(_, args, ctx) {
    const viewer = requireViewer(ctx);
    const newPassword = parseNewPassword(args.newPassword);
    const user = await ctx.prisma.user.findUniqueOrThrow({ where: { id: viewer.userId } });
    const ok = isCheckablePassword(args.currentPassword) && (await verifyPassword(user.passwordHash, args.currentPassword));
    if (!ok) throw badUserInput('Current password is incorrect');

    const updated = await ctx.prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(newPassword) } });
    // OWASP Session Management CS: end every other session when the password changes (T49), and
    // renew this one — a new session with a new refresh token and fingerprint, so the old pair and
    // the access tokens bound to the old fingerprint are refused from now on (T58).
    await ctx.sessions.revokeUserSessions({ userId: user.id }, 'password-changed');
    const grant = await ctx.sessions.start(updated, ctx.userAgent);
    audit(ctx.logger, { event: 'password-changed', userId: user.id, sessionId: grant.sessionId });
    return grantPayload(ctx, grant);
  },
} satisfies MutationResolvers;
