// Rate limits hold for every spelling of an attempt, over real HTTP on a real server (THREATS T42,
// T55, T56, T57; OWASP Authentication CS, "Protect against automated attacks"). The budget is
// charged with the arguments the resolver receives, so a literal, a variable, a variable's
// default value, aliases, fragments, @include and any spelling of the e-mail all draw on one
// account's budget; IPv6 clients share one budget per /64; refreshes spend the budget only when
// they fail.
//
// Defence-removal checks (done by hand, see the report of the change): reading the e-mail from the
// document text and `variables` again (the old onParams counter) turns the property and the
// verified-attack tests red (default values are not charged); dropping `rateLimitBucket` turns
// the T57 test red; charging every refresh turns the T55 test red.
import { CHANGE_PASSWORD, FINGERPRINT_COOKIE, REFRESH_COOKIE, SIGN_IN, SIGN_UP } from '@app/shared';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refresh, signUp } from '../support/flows.js';
import { errorCode, graphql, type GraphQLResponse } from '../support/http-client.js';
import { signInSpellings } from '../support/spellings.js';
import { PASSWORD, startTestApi, uniqueEmail, type TestApi } from '../support/test-api.js';

/** The API trusts X-Forwarded-For from loopback (the web proxy), so a test can be many clients. */
const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });
let addressCounter = 0;
/** A fresh IPv4 client address per call (TEST-NET and benchmark ranges). */
const nextAddress = () => {
  const n = ++addressCounter;
  return `198.18.${(n >> 8) & 0xff}.${n & 0xff}`;
};

const PER_ACCOUNT = 4;
const PER_ADDRESS = 3;

describe('sign-in budgets hold for every spelling', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({
      RATE_LIMIT_WINDOW_SECONDS: '600',
      RATE_LIMIT_SIGN_IN_PER_ACCOUNT: String(PER_ACCOUNT),
      RATE_LIMIT_AUTH_PER_ADDRESS: String(PER_ADDRESS),
    });
  });
  afterAll(() => t?.close());

  const refused = (r: GraphQLResponse) =>
    r.status === 429 && errorCode(r) === 'RATE_LIMITED' && /^\d+$/.test(r.headers.get('retry-after') ?? '');

  it('T56 every spelling of sign-in at one account draws on that account’s budget (literal, variable, default value, aliases, fragments, @include, case, spaces, NFD)', async () => {
    let run = 0;
    // A fresh account per run (its own budget), with a non-ASCII local part so NFD differs from NFC.
    const runs = fc.constant(null).chain(() => {
      const email = `josé.${process.pid}.${++run}.${Date.now()}@example.test`;
      return fc.record({ email: fc.constant(email), shapes: fc.array(signInSpellings(email, 'x'), { minLength: 1, maxLength: 3 }) });
    });
    await fc.assert(
      fc.asyncProperty(runs, async ({ email, shapes }) => {
        let charged = 0;
        for (const shape of shapes) {
          charged += shape.fields;
          const r = await graphql(t.url, shape.query, shape.variables, from(nextAddress()));
          if (charged > PER_ACCOUNT) expect(refused(r), `${shape.query} → ${r.status} ${JSON.stringify(r.body)}`).toBe(true);
          else expect(r.status, `${shape.query} → ${JSON.stringify(r.body)}`).toBe(400);
        }
        // The canonical spelling shares the budget the other spellings spent.
        const canonical = await graphql(t.url, SIGN_IN, { email, password: 'x' }, from(nextAddress()));
        if (charged + 1 > PER_ACCOUNT) expect(refused(canonical)).toBe(true);
        else expect(canonical.status).toBe(400);
      }),
      // Each run burns its account's budget, so a failing run is reported as found, not shrunk.
      { numRuns: 20, endOnFailure: true },
    );
  });

  it('T56 the verified attack: after the account budget is spent, 12 guesses through a variable’s default value from 12 addresses are all refused', async () => {
    const victim = await signUp(t.url);
    for (let i = 0; i < PER_ACCOUNT; i++) {
      const r = await graphql(t.url, SIGN_IN, { email: victim.email, password: `wrong-${i}` }, from(nextAddress()));
      expect(r.status).toBe(400);
    }
    const attack = `mutation($e:String!=${JSON.stringify(victim.email)},$p:String!){ signIn(email:$e,password:$p){ accessToken } }`;
    for (let i = 0; i < 12; i++) {
      // The last guess is the right password: it must not help.
      const r = await graphql(t.url, attack, { p: i === 11 ? PASSWORD : `guess-${i}` }, from(nextAddress()));
      expect(refused(r), `guess ${i}: ${r.status} ${JSON.stringify(r.body)}`).toBe(true);
      expect(r.setCookies).toEqual([]);
    }
    expect(await t.api.prisma.session.count({ where: { userId: victim.user.id } })).toBe(1);
  });

  it('T56 sign-up and password change count once per alias and fragment, against the client address', async () => {
    const victim = await signUp(t.url);
    const address = nextAddress();
    const signUps = `mutation($p: String! = ${JSON.stringify(PASSWORD)}) {
      ... on Mutation { a: signUp(email: ${JSON.stringify(uniqueEmail())}, password: $p) { accessToken } }
      ...F
    }
    fragment F on Mutation { b: signUp(email: ${JSON.stringify(uniqueEmail())}, password: $p) { accessToken } }`;
    expect((await graphql(t.url, signUps, {}, from(address))).status).toBe(200);
    const change = await graphql(
      t.url,
      CHANGE_PASSWORD,
      { currentPassword: 'wrong', newPassword: 'another good passphrase' },
      {
        jar: victim.jar,
        token: victim.token,
        ...from(address),
      },
    );
    expect(change.status).toBe(400);
    // 2 sign-ups + 1 password change = the address's budget of 3: the next attempt is refused.
    const next = await graphql(t.url, SIGN_UP, { email: uniqueEmail(), password: PASSWORD }, from(address));
    expect(refused(next)).toBe(true);
  });

  it('T42 password guesses through changePassword draw on the account’s budget, whatever the address', async () => {
    const victim = await signUp(t.url);
    const guess = (currentPassword: string) =>
      graphql(
        t.url,
        CHANGE_PASSWORD,
        { currentPassword, newPassword: 'another good passphrase' },
        {
          token: victim.token,
          jar: victim.jar,
          keepCookies: false,
          ...from(nextAddress()),
        },
      );
    for (let i = 0; i < PER_ACCOUNT; i++) expect((await guess(`wrong-${i}`)).status).toBe(400);
    // Even the right current password is refused now, so nothing changed: the old password still signs in.
    expect(refused(await guess(PASSWORD))).toBe(true);
    const stillOld = await graphql(t.url, SIGN_IN, { email: victim.email, password: PASSWORD }, from(nextAddress()));
    expect(stillOld.status, JSON.stringify(stillOld.body)).toBe(200);
  });

  it('T57 IPv6 clients share one budget per /64, and ::ffff:a.b.c.d is a.b.c.d', async () => {
    const attempt = (address: string) => graphql(t.url, SIGN_IN, { email: uniqueEmail(), password: 'x' }, from(address));
    for (const address of ['2001:db8:57:1::1', '2001:db8:57:1:ffff:ffff:ffff:ffff', '2001:DB8:57:1:0:0:0:3']) {
      expect((await attempt(address)).status, address).toBe(400);
    }
    expect(refused(await attempt('2001:db8:57:1::abcd')), 'same /64').toBe(true);
    expect((await attempt('2001:db8:57:2::1')).status, 'next /64').toBe(400);

    for (const address of ['::ffff:192.0.2.57', '192.0.2.57', '::FFFF:c000:239']) {
      expect((await attempt(address)).status, address).toBe(400);
    }
    expect(refused(await attempt('0:0:0:0:0:ffff:192.0.2.57')), 'IPv4-mapped spelling').toBe(true);
  });
});

