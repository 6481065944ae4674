// Sessions and refresh-token rotation (RFC 9700 §4.14.2; OWASP Session Management CS).
//
// One session per signed-in browser. Each refresh token is a 256-bit random value stored only
// as its SHA-256, bound to its session and the session's fingerprint. Refreshing rotates it:
//  - exactly once: a conditional UPDATE … WHERE rotated_at IS NULL decides the single winner,
//    which inserts the successor in the same transaction (T19);
//  - a rotated token presented again within the grace window is another tab of the same
//    browser racing us: it gets an access token and no new refresh token (T18, ADR 0003);
//  - presented after the grace window it is a replay of a stolen token: the whole session
//    is revoked (T17).
// Idle expiry slides with use; the absolute lifetime never moves (T21).
import type { PrismaClient, User } from '../generated/prisma/client.js';
import type { AccessTokens, IssuedAccessToken } from './access-token.js';
import { unauthenticated } from './errors.js';
import type { RevokedSessions } from './revoked-sessions.js';
import { digestsEqual, isWellFormedSecret, newSecret, sha256Hex } from './secrets.js';

export type SessionSettings = {
  refreshIdleTtlSeconds: number;
  sessionMaxAgeSeconds: number;
  refreshReuseGraceSeconds: number;
};

export type RevocationReason =
  | 'sign-out'
  | 'sign-out-everywhere'
  | 'revoked'
  | 'password-changed'
  | 'refresh-token-reuse';

/** What a successful sign-in or refresh hands back. `refreshToken` is absent for a grace-window refresh. */
export type SessionGrant = {
  accessToken: IssuedAccessToken;
  sessionId: string;
  user: User;
  cookies?: { refreshToken: string; fingerprint: string; expiresAt: Date };
};

type Listener = (sessionIds: string[], reason: RevocationReason) => void;

