// the rate-limit plugin's read (isKnownRefreshToken) is reused by refresh() for the same
// cookies object. A read made stale by what happened in between must never decide an outcome.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sessions } from '../../src/auth/sessions.js';
import type { User } from '../../src/generated/prisma/client.js';
import { sessionsOn } from '../support/sessions.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

let t: TestApi;
let sessions: Sessions;
let user: User;
/** Every access token `sessions` has signed, in order. */
const signed: string[] = [];
beforeAll(async () => {
  t = await startTestApi();
  sessions = await sessionsOn(t, undefined, (token) => signed.push(token));
  user = await t.api.prisma.user.create({ data: { email: `memo-${Date.now()}@example.com`, passwordHash: 'x' } });
});
afterAll(() => t?.close());

const cookiesOf = (g: { cookies?: { refreshToken: string; fingerprint: string } }) => ({
  refreshToken: g.cookies!.refreshToken,
  fingerprint: g.cookies!.fingerprint,
});

describe('stale rate-limit read', () => {
  it('rotated by another request in between: the same successor (lost answer), never a second one', async () => {
    const grant = await sessions.start(user, null);
    const request = cookiesOf(grant);
    expect(await sessions.isKnownRefreshToken(request)).toBe(true); // memo: fresh
    const other = await sessions.refresh({ ...request }); // another tab rotates
    expect(other.kind).toBe('rotated');
    const mine = await sessions.refresh(request); // uses the stale 'fresh' read
    expect(mine.kind).toBe('lost-answer-resent');
    if (mine.kind !== 'lost-answer-resent' || other.kind !== 'rotated') return;
    expect(mine.grant.cookies?.refreshToken).toBe(other.grant.cookies?.refreshToken);
    const rows = await t.api.prisma.refreshToken.count({ where: { sessionId: grant.sessionId } });
    expect(rows).toBe(2);
  });

  it('T17 a read made for the current token never decides for another token of the same cookies object (an old, spent one)', async () => {
    const grant = await sessions.start(user, null);
    const first = cookiesOf(grant);
    const second = await sessions.refresh({ ...first });
    if (second.kind !== 'rotated') throw new Error(second.kind);
    const third = await sessions.refresh(cookiesOf(second.grant)); // the first token is spent now
    if (third.kind !== 'rotated') throw new Error(third.kind);
    const request = cookiesOf(third.grant);
    expect(await sessions.isKnownRefreshToken(request)).toBe(true); // a read of the current token: fresh
    request.refreshToken = first.refreshToken; // the same object now names the spent token
    const outcome = await sessions.refresh(request);
    // Decided for the spent token (within the grace window: an access token, no new refresh token),
    // never a rotation of the current token handed to the holder of the spent one.
    expect(outcome.kind).toBe('grace-access-token');
  });

  it('session revoked in between: refused, nothing rotates', async () => {
    const grant = await sessions.start(user, null);
    const request = cookiesOf(grant);
    expect(await sessions.isKnownRefreshToken(request)).toBe(true);
    await sessions.revokeSession(grant.sessionId, 'sign-out');
    expect((await sessions.refresh(request)).kind).toBe('refused');
    expect(await t.api.prisma.refreshToken.count({ where: { sessionId: grant.sessionId } })).toBe(1);
  });

  it('successor presented and grace passed in between: reuse revokes the session', async () => {
    const grant = await sessions.start(user, null);
    const request = cookiesOf(grant);
    expect(await sessions.isKnownRefreshToken(request)).toBe(true);
    const second = await sessions.refresh({ ...request });
    if (second.kind !== 'rotated') throw new Error(second.kind);
    const third = await sessions.refresh(cookiesOf(second.grant));
    expect(third.kind).toBe('rotated');
    await new Promise((r) => setTimeout(r, 1_200));
    expect((await sessions.refresh(request)).kind).toBe('reuse-revoked');
    expect((await t.api.prisma.session.findUniqueOrThrow({ where: { id: grant.sessionId } })).revokedAt).not.toBeNull();
  });

  it('a memo for one cookies object is never used for another token', async () => {
    const a = await sessions.start(user, null);
    const b = await sessions.start(user, null);
    const request = cookiesOf(a);
    expect(await sessions.isKnownRefreshToken(request)).toBe(true);
    // Same object, its values swapped to b's (a resolver never does this; the memo must not care).
    Object.assign(request, cookiesOf(b));
    const out = await sessions.refresh(request);
    expect(out.kind).toBe('rotated');
    if (out.kind !== 'rotated') return;
    expect(out.grant.sessionId).toBe(b.sessionId);
  });

  it('T16 a memo made with the right fingerprint never decides for another fingerprint of the same cookies object', async () => {
    const a = await sessions.start(user, null);
    const b = await sessions.start(user, null);
    const request = cookiesOf(a);
    expect(await sessions.isKnownRefreshToken(request)).toBe(true); // a's token and a's fingerprint: known
    // The memo holds the digests of a's two cookies; the same object now pairs a's token with b's fingerprint.
    request.fingerprint = b.cookies!.fingerprint;
    expect((await sessions.refresh(request)).kind).toBe('refused');
    expect(await t.api.prisma.refreshToken.count({ where: { sessionId: a.sessionId } })).toBe(1);
  });

  it('a cookies object that answers differently on each read still pairs every token with its own digest', async () => {
    const a = await sessions.start(user, null);
    const b = await sessions.start(user, null);
    let reads = 0;
    // Not something a request can build (its cookies are plain strings); the sessions module must not care.
    const request = {
      get refreshToken() {
        return reads++ % 2 === 0 ? a.cookies!.refreshToken : b.cookies!.refreshToken;
      },
      fingerprint: a.cookies!.fingerprint,
    };
    await sessions.isKnownRefreshToken(request);
    const first = await sessions.refresh(request);
    expect(first.kind).toBe('rotated');
    if (first.kind !== 'rotated') return;
    expect(first.grant.sessionId).toBe(a.sessionId);
    // Its answer lost: a's token again gets the successor that was sealed under a's token (T54).
    const again = await sessions.refresh(cookiesOf(a));
    expect(again.kind).toBe('lost-answer-resent');
    if (again.kind !== 'lost-answer-resent') return;
    expect(again.grant.cookies?.refreshToken).toBe(first.grant.cookies?.refreshToken);
  });

  it('fifty concurrent presentations through the memo path: one rotation', async () => {
    const grant = await sessions.start(user, null);
    const outs = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const c = cookiesOf(grant);
        await sessions.isKnownRefreshToken(c);
        return sessions.refresh(c);
      }),
    );
    const kinds = outs.map((o) => o.kind);
    expect(kinds.filter((k) => k === 'rotated')).toHaveLength(1);
    const successors = new Set(outs.map((o) => ('grant' in o ? o.grant.cookies?.refreshToken : o.kind)));
    expect(successors.size).toBe(1);
  });
});

