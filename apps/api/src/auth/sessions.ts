// Sessions and refresh-token rotation (RFC 9700 §4.14.2; OWASP Session Management CS).
//
// One session per signed-in browser. Each refresh token is a 256-bit random value tagged with its
// session's own key (./refresh-tokens.ts, ADR 0019), stored only as its SHA-256, bound to its
// session and the session's fingerprint. Refreshing rotates it:
//  - exactly once: a conditional UPDATE … WHERE rotated_at IS NULL decides the single winner,
//    which inserts the successor in the same statement (T19; ./refresh-token-store.ts);
//  - a rotated token whose successor has never been presented gets that SAME successor again:
//    its answer was lost (aborted navigation, dropped connection), and signing the person out
//    for it would let any site end sessions (T54, T55, ADR 0008). The successor is kept sealed
//    under a key derived from the token that may open it, never a second live branch;
//  - a token whose successor has been presented is spent. Within the grace window of that
//    moment it is another tab of the same browser racing us: an access token, no new refresh
//    token (T18, ADR 0003); after it, it is a replay of a stolen token: the whole session is
//    revoked (T17) — when thief and victim both use a token, one of them presents a spent one.
//  - spent tokens past the grace window leave the table, so it stays bounded (ADR 0009); a
//    replay of one is still recognised by its tag, however long ago it was spent (ADR 0019).
// Idle expiry slides with use; the absolute lifetime never moves (T21).
import { randomUUID } from 'node:crypto';
import { setImmediate as afterPendingTicks } from 'node:timers/promises';
import { isUuid } from '../db/ids.js';
import type { SqlClient } from '../db/sql.js';
import type { PrismaClient, Session, User } from '../generated/prisma/client.js';
import type { AccessTokens, IssuedAccessToken } from './access-token.js';
import { deleteDeadTokens, findPresentedToken, insertSession, rotateToken, type PresentedTokenRow } from './refresh-token-store.js';
import type { RevokedSessions } from './revoked-sessions.js';
import { isIssuedUnder, isWellFormedRefreshToken, newRefreshToken, newRefreshTokenKey } from './refresh-tokens.js';
import { digestsEqual, isWellFormedSecret, newSecret, openSealedSecret, sealSecret, sha256Hex } from './secrets.js';

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
  | 'refresh-token-reuse'
  /** Signed in (or up) again over this session's cookies: the new session replaces it (T50, T58). */
  | 'replaced';

/** The account a grant is for: what the API may show of it (never its password hash). */
export type Account = Pick<User, 'id' | 'email' | 'createdAt'>;

/** What a successful sign-in or refresh hands back. `refreshToken` is absent for a grace-window refresh. */
export type SessionGrant = {
  accessToken: IssuedAccessToken;
  sessionId: string;
  user: Account;
  /**
   * `now` is the clock `expiresAt` was stamped by (the database's, for a refresh): the cookies'
   * Max-Age is counted from it, so that a browser drops them when the token expires, whatever this
   * instance's own clock says (ADR 0019: a spent token presented after its expiry ends its session).
   */
  cookies?: { refreshToken: string; fingerprint: string; expiresAt: Date; now: Date };
};

/** Two well-formed cookies and their digests; never changed once made (a refresh may reuse it). */
type Presented = Readonly<{ token: string; fingerprint: string; tokenHash: string; fingerprintHash: string }>;

/** What the presented refresh token is, decided from the database (nothing is changed here). */
type Classified =
  /** No row: made up, or a spent token whose row was deleted (see refuseUnknown). */
  | { kind: 'unknown' }
  /** Wrong fingerprint, its session ended, or an unspent token expired: refused, nothing changes (T16, T21). */
  | { kind: 'session-ended' }
  /** Never rotated: rotate it now (T19). */
  | { kind: 'fresh'; token: PresentedTokenRow; now: Date }
  /** Rotated, but its successor was never presented: the answer was lost (T54, T55). */
  | { kind: 'lost-answer'; token: PresentedTokenRow; successor: NonNullable<PresentedTokenRow['successor']>; sealed: string }
  /** Spent, within the grace window of its successor's use: another tab racing (T18). */
  | { kind: 'spent-within-grace'; token: PresentedTokenRow }
  /** Spent, after the grace window: a replay of a stolen token (T17). */
  | { kind: 'spent-after-grace'; token: PresentedTokenRow };