export function createSessions(deps: {
  prisma: PrismaClient;
  accessTokens: AccessTokens;
  revoked: RevokedSessions;
  settings: SessionSettings;
}) {
  const { prisma, accessTokens, revoked, settings } = deps;
  const listeners = new Set<Listener>();
  const secondsFrom = (d: Date, s: number) => new Date(d.getTime() + s * 1000);
  const earliest = (a: Date, b: Date) => (a < b ? a : b);

  /** An access token for a session: bound to its fingerprint, never outliving its absolute lifetime. */
  const issueFor = (
    session: { id: string; userId: string; fingerprintHash: string; absoluteExpiresAt: Date },
    now = new Date(),
  ) =>
    accessTokens.issue({
      userId: session.userId,
      sessionId: session.id,
      fingerprintHash: session.fingerprintHash,
      notAfter: session.absoluteExpiresAt,
      now,
    });

  /** Sign-in: always a NEW session with new secrets, whatever cookies came in (no fixation, T50). */
  async function start(user: User, userAgent: string | null): Promise<SessionGrant> {
    const now = new Date();
    const fingerprint = newSecret();
    const fingerprintHash = sha256Hex(fingerprint);
    const refreshToken = newSecret();
    const absoluteExpiresAt = secondsFrom(now, settings.sessionMaxAgeSeconds);
    const idleExpiresAt = earliest(secondsFrom(now, settings.refreshIdleTtlSeconds), absoluteExpiresAt);

    const session = await prisma.session.create({
      data: {
        userId: user.id,
        fingerprintHash,
        userAgent: userAgent?.slice(0, 256) ?? null,
        createdAt: now,
        lastUsedAt: now,
        idleExpiresAt,
        absoluteExpiresAt,
        refreshTokens: {
          create: { tokenHash: sha256Hex(refreshToken), fingerprintHash, createdAt: now, expiresAt: idleExpiresAt },
        },
      },
    });
    const accessToken = await issueFor(session, now);
    return { accessToken, sessionId: session.id, user, cookies: { refreshToken, fingerprint, expiresAt: idleExpiresAt } };
  }

  async function refresh(presented: { refreshToken: unknown; fingerprint: unknown }): Promise<SessionGrant> {
    // Both cookies are required and must belong together (T16). Nothing changes on failure.
    if (!isWellFormedSecret(presented.refreshToken) || !isWellFormedSecret(presented.fingerprint)) {
      throw unauthenticated('Session expired');
    }
    const fingerprintHash = sha256Hex(presented.fingerprint);
    const token = await prisma.refreshToken.findUnique({
      where: { tokenHash: sha256Hex(presented.refreshToken) },
      include: { session: { include: { user: true } } },
    });
    if (!token || !digestsEqual(token.fingerprintHash, fingerprintHash)) throw unauthenticated('Session expired');

    const { session } = token;
    const now = new Date();
    if (session.revokedAt || session.idleExpiresAt <= now || session.absoluteExpiresAt <= now || token.expiresAt <= now) {
      throw unauthenticated('Session expired');
    }

    if (!token.rotatedAt) {
      const successor = newSecret();
      const idleExpiresAt = earliest(secondsFrom(now, settings.refreshIdleTtlSeconds), session.absoluteExpiresAt);
      const won = await prisma.$transaction(async (tx) => {
        const claimed = await tx.refreshToken.updateMany({
          where: { id: token.id, rotatedAt: null },
          data: { rotatedAt: now },
        });
        if (claimed.count !== 1) return false; // another request rotated it first
        const next = await tx.refreshToken.create({
          data: { sessionId: session.id, tokenHash: sha256Hex(successor), fingerprintHash, createdAt: now, expiresAt: idleExpiresAt },
        });
        await tx.refreshToken.update({ where: { id: token.id }, data: { successorId: next.id } });
        await tx.session.update({ where: { id: session.id }, data: { lastUsedAt: now, idleExpiresAt } });
        return true;
      });
      if (won) {
        return {
          accessToken: await issueFor(session, now),
          sessionId: session.id,
          user: session.user,
          cookies: { refreshToken: successor, fingerprint: presented.fingerprint, expiresAt: idleExpiresAt },
        };
      }
    }

    // The token was already rotated (now or by a concurrent request a moment ago).
    const current = await prisma.refreshToken.findUniqueOrThrow({ where: { id: token.id }, include: { session: true } });
    const rotatedAt = current.rotatedAt ?? now;
    if (current.session.revokedAt) throw unauthenticated('Session expired');
    if (now.getTime() - rotatedAt.getTime() <= settings.refreshReuseGraceSeconds * 1000) {
      return { accessToken: await issueFor(session, now), sessionId: session.id, user: session.user };
    }
    await revoke({ id: session.id }, 'refresh-token-reuse');
    throw unauthenticated('Session expired');
  }

  /** Revokes matching live sessions, and deny-lists them so their access tokens die now (T48). */
  async function revoke(
    where: { id?: string; userId?: string; notId?: string },
    reason: RevocationReason,
  ): Promise<string[]> {
    const now = new Date();
    const filter = {
      revokedAt: null,
      ...(where.id ? { id: where.id } : {}),
      ...(where.userId ? { userId: where.userId } : {}),
      ...(where.notId ? { NOT: { id: where.notId } } : {}),
    };
    // One statement (UPDATE … RETURNING id): exactly the sessions this call ended.
    const ended = await prisma.session.updateManyAndReturn({
      where: filter,
      data: { revokedAt: now, revokedReason: reason },
      select: { id: true },
    });
    const ids = ended.map((s) => s.id);
    for (const id of ids) revoked.add(id, now);
    if (ids.length > 0) for (const l of listeners) l(ids, reason);
    return ids;
  }

  /** At start: remember sessions revoked recently enough that their access tokens may still be alive. */
  async function loadRecentRevocations(): Promise<number> {
    const rows = await prisma.session.findMany({
      where: { revokedAt: { gte: revoked.relevantSince() } },
      select: { id: true, revokedAt: true },
    });
    for (const r of rows) if (r.revokedAt) revoked.add(r.id, r.revokedAt);
    return rows.length;
  }

  async function listLive(userId: string) {
    const now = new Date();
    return prisma.session.findMany({
      where: { userId, revokedAt: null, idleExpiresAt: { gt: now }, absoluteExpiresAt: { gt: now } },
      orderBy: { createdAt: 'desc' },
    });
  }

  /** Resolves the session that presented cookies belong to, without rotating anything (for sign-out). */
  async function sessionIdFromCookies(presented: { refreshToken: unknown; fingerprint: unknown }): Promise<string | null> {
    if (!isWellFormedSecret(presented.refreshToken) || !isWellFormedSecret(presented.fingerprint)) return null;
    const token = await prisma.refreshToken.findUnique({
      where: { tokenHash: sha256Hex(presented.refreshToken) },
      select: { sessionId: true, fingerprintHash: true },
    });
    if (!token || !digestsEqual(token.fingerprintHash, sha256Hex(presented.fingerprint))) return null;
    return token.sessionId;
  }

  /** A fresh access token for a live session, without rotating its refresh token (password change). */
  async function reissue(sessionId: string): Promise<SessionGrant | null> {
    const now = new Date();
    const session = await prisma.session.findFirst({
      where: { id: sessionId, revokedAt: null, idleExpiresAt: { gt: now }, absoluteExpiresAt: { gt: now } },
      include: { user: true },
    });
    if (!session || revoked.has(session.id)) return null;
    return { accessToken: await issueFor(session, now), sessionId: session.id, user: session.user };
  }

  return {
    start,
    reissue,
    refresh,
    revoke,
    loadRecentRevocations,
    listLive,
    sessionIdFromCookies,
    isRevoked: (sessionId: string) => revoked.has(sessionId),
    onRevoke(listener: Listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