// A refresh signs its access token while its rotation is at the database (auth/sessions.ts,
// rotateFresh). When the rotation loses, that token must go nowhere: every outcome carries a token
// signed after the loss was known, for the outcome it is (T17, T18, T54).
describe('the access token signed while a losing rotation was at the database', () => {
  it('lost to another rotation: the lost answer is resent with a token signed after the loss, never the dropped one', async () => {
    const request = cookiesOf(await sessions.start(user, null));
    expect(await sessions.isKnownRefreshToken(request)).toBe(true); // read as fresh
    expect((await sessions.refresh({ ...request })).kind).toBe('rotated'); // another tab wins
    const before = signed.length;
    const mine = await sessions.refresh(request); // its rotation loses
    const signedForMine = signed.slice(before);
    expect(mine.kind).toBe('lost-answer-resent');
    expect(signedForMine).toHaveLength(2); // one for the losing rotation, one for the resend
    if (mine.kind !== 'lost-answer-resent') return;
    expect(mine.grant.accessToken.token).toBe(signedForMine[1]);
    expect(JSON.stringify(mine)).not.toContain(signedForMine[0]);
  });

  it('lost to a revocation: refused, and the dropped token is in no outcome', async () => {
    const grant = await sessions.start(user, null);
    const request = cookiesOf(grant);
    expect(await sessions.isKnownRefreshToken(request)).toBe(true);
    await sessions.revokeSession(grant.sessionId, 'sign-out');
    const before = signed.length;
    const outcome = await sessions.refresh(request);
    expect(outcome.kind).toBe('refused');
    expect(signed.slice(before)).toHaveLength(1);
    expect(JSON.stringify(outcome)).not.toContain(signed[before]);
  });
});

describe('revocation racing rotations', () => {
  it('no refresh answered after the revocation commits yields a usable successor', async () => {
    const grant = await sessions.start(user, null);
    let chain = cookiesOf(grant);
    const successors: { refreshToken: string; fingerprint: string }[] = [];
    const racers = Array.from({ length: 20 }, async (_, i) => {
      await new Promise((r) => setTimeout(r, i * 3));
      const c = { ...chain };
      await sessions.isKnownRefreshToken(c);
      const out = await sessions.refresh(c);
      if ('grant' in out && out.grant.cookies) {
        chain = cookiesOf(out.grant);
        successors.push(chain);
      }
    });
    const revoker = (async () => {
      await new Promise((r) => setTimeout(r, 25));
      await sessions.revokeSession(grant.sessionId, 'sign-out');
    })();
    await Promise.all([...racers, revoker]);
    for (const s of successors) expect((await sessions.refresh({ ...s })).kind).toBe('refused');
    const live = await t.api.prisma.refreshToken.count({ where: { sessionId: grant.sessionId, rotatedAt: null } });
    expect(live).toBeLessThanOrEqual(1);
  });
});