describe('refresh budget', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ RATE_LIMIT_WINDOW_SECONDS: '600', RATE_LIMIT_REFRESH_PER_ADDRESS: '3' });
  });
  afterAll(() => t?.close());

  it('T55 successful refreshes (another site looping the victim’s browser) never spend the budget; failed ones do', async () => {
    const victim = await signUp(t.url);
    const home = from('203.0.113.55');
    // Far more refreshes than the budget, all with the victim's own cookies: none is refused.
    for (let i = 0; i < 10; i++) {
      const r = await refresh(t.url, victim.jar, home);
      expect(r.status, `refresh ${i}: ${JSON.stringify(r.body)}`).toBe(200);
    }
    // Guessing refresh tokens from another address: 3 failures, then refused.
    const guesser = from('203.0.113.56');
    const guessedCookie = () =>
      `${REFRESH_COOKIE}=${randomBytes(32).toString('base64url')}; ${FINGERPRINT_COOKIE}=${victim.jar.get(FINGERPRINT_COOKIE)}`;
    for (let i = 0; i < 3; i++)
      expect(errorCode(await refresh(t.url, victim.jar, { cookie: guessedCookie(), keepCookies: false, ...guesser }))).toBe(
        'UNAUTHENTICATED',
      );
    const blocked = await refresh(t.url, victim.jar, { cookie: guessedCookie(), keepCookies: false, ...guesser });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    // A refresh with no cookie guesses nothing: answered, not counted.
    expect(errorCode(await refresh(t.url, victim.jar, { cookie: '', keepCookies: false, ...guesser }))).toBe('UNAUTHENTICATED');
    // The victim's own address is untouched.
    expect((await refresh(t.url, victim.jar, home)).status).toBe(200);
  });
  it('T55 guesses from a neighbour at the same address (one NAT, one /64) never refuse the real holders’ refreshes from it', async () => {
    const victim = await signUp(t.url);
    const neighbour = from('2001:db8:55:1::bad');
    const guessedCookie = () =>
      `${REFRESH_COOKIE}=${randomBytes(32).toString('base64url')}; ${FINGERPRINT_COOKIE}=${randomBytes(32).toString('base64url')}`;
    let refusedGuess = false;
    for (let i = 0; i < 5 && !refusedGuess; i++) {
      refusedGuess = (await refresh(t.url, victim.jar, { cookie: guessedCookie(), keepCookies: false, ...neighbour })).status === 429;
    }
    expect(refusedGuess, 'the neighbour’s guesses are limited').toBe(true);
    // The victim shares the neighbour's /64 (and then its IPv4 NAT address): their own refreshes go through.
    for (const address of ['2001:db8:55:1::1', '2001:db8:55:1::bad', '198.51.100.55']) {
      const r = await refresh(t.url, victim.jar, from(address));
      expect(r.status, `${address}: ${JSON.stringify(r.body)}`).toBe(200);
    }
    for (let i = 0; i < 5; i++) await refresh(t.url, victim.jar, { cookie: guessedCookie(), keepCookies: false, ...from('198.51.100.55') });
    expect((await refresh(t.url, victim.jar, from('198.51.100.55'))).status).toBe(200);
    // …and the neighbour is still refused.
    expect((await refresh(t.url, victim.jar, { cookie: guessedCookie(), keepCookies: false, ...neighbour })).status).toBe(429);
  });
});