/** A refresh's outcome; every kind but `refused` and `reuse-revoked` carries a grant. */
export type RefreshOutcome =
  | { kind: 'rotated'; grant: SessionGrant }
  | { kind: 'lost-answer-resent'; grant: SessionGrant }
  | { kind: 'grace-access-token'; grant: SessionGrant }
  | { kind: 'reuse-revoked' }
  | { kind: 'refused' };

type Listener = (sessionIds: string[], reason: RevocationReason) => void;

export function createSessions(deps: {
  prisma: PrismaClient;
  /** Plain SQL for the hot path: a refresh's read and rotation, a sign-in's new session. */
  sql: SqlClient;
  accessTokens: AccessTokens;
  revoked: RevokedSessions;
  settings: SessionSettings;
}) {
  const { prisma, sql, accessTokens, revoked, settings } = deps;
  const listeners = new Set<Listener>();
  const secondsFrom = (d: Date, s: number) => new Date(d.getTime() + s * 1000);
  const earliest = (a: Date, b: Date) => (a < b ? a : b);

  /** An access token for a session: bound to its fingerprint, never outliving its absolute lifetime. */
  const issueFor = (session: { id: string; userId: string; fingerprintHash: string; absoluteExpiresAt: Date }, now = new Date()) =>
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
    const refreshTokenKey = newRefreshTokenKey();
    const refreshToken = newRefreshToken(refreshTokenKey);
    const absoluteExpiresAt = secondsFrom(now, settings.sessionMaxAgeSeconds);
    const idleExpiresAt = earliest(secondsFrom(now, settings.refreshIdleTtlSeconds), absoluteExpiresAt);

    const session = { id: randomUUID(), userId: user.id, fingerprintHash, absoluteExpiresAt };
    await insertSession(sql, {
      ...session,
      userAgent: userAgent?.slice(0, 256) ?? null,
      now,
      idleExpiresAt,
      refreshTokenKey,
      token: { id: randomUUID(), tokenHash: sha256Hex(refreshToken) },
    });
    const accessToken = await issueFor(session, now);
    const account = { id: user.id, email: user.email, createdAt: user.createdAt };
    return { accessToken, sessionId: session.id, user: account, cookies: { refreshToken, fingerprint, expiresAt: idleExpiresAt, now } };
  }

  const isLive = (session: Pick<Session, 'revokedAt' | 'idleExpiresAt' | 'absoluteExpiresAt'>, now: Date) =>
    !session.revokedAt && session.idleExpiresAt > now && session.absoluteExpiresAt > now;

  // The access token is stamped by this instance's clock, the one every instance verifies it by.
  const grantFor = async (token: PresentedTokenRow, cookies?: SessionGrant['cookies']): Promise<SessionGrant> => ({
    accessToken: await issueFor(token.session),
    sessionId: token.session.id,
    user: token.user,
    ...(cookies ? { cookies } : {}),
  });

  /** Both cookies are required and must belong together (T16). */
  function parsePresented(presented: { refreshToken: unknown; fingerprint: unknown }): Presented | null {
    // Each cookie read once: what is checked is what is hashed and kept (a getter that answered
    // differently on each read could not pair one token with another's digest).
    const { refreshToken: token, fingerprint } = presented;
    if (!isWellFormedRefreshToken(token) || !isWellFormedSecret(fingerprint)) return null;
    return { token, fingerprint, tokenHash: sha256Hex(token), fingerprintHash: sha256Hex(fingerprint) };
  }

  /**
   * Decides what the presented token is from its row (nothing is changed here), on the database's
   * clock at the read: grace windows and expiries mean the same on every instance, whatever their
   * own clocks say (T17, T18).
   */
  function classify(token: PresentedTokenRow | null, presented: Presented): Classified {
    if (!token) return { kind: 'unknown' };
    const now = token.readAt;
    if (!digestsEqual(token.fingerprintHash, presented.fingerprintHash)) return { kind: 'session-ended' };
    if (!isLive(token.session, now)) return { kind: 'session-ended' };
    const unexpired = token.expiresAt > now;
    if (!token.rotatedAt) return unexpired ? { kind: 'fresh', token, now } : { kind: 'session-ended' };
    // Rotated before (now by a concurrent request, or earlier): what became of its successor decides.
    const { successor } = token;
    if (successor && successor.rotatedAt === null && successor.sealedToken !== null) {
      return unexpired ? { kind: 'lost-answer', token, successor, sealed: successor.sealedToken } : { kind: 'session-ended' };
    }
    // Spent. A successor row is gone only once compacted (its own successor was presented before
    // an earlier grace end, ADR 0009) or pruned (itself spent past its expiry, or its session
    // ended: refused above). Either way this
    // token was spent longer ago than the grace window, whatever its own rotated_at says (rows
    // stamped by earlier versions carry their instance's clock, possibly ahead).
    const spentAt = successor ? (successor.rotatedAt ?? token.rotatedAt) : null;
    if (spentAt && now.getTime() - spentAt.getTime() <= settings.refreshReuseGraceSeconds * 1000) {
      // Another tab racing (T18) — but an expired token gets nothing, not even then.
      return unexpired ? { kind: 'spent-within-grace', token } : { kind: 'session-ended' };
    }
    // A replay ends the session (T17), whatever the token's own age: past its expiry too, as it
    // would once its row was pruned and only its tag recognised it (ADR 0019).
    return { kind: 'spent-after-grace', token };
  }

  const readAndClassify = async (presented: Presented) => classify(await findPresentedToken(sql, presented.tokenHash), presented);

  // The rate-limit plugin asks whether a request's cookies name a known token before the refresh
  // runs (plugins/auth-rate-limit.ts); the refresh then uses that same read, so a refresh costs
  // one SELECT and one rotation statement, and the same digests of the cookies. Keyed by the
  // request's cookies object, used once.
  const lookups = new WeakMap<object, { presented: Presented; row: Promise<PresentedTokenRow | null> }>();

  /** The cookies' digests: those an earlier lookup made of these very values, or new ones. */
  function parsedAgain(
    presented: { refreshToken: unknown; fingerprint: unknown },
    earlier: { presented: Presented } | undefined,
  ): Presented | null {
    // Reused only for the same two strings: the digests are a function of nothing else.
    if (earlier && earlier.presented.token === presented.refreshToken && earlier.presented.fingerprint === presented.fingerprint) {
      return earlier.presented;
    }
    return parsePresented(presented);
  }

  /** Do these cookies name a refresh token of some session (in any state, its row kept or deleted), with its fingerprint? */
  async function isKnownRefreshToken(cookies: { refreshToken: unknown; fingerprint: unknown }): Promise<boolean> {
    const parsed = parsePresented(cookies);
    if (!parsed) return false;
    const row = findPresentedToken(sql, parsed.tokenHash);
    lookups.set(cookies, { presented: parsed, row });
    const token = await row;
    if (token !== null) return digestsEqual(token.fingerprintHash, parsed.fingerprintHash);
    // A spent token of the session its fingerprint names, its row deleted, is no guess either: it
    // is a replay, and must reach reuse detection (T17). Charged as a guess, a spent budget
    // (made-up tokens from a shared address) answered it 429 and the session lived on.
    return (await deletedSpentTokenSession(parsed)) !== null;
  }

  /**
   * Exchanges the presented cookies for a new access token (and, unless racing, a new refresh
   * token). Pass the request's cookies object: a read made for it by `isKnownRefreshToken` is reused.
   */
  async function refresh(presented: { refreshToken: unknown; fingerprint: unknown }): Promise<RefreshOutcome> {
    const earlier = lookups.get(presented);
    lookups.delete(presented);
    const parsed = parsedAgain(presented, earlier);
    if (!parsed) return { kind: 'refused' }; // nothing changes on failure
    // An earlier read is trusted only if it was made for this very token, and only to attempt a
    // rotation, whose statement re-checks everything it relies on; every other outcome is decided
    // on a read made now.
    let classified = earlier && earlier.presented.tokenHash === parsed.tokenHash ? classify(await earlier.row, parsed) : null;
    if (classified?.kind !== 'fresh') classified = await readAndClassify(parsed);
    if (classified.kind !== 'fresh') return settle(classified, parsed);
    const rotated = await rotateFresh(classified, parsed);
    if (rotated) return rotated;
    // Another request rotated it first (or it stopped being rotatable): decide as for any rotated token.
    const again = await readAndClassify(parsed);
    return again.kind === 'fresh' ? { kind: 'refused' } : settle(again, parsed);
  }

  /** One small step per outcome of a token that is not (or no longer) rotatable. */
  async function settle(classified: Exclude<Classified, { kind: 'fresh' }>, parsed: Presented): Promise<RefreshOutcome> {
    switch (classified.kind) {
      case 'unknown':
        return refuseUnknown(parsed);
      case 'session-ended':
        return { kind: 'refused' };
      case 'lost-answer':
        return resendSuccessor(classified, parsed);
      case 'spent-within-grace':
        // Another tab racing the rotation (T18): an access token, no new refresh token.
        return { kind: 'grace-access-token', grant: await grantFor(classified.token) };
      case 'spent-after-grace':
        return revokeOnReuse(classified.token.session.id);
    }
  }

  /** The winner of a rotation gets the successor as its new refresh cookie. */
  async function rotateFresh(fresh: Extract<Classified, { kind: 'fresh' }>, presented: Presented): Promise<RefreshOutcome | null> {
    // The access token does not depend on how the rotation ends, so it is signed while the
    // rotation's statement is at the database instead of after it: once the statement has been
    // written (pg writes it on the next tick; setImmediate runs after every pending tick). A token signed
    // for a rotation that then loses is dropped here and never leaves this process (ADR 0017,
    // addendum; test/auth/stale-memo.test.ts). Awaited together, so that neither can fail unhandled.
    const [rotated, grant] = await Promise.all([
      rotate(fresh.token, presented.token, fresh.now),
      afterPendingTicks().then(() => grantFor(fresh.token)),
    ]);
    if (!rotated) return null;
    const cookies = { refreshToken: rotated.successor, fingerprint: presented.fingerprint, expiresAt: rotated.expiresAt, now: fresh.now };
    return { kind: 'rotated', grant: { ...grant, cookies } };
  }

  /**
   * The answer that carried the successor was lost, or a tab raced. The same successor again,
   * never a new one — there is only ever one live branch (T54, T19).
   */
  async function resendSuccessor(lost: Extract<Classified, { kind: 'lost-answer' }>, presented: Presented): Promise<RefreshOutcome> {
    const { token, successor, sealed } = lost;
    const again = openSealedSecret(presented.token, sealed, token.session.id);
    if (again === null || !digestsEqual(sha256Hex(again), successor.tokenHash)) return { kind: 'refused' };
    const cookies = { refreshToken: again, fingerprint: presented.fingerprint, expiresAt: successor.expiresAt, now: token.readAt };
    return { kind: 'lost-answer-resent', grant: await grantFor(token, cookies) };
  }

  /** A spent token replayed after the grace window: thief or victim, the whole session ends (T17). */
  async function revokeOnReuse(sessionId: string): Promise<RefreshOutcome> {
    await revokeSession(sessionId, 'refresh-token-reuse');
    return { kind: 'reuse-revoked' };
  }

  /**
   * Rotates `token` if nobody has yet: the successor is created sealed under a key derived from
   * `presentedToken`, and the token's own sealed copy is erased now that it has been presented.
   * The session's tokens spent for longer than the grace window are deleted (ADR 0009). One
   * statement (./refresh-token-store.ts). `now` is the database's clock at the token's read.
   */
  async function rotate(
    token: PresentedTokenRow,
    presentedToken: string,
    now: Date,
  ): Promise<{ successor: string; expiresAt: Date } | null> {
    const successor = newRefreshToken(token.session.refreshTokenKey);
    const rotated = await rotateToken(sql, {
      tokenId: token.id,
      now,
      successor: {
        id: randomUUID(),
        tokenHash: sha256Hex(successor),
        sealedToken: sealSecret(presentedToken, successor, token.session.id),
      },
      idleExpiresAt: earliest(secondsFrom(now, settings.refreshIdleTtlSeconds), token.session.absoluteExpiresAt),
      graceEndedAt: secondsFrom(now, -settings.refreshReuseGraceSeconds),
    });
    return rotated && { successor, expiresAt: rotated.expiresAt };
  }

  /**
   * No row for this token. If the session the fingerprint names is live and issued this token (its
   * tag, under the session's key), the token is one of its spent tokens whose row was deleted —
   * spent past the grace window, however many rotations ago: a replay, the session ends (T17,
   * ADR 0019). The live token and those within the grace window always have rows. Anything else —
   * a made-up token with a real fingerprint included — is refused and changes nothing (T16, T53).
   */
  async function refuseUnknown(presented: Presented): Promise<RefreshOutcome> {
    const sessionId = await deletedSpentTokenSession(presented);
    return sessionId !== null ? revokeOnReuse(sessionId) : { kind: 'refused' };
  }

  /** The live session whose fingerprint is presented, if it issued the presented token (no row: spent, deleted). */
  async function deletedSpentTokenSession(presented: Presented): Promise<string | null> {
    const session = await prisma.session.findUnique({
      where: { fingerprintHash: presented.fingerprintHash },
      select: { id: true, revokedAt: true, idleExpiresAt: true, absoluteExpiresAt: true, refreshTokenKey: true },
    });
    return session && isLive(session, new Date()) && isIssuedUnder(presented.token, session.refreshTokenKey) ? session.id : null;
  }

  /**
   * Deletes refresh-token rows that can never be needed again: those of ended sessions (finding 11)
   * and spent tokens past their own expiry, by the database's clock (./refresh-token-store.ts).
   * Live sessions keep only their newest few rows anyway: `rotate` deletes the rest. A spent
   * token's row is not needed to recognise its replay: its tag is (ADR 0019).
   */
  async function pruneRefreshTokens(now?: Date): Promise<number> {
    return deleteDeadTokens(sql, { now: now ?? null, graceSeconds: settings.refreshReuseGraceSeconds });
  }

  /**
   * The only ways to end sessions. Each names at least a session or a user, so no call can
   * express "every session in the database" (an empty filter would): the WHERE clause always
   * carries `id` or `userId`, even when it is an empty string (which then matches nothing).
   */
  type Revocable = { sessionId: string; userId?: string } | { userId: string; exceptSessionId?: string };

  /** Revokes matching live sessions, and deny-lists them so their access tokens die now (T48). */
  async function endSessions(target: Revocable, reason: RevocationReason): Promise<string[]> {
    // Ids are UUIDs: anything else (an empty string included) names no session, so no query.
    const named = 'sessionId' in target ? [target.sessionId, target.userId] : [target.userId, target.exceptSessionId];
    if (!named.every((id) => id === undefined || isUuid(id))) return [];
    const now = new Date();
    const filter =
      'sessionId' in target
        ? { revokedAt: null, id: target.sessionId, ...(target.userId !== undefined ? { userId: target.userId } : {}) }
        : {
            revokedAt: null,
            userId: target.userId,
            ...(target.exceptSessionId !== undefined ? { NOT: { id: target.exceptSessionId } } : {}),
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

  /** Ends one session. Returns whether it was live (and is now revoked). */
  async function revokeSession(sessionId: string, reason: RevocationReason): Promise<boolean> {
    return (await endSessions({ sessionId }, reason)).length > 0;
  }

  /** Ends one session only if it belongs to `userId`: another user's id changes nothing (T46). */
  async function revokeOwnSession(target: { userId: string; sessionId: string }, reason: RevocationReason): Promise<boolean> {
    return (await endSessions({ sessionId: target.sessionId, userId: target.userId }, reason)).length > 0;
  }

  /** Ends every live session of one user, optionally but one. Returns the ids it ended. */
  async function revokeUserSessions(target: { userId: string; exceptSessionId?: string }, reason: RevocationReason): Promise<string[]> {
    return endSessions(target, reason);
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
      // What a device list shows, never the session's token key (ADR 0019).
      select: { id: true, createdAt: true, lastUsedAt: true, idleExpiresAt: true, userAgent: true },
      orderBy: { createdAt: 'desc' },
    });
  }

  /**
   * The session that presented cookies belong to, without rotating anything (sign-out, and sign-in
   * over a session's cookies, T50). A spent token whose row is gone still names its session, by its
   * tag (ADR 0019): a victim who signs out with the token a thief stole and rotated past ends the
   * thief's session too, as with a token whose row is still there.
   */
  async function sessionIdFromCookies(presented: { refreshToken: unknown; fingerprint: unknown }): Promise<string | null> {
    const parsed = parsePresented(presented);
    if (!parsed) return null;
    const token = await prisma.refreshToken.findUnique({
      where: { tokenHash: parsed.tokenHash },
      select: { sessionId: true, fingerprintHash: true },
    });
    if (token) return digestsEqual(token.fingerprintHash, parsed.fingerprintHash) ? token.sessionId : null;
    return deletedSpentTokenSession(parsed);
  }

  return {
    start,
    refresh,
    isKnownRefreshToken,
    pruneRefreshTokens,
    revokeSession,
    revokeOwnSession,
    revokeUserSessions,
    loadRecentRevocations,
    listLive,
    sessionIdFromCookies,
    isRevoked: (sessionId: string) => revoked.has(sessionId),
    /** The database's answer (for when the in-memory deny-list may have missed a revocation). */
    async isRevokedInDatabase(sessionId: string): Promise<boolean> {
      const session = await prisma.session.findUnique({ where: { id: sessionId }, select: { revokedAt: true } });
      return !session || session.revokedAt !== null;
    },
    onRevoke(listener: Listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
