// Revoking sessions always names a session or a user: no call can end every session in the
// database. The type system refuses the empty filter (checked by `pnpm typecheck`, which covers
// test/), and empty ids at run time match nothing rather than everything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sessions } from '../../src/auth/sessions.js';
import { refresh, signUp } from '../support/flows.js';
import { sessionsOn } from '../support/sessions.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

let t: TestApi;
let sessions: Sessions;
beforeAll(async () => {
  t = await startTestApi();
  sessions = await sessionsOn(t);
});
afterAll(() => t?.close());

/** Never called: its body is only type-checked. Each line must be a type error. */
export function unrepresentableRevocations(s: Sessions) {
  // @ts-expect-error — no target at all
  void s.revokeUserSessions({}, 'revoked');
  // @ts-expect-error — "everyone but this session" still needs a user
  void s.revokeUserSessions({ exceptSessionId: 'x' }, 'revoked');
  // @ts-expect-error — an own-session revocation names both the user and the session
  void s.revokeOwnSession({ userId: 'u' }, 'revoked');
  // @ts-expect-error — an own-session revocation names both the user and the session
  void s.revokeOwnSession({ sessionId: 's' }, 'revoked');
  // @ts-expect-error — a session id, not a filter
  void s.revokeSession({}, 'revoked');
}

describe('revocation scope', () => {
  it('empty ids end no session: they match nothing, never everything', async () => {
    const a = await signUp(t.url);
    const b = await signUp(t.url);
    expect(await sessions.revokeSession('', 'revoked')).toBe(false);
    expect(await sessions.revokeUserSessions({ userId: '' }, 'revoked')).toEqual([]);
    expect(await sessions.revokeUserSessions({ userId: '', exceptSessionId: '' }, 'revoked')).toEqual([]);
    expect(await sessions.revokeOwnSession({ userId: '', sessionId: '' }, 'revoked')).toBe(false);
    expect(await t.api.prisma.session.count({ where: { revokedAt: { not: null } } })).toBe(0);
    expect((await refresh(t.url, a.jar)).status).toBe(200);
    expect((await refresh(t.url, b.jar)).status).toBe(200);
  });

  it("revokeOwnSession with another user's session changes nothing; revokeUserSessions spares the excepted session and other users", async () => {
    const a1 = await signUp(t.url);
    const b = await signUp(t.url);
    const [bSession] = await t.api.prisma.session.findMany({ where: { userId: b.user.id } });
    expect(await sessions.revokeOwnSession({ userId: a1.user.id, sessionId: bSession!.id }, 'revoked')).toBe(false);
    expect((await refresh(t.url, b.jar)).status).toBe(200);

    const second = await sessions.start(await t.api.prisma.user.findUniqueOrThrow({ where: { id: a1.user.id } }), null);
    const ended = await sessions.revokeUserSessions({ userId: a1.user.id, exceptSessionId: second.sessionId }, 'sign-out-everywhere');
    expect(ended).toHaveLength(1);
    expect(ended).not.toContain(second.sessionId);
    expect((await refresh(t.url, a1.jar, { keepCookies: false })).status).toBe(401);
    expect((await refresh(t.url, b.jar)).status).toBe(200);
    expect(sessions.isRevoked(second.sessionId)).toBe(false);
  });
});
