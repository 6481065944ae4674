// T53 — property-based fuzzing (fast-check) of everything an attacker controls on the auth path:
// the Authorization header, the two auth cookies, and the variables of signIn/signUp. One real API
// (real HTTP, real database) serves the whole file. Requests whose bytes `fetch` refuses to send
// (control characters, non-Latin-1 text, duplicate or oversized headers) go over a raw socket
// (support/raw-http.ts), byte for byte as an attacker would send them.
//
// The oracle, for every request (see `judge`):
//  - never a 5xx; the server answers every request and stays up (a control request after each run);
//  - a JSON answer with errors has `errors[].extensions.code` in the contract's set and the matching
//    status: UNAUTHENTICATED 401, FORBIDDEN 403, BAD_USER_INPUT 400 (405 for a mutation over GET,
//    413 for a body over the size limit), RATE_LIMITED 429; INTERNAL_SERVER_ERROR is never expected;
//    no error carries a stack;
//  - a success is 200 with data and no errors;
//  - the only non-JSON answers allowed are Node's own 400/431 for bytes HTTP forbids in a header
//    (control characters) or headers over its size limit — the request never reached the app;
// and per property:
//  - a present Authorization header that is not the genuine token is 401, never anonymous;
//  - a mutated or re-encoded token is 401 unless it is byte-equivalent to the genuine one; a token
//    re-signed with the server's own key is 401 whenever a claim is definitely invalid, and otherwise
//    never authenticates anybody but its `sub`;
//  - fuzzed cookies (the attacker knows at most ONE of the victim's two secrets) never rotate or
//    revoke the victim's session — checked in the database after every single request, so the
//    counterexample is the request that did it — and after the run the victim can still
//    refresh and gets a rotated cookie (the API runs with REFRESH_REUSE_GRACE_SECONDS=0, so a token
//    rotated by the fuzz could not pass as a grace-window refresh);
//  - a mutation sent over GET never executes, whatever the variables and cookies (T25);
//  - mutated signIn/signUp documents, odd operationName/extensions (POST) and arbitrary GET
//    query-string parameters only ever get contract codes.
//
// Rate limits: 429 RATE_LIMITED is a valid answer everywhere. The signIn/signUp fuzz sends a random
// X-Forwarded-For per request (the API believes it from loopback, as from the web proxy), so most
// requests land in a fresh per-address bucket and reach validation instead of the limiter.
//
// Reproducing a failure: fast-check prints the counterexample, the seed and the path; rerun with
// FUZZ_SEED=<seed> (and FUZZ_RUNS=<n> for more runs than the default 150).
import {
  CSRF_HEADER,
  FINGERPRINT_CLAIM,
  FINGERPRINT_COOKIE,
  HASURA_CLAIMS,
  ME,
  REFRESH_ACCESS_TOKEN,
  REFRESH_COOKIE,
  SESSION_CLAIM,
  SIGN_IN,
  SIGN_OUT,
  SIGN_UP,
} from '@app/shared';
import fc from 'fast-check';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refresh, signUp, type Device } from '../support/flows.js';
import { b64url, decodePart } from '../support/forge.js';
import { graphql } from '../support/http-client.js';
import { rawRequest, type RawHeader, type RawResponse } from '../support/raw-http.js';
import { signCompactRaw } from '../support/raw-jws.js';
import { PASSWORD, startTestApi, type TestApi } from '../support/test-api.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const params = { numRuns: RUNS, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) };
/** Each property sends RUNS requests (plus shrinking on failure); no assertion depends on time. */
const PROPERTY_TIMEOUT = 120_000;

const TTL_SECONDS = 300;
const ISSUER = 'urn:jwt-auth-reference:api';
const AUDIENCE = 'urn:jwt-auth-reference:web';
const KID = 'test-key-1';

let t: TestApi;
/** The user whose session must survive everything. */
let victim: Device;
/** Owner of the genuine token that the token properties mutate (its session is never touched). */
let attacker: Device;
/** A second session whose real cookies the cookie fuzz mixes in (it may get rotated or revoked). */
let mallory: Device;
let victimSessionId: string;

beforeAll(async () => {
  t = await startTestApi({ REFRESH_REUSE_GRACE_SECONDS: '0', ACCESS_TOKEN_TTL_SECONDS: String(TTL_SECONDS) });
  victim = await signUp(t.url);
  attacker = await signUp(t.url);
  mallory = await signUp(t.url);
  victimSessionId = decodeJwt(victim.token)[SESSION_CLAIM] as string;
  victimBaseline = (await victimRefreshTokens()).tokens;
});
afterAll(() => t?.close());

// ---------------------------------------------------------------------------------------------
// The oracle
// ---------------------------------------------------------------------------------------------

type Body = { data?: Record<string, unknown> | null; errors?: { message?: unknown; extensions?: Record<string, unknown> }[] };
type Verdict = { status: number; code: string | null; body: Body | null };

const STATUS_OF: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400, RATE_LIMITED: 429 };
/**
 * Bytes Node's HTTP parser refuses in a header value (it answers a bare 400 before the app runs):
 * controls other than HTAB, and DEL. CR and LF never get there (raw-http turns them into spaces).
 */
const httpForbiddenByte = (b: number) => (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f;
/** Node's default header limit is 16 KiB; above ~8 KiB we accept its bare 431. */
const LARGE_HEADERS = 8 * 1024;

type JudgeOptions = {
  /** What was sent, for failure messages. */
  label: string;
  /** The request's header bytes may be refused by Node's parser (see httpForbiddenByte / LARGE_HEADERS). */
  parserMayRefuse?: boolean;
  /** A GraphQL request sent with GET: a mutation is refused with 405. */
  get?: boolean;
  /** Body size in bytes: a body over the limit is refused with 413. */
  bodyBytes?: number;
};

/** Outcome counts per test, printed with FUZZ_STATS=1 (to see what the fuzz actually reached). */
const tally = new Map<string, Map<string, number>>();
function count(outcome: string) {
  const test = expect.getState().currentTestName ?? '?';
  const counts = tally.get(test) ?? new Map<string, number>();
  counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  tally.set(test, counts);
}
afterAll(() => {
  if (!process.env.FUZZ_STATS) return;
  for (const [test, counts] of tally) console.warn(`${test}\n  ${[...counts].map(([k, n]) => `${k}: ${n}`).join(', ')}`);
});

function judge(status: number, text: string, opts: JudgeOptions): Verdict {
  const verdict = judgeUncounted(status, text, opts);
  count(`${verdict.status}${verdict.code ? ` ${verdict.code}` : verdict.body ? '' : ' (HTTP parser)'}`);
  return verdict;
}

function judgeUncounted(status: number, text: string, opts: JudgeOptions): Verdict {
  const where = `${opts.label} → ${status} ${text.slice(0, 300)}`;
  expect(status, `5xx: ${where}`).toBeLessThan(500);
  let body: Body;
  try {
    body = JSON.parse(text) as Body;
  } catch {
    // Not an answer from the app: only Node's own parser rejections are acceptable.
    expect(opts.parserMayRefuse && text === '' && (status === 400 || status === 431), `non-JSON answer: ${where}`).toBe(true);
    return { status, code: null, body: null };
  }
  expect(body !== null && typeof body === 'object' && !Array.isArray(body), `not a GraphQL response: ${where}`).toBe(true);
  const errors = body.errors ?? [];
  if (errors.length === 0) {
    expect(status, `success must be 200: ${where}`).toBe(200);
    expect(body.data, `200 without data: ${where}`).toBeTruthy();
    return { status, code: null, body };
  }
  for (const e of errors) {
    const code = e.extensions?.code;
    expect(typeof code === 'string' && code in STATUS_OF, `error code ${String(code)} not allowed: ${where}`).toBe(true);
    const allowed = [STATUS_OF[code as string]];
    if (code === 'BAD_USER_INPUT' && opts.get) allowed.push(405);
    if (code === 'BAD_USER_INPUT' && (opts.bodyBytes ?? 0) > 4096) allowed.push(413);
    expect(allowed, `status does not match ${String(code)}: ${where}`).toContain(status);
    expect(e, `error carries a stack: ${where}`).not.toHaveProperty('stack');
    expect(e.extensions ?? {}, `error carries a stack: ${where}`).not.toHaveProperty('stacktrace');
  }
  expect(body.data ?? null, `error response with data: ${where}`).toBeNull();
  return { status, code: errors[0]!.extensions!.code as string, body };
}

function judgeRaw(r: RawResponse, opts: JudgeOptions): Verdict {
  return judge(r.status, r.body, opts);
}

/** True if any header value contains bytes Node refuses, or the headers are large. */
function parserMayRefuse(headers: RawHeader[]): boolean {
  let size = 0;
  for (const [name, value] of headers) {
    const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
    size += name.length + bytes.length + 4;
    if (bytes.some(httpForbiddenByte)) return true;
  }
  return size > LARGE_HEADERS;
}

/** A well-formed GraphQL POST (JSON body, CSRF header) with the given extra headers. */
const postGraphQL = (query: string, headers: RawHeader[], body = JSON.stringify({ query, variables: {} })) =>
  rawRequest(t.url, {
    method: 'POST',
    path: '/graphql',
    headers: [['content-type', 'application/json'], [CSRF_HEADER, '1'], ...headers],
    body,
  });

/** The server is up and the victim's access token still works. */
async function expectServerUpAndVictimSignedIn() {
  expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  const r = await graphql<{ me: { id: string } | null }>(t.url, ME, {}, { token: victim.token, jar: victim.jar, keepCookies: false });
  expect(r.status).toBe(200);
  expect(r.body.data?.me?.id).toBe(victim.user.id);
}

/** The victim's refresh tokens as stored: which exist and which were rotated. */
async function victimRefreshTokens(): Promise<{ revokedAt: Date | null; tokens: string }> {
  const session = await t.api.prisma.session.findUniqueOrThrow({
    where: { id: victimSessionId },
    include: { refreshTokens: { select: { id: true, rotatedAt: true }, orderBy: { createdAt: 'asc' } } },
  });
  return { revokedAt: session.revokedAt, tokens: JSON.stringify(session.refreshTokens) };
}
/** What the victim's own (legitimate) requests left behind; nothing else may change it. */
let victimBaseline: string;

/**
 * For properties that check the victim after every request: once a request has damaged the victim's
 * session, every later request would "fail" too. fast-check's shrinking replays smaller inputs after
 * the failure, so those are skipped (fc.pre) and the report keeps naming the request that did it.
 */
async function skipIfVictimAlreadyDamaged() {
  const now = await victimRefreshTokens();
  fc.pre(now.revokedAt === null && now.tokens === victimBaseline);
}

/** Straight from the database: the victim's session is live and no refresh token was issued or rotated. */
async function expectVictimSessionUntouched(label: string) {
  const now = await victimRefreshTokens();
  expect(now.revokedAt, `victim's session revoked by: ${label}`).toBeNull();
  expect(now.tokens, `victim's refresh token rotated by: ${label}`).toBe(victimBaseline);
}

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

const B64URL = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];
/** Characters that matter to parsers: delimiters, quotes, escapes, controls, odd Unicode. */
const NASTY = [
  ...' \t,;:="\'\\%.+/-_*?!#&()[]{}<>@`~',
  '\u0000',
  '\u0001',
  '\u000b',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u00e9',
  '\u00ff',
  '\u0100',
  '\u2028',
  '\u202e',
  '\ufeff',
  '\ufffd',
  '\ud800',
  '\udfff',
  '\u{1d54f}',
  'A',
  'z',
  '0',
];

const anyText = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({ unit: fc.constantFrom(...NASTY), maxLength }),
  );
const b64urlText = (minLength: number, maxLength: number) => fc.string({ unit: fc.constantFrom(...B64URL), minLength, maxLength });
const anyBytes = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));
const huge = (unit: fc.Arbitrary<string>) => fc.tuple(fc.integer({ min: 1_000, max: 20_000 }), unit).map(([n, c]) => c.repeat(n));

type Edit = { op: 'flip' | 'insert' | 'delete'; at: number; ch: string };
const editArb: fc.Arbitrary<Edit> = fc.record({
  op: fc.constantFrom('flip', 'insert', 'delete'),
  at: fc.nat(),
  ch: fc.oneof(fc.constantFrom(...B64URL), fc.constantFrom(...NASTY), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
});
function applyEdit(s: string, e: Edit): string {
  const chars = [...s];
  const i = e.at % (chars.length + (e.op === 'insert' ? 1 : 0) || 1);
  if (e.op === 'insert') chars.splice(i, 0, e.ch);
  else if (e.op === 'delete') chars.splice(i, 1);
  else chars[i] = e.ch;
  return chars.join('');
}
const mutated = (s: string) => fc.array(editArb, { minLength: 1, maxLength: 3 }).map((edits) => edits.reduce(applyEdit, s));

/** Values chosen to confuse claim parsers: wrong types, edge numbers, huge and odd strings. */
const confusing = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    2 ** 53,
    -(2 ** 53),
    1e308,
    -1e308,
    '',
    ' ',
    '0',
    'null',
    'NaN',
    '1e999',
    [],
    {},
    [null],
    { $gt: '' },
    { toString: 'x' },
    '__proto__',
    'constructor',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
  ),
  fc.uuid(),
  fc.integer({ min: -(2 ** 31), max: 2 ** 33 }),
  anyText(80),
);

// ---------------------------------------------------------------------------------------------
// Authorization header
// ---------------------------------------------------------------------------------------------

describe('T53 fuzzed Authorization header', () => {
  it(
    'T53 arbitrary Authorization header values are 401 (or refused by the HTTP parser), never 5xx, never anonymous',
    async () => {
      const genuine = new RegExp(`^bearer ${attacker.token}$`, 'i');
      const value = fc.oneof(
        anyText(300),
        anyBytes,
        fc
          .tuple(
            fc.constantFrom(
              'Bearer ',
              'bearer ',
              'BEARER ',
              'Bearer  ',
              'Bearer\t',
              ' Bearer ',
              'Bearer',
              'Basic ',
              'Token ',
              'DPoP ',
              'Bearer=',
              'Bearer:',
            ),
            anyText(300),
          )
          .map(([scheme, rest]) => scheme + rest),
        fc.array(b64urlText(0, 80), { minLength: 1, maxLength: 6 }).map((parts) => `Bearer ${parts.join('.')}`),
        huge(fc.constantFrom('A', '.', 'é', '\u{1d54f}')).map((s) => `Bearer ${s}`),
        fc.constantFrom(
          `Bearer ${attacker.token} ${attacker.token}`,
          `Bearer ${attacker.token},Bearer ${attacker.token}`,
          `Bearer ${attacker.token}.`,
          `Bearer .${attacker.token}`,
          `Bearer "${attacker.token}"`,
          `Bearer ${attacker.token}\u0000`,
          attacker.token,
          `Bearer ${attacker.token.split('.').slice(0, 2).join('.')}`,
        ),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 3 }), async (values) => {
          // Node trims optional whitespace around a header value; the genuine token is not a fuzz case.
          fc.pre(!values.some((v) => genuine.test((Buffer.isBuffer(v) ? v.toString('latin1') : v).trim())));
          const headers: RawHeader[] = [['cookie', attacker.jar.header()], ...values.map((v): RawHeader => ['authorization', v])];
          const r = await postGraphQL(ME, headers);
          const label = `authorization ${JSON.stringify(values.map((v) => (Buffer.isBuffer(v) ? `hex:${v.toString('hex')}` : v.slice(0, 200))))}`;
          const verdict = judgeRaw(r, { label, parserMayRefuse: parserMayRefuse(headers) });
          if (verdict.body) {
            expect(verdict.status, `present Authorization header treated as valid or anonymous: ${label} → ${r.body}`).toBe(401);
            expect(verdict.code).toBe('UNAUTHENTICATED');
          }
        }),
        params,
      );
      await expectServerUpAndVictimSignedIn();
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'T53 mutated real tokens (flip/insert/delete in header, payload or signature) are 401 unless byte-equivalent',
    async () => {
      const original = attacker.token.split('.') as [string, string, string];
      const originalSignature = Buffer.from(original[2], 'base64url');
      const mutation = fc.array(fc.record({ part: fc.constantFrom(0, 1, 2), edit: editArb }), { minLength: 1, maxLength: 3 });
      await fc.assert(
        fc.asyncProperty(mutation, async (edits) => {
          const parts = [...original];
          for (const { part, edit } of edits) parts[part] = applyEdit(parts[part]!, edit);
          const token = parts.join('.');
          fc.pre(token !== attacker.token);
          const headers: RawHeader[] = [
            ['cookie', attacker.jar.header()],
            ['authorization', `Bearer ${token}`],
          ];
          const r = await postGraphQL(ME, headers);
          const label = `Bearer ${JSON.stringify(token)}`;
          const verdict = judgeRaw(r, { label, parserMayRefuse: parserMayRefuse(headers) });
          if (!verdict.body) return;
          // base64url leaves a few low bits of the last character unused: a signature that decodes
          // to the same bytes is the same signature over the same signed bytes.
          const equivalent =
            parts[0] === original[0] &&
            parts[1] === original[1] &&
            /^[A-Za-z0-9_-]+$/.test(parts[2]!) &&
            Buffer.from(parts[2]!, 'base64url').equals(originalSignature);
          if (equivalent && verdict.status === 200) {
            expect((verdict.body.data?.me as { id?: string } | null)?.id).toBe(attacker.user.id);
            return;
          }
          expect(verdict.status, `tampered token accepted: ${label} → ${r.body}`).toBe(401);
          expect(verdict.code).toBe('UNAUTHENTICATED');
        }),
        params,
      );
      await expectServerUpAndVictimSignedIn();
    },
    PROPERTY_TIMEOUT,
  );

  const HEADER_FIELDS = ['alg', 'kid', 'typ', 'crit', 'b64', 'jwk', 'jku', 'x5u', 'x5c', 'x5t', 'cty', 'zip', 'enc', '__proto__'];
  const PAYLOAD_FIELDS = [
    'exp',
    'nbf',
    'iat',
    'sub',
    SESSION_CLAIM,
    FINGERPRINT_CLAIM,
    'iss',
    'aud',
    'jti',
    HASURA_CLAIMS,
    'scope',
    'role',
    'admin',
  ];
  /** `undefined` deletes the field (JSON.stringify drops it). */
  const overrides = (fields: string[], extra: fc.Arbitrary<unknown>) =>
    fc.dictionary(fc.constantFrom(...fields), fc.oneof(confusing, extra, fc.constant(undefined)), { minKeys: 1, maxKeys: 4 });

  /** Re-encodes the JSON of both parts, optionally with odd but parseable formatting. */
  const encodings = fc.constantFrom<(o: unknown) => string>(
    (o) => JSON.stringify(o),
    (o) => JSON.stringify(o, null, 1),
    (o) => ` ${JSON.stringify(o)}\n`,
    // Duplicate keys: JSON.parse keeps the LAST; a verifier that keeps the first would disagree.
    (o) => {
      const s = JSON.stringify(o);
      return o && typeof o === 'object' && !Array.isArray(o) && s !== '{}'
        ? `{"sub":"${'0'.repeat(8)}-0000-0000-0000-000000000000",${s.slice(1)}`
        : s;
    },
  );

  it(
    'T53 re-encoded header/payload with arbitrary alg/kid/typ/exp/sub/fgp… and the original signature are 401',
    async () => {
      const [h, p, s] = attacker.token.split('.') as [string, string, string];
      const header = decodePart(h);
      const payload = decodePart(p);
      const headerExtra = fc.constantFrom<unknown>(
        'none',
        'None',
        'HS256',
        'ES256',
        'Ed25519',
        'RS256',
        'at+jwt',
        'JWT',
        'no-such-key',
        KID,
      );
      await fc.assert(
        fc.asyncProperty(
          overrides(HEADER_FIELDS, headerExtra),
          overrides(PAYLOAD_FIELDS, fc.constantFrom<unknown>(victim.user.id, mallory.user.id, ISSUER, AUDIENCE, [AUDIENCE])),
          encodings,
          fc.constantFrom(s, '', 'AAAA'),
          async (headerEdits, payloadEdits, encode, signature) => {
            const token = `${b64url(encode({ ...header, ...headerEdits }))}.${b64url(encode({ ...payload, ...payloadEdits }))}.${signature}`;
            fc.pre(token !== attacker.token);
            const r = await postGraphQL(ME, [
              ['cookie', attacker.jar.header()],
              ['authorization', `Bearer ${token}`],
            ]);
            const label = `header ${JSON.stringify(headerEdits)} payload ${JSON.stringify(payloadEdits)} sig ${JSON.stringify(signature.slice(0, 8))}`;
            const verdict = judgeRaw(r, { label });
            expect(verdict.status, `re-encoded token accepted: ${label} → ${r.body}`).toBe(401);
            expect(verdict.code).toBe('UNAUTHENTICATED');
          },
        ),
        params,
      );
      await expectServerUpAndVictimSignedIn();
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'T53 tokens re-signed with the server key but odd claims/headers are 401 when invalid, never 5xx, never another user',
    async () => {
      const header = decodeProtectedHeader(attacker.token) as Record<string, unknown>;
      const payload = decodeJwt(attacker.token) as Record<string, unknown>;
      const fgp = payload[FINGERPRINT_CLAIM];
      const now = () => Math.floor(Date.now() / 1000);
      const validTimes = fc.integer({ min: -60, max: 60 }).map((d) => now() + d);
      const headerExtra = fc.constantFrom<unknown>(
        'EdDSA',
        'Ed25519',
        'ES256',
        'at+jwt',
        'AT+JWT',
        'application/at+jwt',
        'JWT',
        KID,
        ['b64'],
        false,
      );
      const payloadExtra = fc.oneof(
        validTimes,
        fc.constantFrom<unknown>(victim.user.id, mallory.user.id, ISSUER, AUDIENCE, [AUDIENCE, 'x'], fgp),
      );
      const knownUsers = new Set([victim.user.id, attacker.user.id, mallory.user.id]);

      /** The reasons a correct verifier MUST refuse the token (RFC 8725, our contract); null if none. */
      function mustRefuse(h: unknown, c: unknown): string | null {
        if (!isObject(h)) return 'header not an object';
        if (h.alg !== 'EdDSA') return 'alg';
        if ('crit' in h) return 'crit';
        if (h.kid !== undefined && h.kid !== KID) return 'kid';
        if (typeof h.typ !== 'string' || h.typ.toLowerCase().replace(/^application\//, '') !== 'at+jwt') return 'typ';
        if (!isObject(c)) return 'payload not an object';
        for (const claim of ['sub', 'exp', 'iat', 'jti', SESSION_CLAIM, FINGERPRINT_CLAIM])
          if (c[claim] === undefined) return `missing ${claim}`;
        const t0 = now();
        if (typeof c.exp !== 'number' || c.exp < t0 - 65) return 'exp';
        if (typeof c.iat !== 'number' || c.iat > t0 + 65 || c.iat < t0 - TTL_SECONDS - 65) return 'iat';
        if (c.nbf !== undefined && (typeof c.nbf !== 'number' || c.nbf > t0 + 65)) return 'nbf';
        if (c.iss !== ISSUER) return 'iss';
        if (!(c.aud === AUDIENCE || (Array.isArray(c.aud) && c.aud.includes(AUDIENCE)))) return 'aud';
        if (typeof c.sub !== 'string') return 'sub type';
        if (typeof c[SESSION_CLAIM] !== 'string') return 'sid type';
        if (c[FINGERPRINT_CLAIM] !== fgp) return 'fgp';
        return null;
      }

      await fc.assert(
        fc.asyncProperty(
          overrides(HEADER_FIELDS, headerExtra),
          overrides(PAYLOAD_FIELDS, payloadExtra),
          encodings,
          // Mostly structured claims; sometimes a payload that is not a JSON object at all.
          fc.oneof(
            { weight: 7, arbitrary: fc.constant(null) },
            {
              weight: 1,
              arbitrary: fc.oneof(
                anyText(60),
                fc.jsonValue().map((v) => JSON.stringify(v)),
              ),
            },
          ),
          async (headerEdits, payloadEdits, encode, rawPayload) => {
            const headerJson = encode({ ...header, ...headerEdits });
            const payloadJson = rawPayload ?? encode({ ...payload, ...payloadEdits });
            const token = signCompactRaw(t.env.JWT_PRIVATE_KEYS!, headerJson, payloadJson);
            const r = await postGraphQL(ME, [
              ['cookie', attacker.jar.header()],
              ['authorization', `Bearer ${token}`],
            ]);
            const label = `header ${headerJson} payload ${payloadJson.slice(0, 400)}`;
            const verdict = judgeRaw(r, { label });
            const claims = parseOrUndefined(payloadJson);
            const reason = mustRefuse(parseOrUndefined(headerJson), claims);
            if (reason) {
              expect(verdict.status, `accepted although ${reason} is invalid: ${label} → ${r.body}`).toBe(401);
              return;
            }
            if (verdict.status === 401) return;
            expect(verdict.status, `${label} → ${r.body}`).toBe(200);
            // Accepted: it may only ever authenticate the user its `sub` names.
            const me = verdict.body!.data!.me as { id: string } | null;
            const sub = (claims as Record<string, unknown>).sub as string;
            if (me) expect(me.id, `authenticated somebody other than sub: ${label}`).toBe(sub);
            else expect(knownUsers.has(sub), `anonymous answer for an existing user's token: ${label}`).toBe(false);
          },
        ),
        params,
      );
      await expectServerUpAndVictimSignedIn();
    },
    PROPERTY_TIMEOUT,
  );
});

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Cookies
// ---------------------------------------------------------------------------------------------

/** Does this Cookie header hand over `secret` in any form a cookie parser could recover? */
function reveals(cookieHeader: string, secret: string): boolean {
  const decoded = cookieHeader.replace(/(%[0-9A-Fa-f]{2})+/g, (m) => {
    try {
      return decodeURIComponent(m);
    } catch {
      return m;
    }
  });
  return cookieHeader.includes(secret) || decoded.includes(secret);
}

describe('T53 fuzzed auth cookies', () => {
  it(
    'T53 fuzzed __Host-refresh / __Host-fingerprint cookies never rotate or revoke the victim session, never 5xx',
    async () => {
      const v = { refresh: victim.jar.get(REFRESH_COOKIE)!, fingerprint: victim.jar.get(FINGERPRINT_COOKIE)! };
      const m = { refresh: mallory.jar.get(REFRESH_COOKIE)!, fingerprint: mallory.jar.get(FINGERPRINT_COOKIE)! };
      const name = fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(REFRESH_COOKIE, FINGERPRINT_COOKIE) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            '__host-refresh',
            '__Host-Refresh',
            ' __Host-refresh',
            '__Host-refresh ',
            '__Secure-refresh',
            'refresh',
            '__Host-fingerprint\u0000',
            '__Host-',
            '',
          ),
        },
        { weight: 1, arbitrary: anyText(20) },
      );
      const value = fc.oneof(
        mutated(v.refresh),
        mutated(v.fingerprint),
        fc.constantFrom(v.refresh, v.fingerprint, m.refresh, m.fingerprint),
        fc.constantFrom(v.refresh, v.fingerprint).map((s) => [...s].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')),
        fc.constantFrom(v.refresh, v.fingerprint).map((s) => `"${s}"`),
        b64urlText(43, 43),
        anyText(100),
        huge(fc.constantFrom('x', 'é', ';', '\u{1d54f}')),
      );
      const pair = fc.tuple(name, fc.constantFrom('=', '==', ' = ', ''), value).map(([n, eq, val]) => `${n}${eq}${val}`);
      const chaotic = fc
        .tuple(fc.array(pair, { maxLength: 6 }), fc.constantFrom('; ', ';', ', ', ';;', ' ; '))
        .map(([pairs, sep]) => pairs.join(sep));
      // Half the cases are a well-formed pair of cookies, so that checks behind the format check
      // (does this refresh token belong with this fingerprint?) are reached: real secrets of either
      // session, slightly mutated ones, and fresh well-formed ones, in either order.
      const wellFormed = fc
        .tuple(
          fc.oneof({ weight: 2, arbitrary: fc.constant(v.refresh) }, fc.constant(m.refresh), mutated(v.refresh), b64urlText(43, 43)),
          fc.oneof(
            { weight: 2, arbitrary: fc.constant(v.fingerprint) },
            fc.constant(m.fingerprint),
            mutated(v.fingerprint),
            b64urlText(43, 43),
          ),
          fc.boolean(),
          fc.array(pair, { maxLength: 2 }),
        )
        .map(([refreshValue, fingerprintValue, swap, noise]) => {
          const cookies = [`${REFRESH_COOKIE}=${refreshValue}`, `${FINGERPRINT_COOKIE}=${fingerprintValue}`];
          return [...(swap ? cookies.reverse() : cookies), ...noise].join('; ');
        });
      const cookieLine = fc.oneof(wellFormed, chaotic);
      const operation = fc.constantFrom('refresh', 'signOut', 'me with the stolen access token');

      await fc.assert(
        fc.asyncProperty(fc.array(cookieLine, { minLength: 1, maxLength: 2 }), operation, async (lines, op) => {
          await skipIfVictimAlreadyDamaged();
          const all = lines.join('\n');
          // Threat model: the attacker holds at most one of the victim's two secrets (and, for the
          // stolen-token case, the access token but not the fingerprint).
          if (op === 'me with the stolen access token') fc.pre(!reveals(all, v.fingerprint));
          else fc.pre(!(reveals(all, v.refresh) && reveals(all, v.fingerprint)));

          const headers: RawHeader[] = lines.map((l): RawHeader => ['cookie', l]);
          if (op === 'me with the stolen access token') headers.push(['authorization', `Bearer ${victim.token}`]);
          const query = op === 'refresh' ? REFRESH_ACCESS_TOKEN : op === 'signOut' ? SIGN_OUT : ME;
          const r = await postGraphQL(query, headers);
          const label = `${op} with cookie ${JSON.stringify(lines.map((l) => (l.length > 300 ? `${l.slice(0, 300)}…(${l.length})` : l)))}`;
          const verdict = judgeRaw(r, { label, parserMayRefuse: parserMayRefuse(headers) });
          if (verdict.body) {
            if (op === 'refresh' && verdict.status === 200) {
              // Only Mallory's own real pair may refresh — and then it is Mallory's session.
              const user = (verdict.body.data!.refreshAccessToken as { user: { id: string } }).user;
              expect(user.id, `refresh granted to the wrong user: ${label}`).toBe(mallory.user.id);
            } else if (op === 'refresh') {
              expect(['UNAUTHENTICATED', 'RATE_LIMITED'], `${label} → ${r.body}`).toContain(verdict.code);
            } else if (op === 'signOut') {
              expect(verdict.status === 200 || verdict.code === 'RATE_LIMITED', `${label} → ${r.body}`).toBe(true);
            } else {
              expect(verdict.status, `stolen token accepted without the fingerprint: ${label} → ${r.body}`).toBe(401);
              expect(verdict.code).toBe('UNAUTHENTICATED');
            }
          }
          await expectVictimSessionUntouched(label);
        }),
        params,
      );
      await expectServerUpAndVictimSignedIn();
    },
    PROPERTY_TIMEOUT,
  );

  it('T53 after the cookie fuzz, the victim still refreshes and gets a rotated refresh cookie', async () => {
    await expectVictimSessionUntouched('the cookie fuzz');
    const before = victim.jar.get(REFRESH_COOKIE);
    const r = await refresh(t.url, victim.jar);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.data?.refreshAccessToken.user.id).toBe(victim.user.id);
    expect(victim.jar.get(REFRESH_COOKIE)).not.toBe(before);
    victim.token = r.body.data!.refreshAccessToken.accessToken;
    victimBaseline = (await victimRefreshTokens()).tokens;
    await expectServerUpAndVictimSignedIn();
  });
});

// ---------------------------------------------------------------------------------------------
// signIn / signUp variables
// ---------------------------------------------------------------------------------------------

/** `{ email: { email: … 'x@example.test' } }` (or arrays) `depth` levels deep. */
/**
 * `{ "email": { "email": … "x@example.test" } }` (or arrays) `depth` levels deep, as JSON text:
 * neither JSON.stringify nor fast-check's reporter survive values thousands of levels deep.
 */
class Nested {
  constructor(
    readonly depth: number,
    readonly asArray: boolean,
  ) {}
  json(): string {
    const [open, close] = this.asArray ? ['[', ']'] : ['{"email":', '}'];
    return `{"email":${open.repeat(this.depth)}"x@example.test"${close.repeat(this.depth)},"password":"${PASSWORD}"}`;
  }
  toString() {
    return `Nested(${this.depth}, ${this.asArray ? 'arrays' : 'objects'})`;
  }
}

describe('T53 fuzzed GraphQL variables, documents and parameters', () => {
  it(
    'T53 arbitrary variables (any JSON type, huge, unicode, nested) get 400/413/429 or a real session, never 5xx',
    async ({ annotate }) => {
      const json = fc.jsonValue({ maxDepth: 4 });
      // Plausible addresses (most reach the database and argon2), RFC-valid odd ones, and worse.
      const plausibleEmail = fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,30}$/).map((local) => `${local}@example.test`);
      const email = fc.oneof(
        { weight: 3, arbitrary: plausibleEmail as fc.Arbitrary<unknown> },
        fc.emailAddress(),
        fc.emailAddress().chain((e) => mutated(e)),
        fc.constantFrom(
          victim.email,
          victim.email.toUpperCase(),
          ` ${victim.email} `,
          `${victim.email}\u0000`,
          `\u0000${victim.email}`,
          'a@b',
          '@',
          '',
          'ü@exämple.test',
          'a@example.test\u202e',
        ),
        anyText(300),
        huge(fc.constantFrom('a', 'é', '\u0000', '\ud800')).map((s) => `${s}@example.test`),
        json,
      );
      const password = fc.oneof(
        { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...NASTY), minLength: 12, maxLength: 64 }) as fc.Arbitrary<unknown> },
        fc.string({ unit: 'grapheme', minLength: 12, maxLength: 64 }),
        fc.constantFrom(PASSWORD, '', ' ', '\u0000'.repeat(16), '\ud800'.repeat(16)),
        anyText(300),
        huge(fc.constantFrom('a', '\u{1d54f}', '\u0000')),
        json,
      );
      const credentials = fc
        .tuple(
          fc.oneof({ weight: 3, arbitrary: fc.record({ email, password }) }, fc.record({ email, password }, { requiredKeys: [] })),
          fc.dictionary(fc.string({ maxLength: 10 }), json, { maxKeys: 3 }),
        )
        .map(([c, extra]) => ({ ...extra, ...c }));
      // Built inside the property (see `materialize`): fast-check's reporter would overflow its
      // stack printing a value thousands of levels deep.
      const nested = fc
        .record({ depth: fc.integer({ min: 10, max: 12_000 }), asArray: fc.boolean() })
        .map((n) => new Nested(n.depth, n.asArray));
      const pollution = fc.constantFrom(
        JSON.parse('{"__proto__":{"email":"x@example.test","password":"correct horse battery staple"}}') as unknown,
        JSON.parse('{"email":{"__proto__":{"toString":"x"}},"password":{"constructor":{"prototype":{"admin":true}}}}') as unknown,
      );
      const variables = fc.oneof(
        { weight: 8, arbitrary: credentials as fc.Arbitrary<unknown> },
        { weight: 1, arbitrary: json as fc.Arbitrary<unknown> },
        { weight: 1, arbitrary: nested as fc.Arbitrary<unknown> },
        { weight: 1, arbitrary: pollution },
      );
      let reachedResolvers = 0;
      let rateLimited = 0;

      await fc.assert(
        fc.asyncProperty(fc.constantFrom(SIGN_IN, SIGN_UP), variables, fc.ipV4(), async (query, generated, address) => {
          const variablesJson = generated instanceof Nested ? generated.json() : JSON.stringify(generated);
          const body = `{"query":${JSON.stringify(query)},"variables":${variablesJson}}`;
          const bodyBytes = Buffer.byteLength(body);
          const r = await postGraphQL(query, [['x-forwarded-for', address]], body);
          const label = `${query.includes('signUp') ? 'signUp' : 'signIn'} variables ${variablesJson.slice(0, 400)} (${bodyBytes} bytes)`;
          const verdict = judgeRaw(r, { label, bodyBytes });
          const setCookies = r.headers.get('set-cookie') ?? [];
          if (verdict.code === 'RATE_LIMITED') rateLimited++;
          else reachedResolvers++;
          if (verdict.status === 200) {
            const payload = (verdict.body!.data!.signIn ?? verdict.body!.data!.signUp) as { accessToken: string };
            expect(typeof payload.accessToken).toBe('string');
            expect(setCookies.map((c) => c.split('=')[0]).sort(), label).toEqual([FINGERPRINT_COOKIE, REFRESH_COOKIE].sort());
          } else {
            expect(setCookies, `cookies set on a failed ${label}`).toEqual([]);
          }
        }),
        params,
      );
      // Not an assertion on the limiter: a record of how much of the fuzz got past it.
      await annotate(`${reachedResolvers} requests reached validation, ${rateLimited} were rate limited`);
      await expectServerUpAndVictimSignedIn();
      await expectVictimSessionUntouched('the variables fuzz');
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'T53 mutated signIn/signUp documents and odd operationName/extensions over POST get contract codes, never 5xx',
    async () => {
      const document = fc.oneof(
        fc.constantFrom(SIGN_IN, SIGN_UP).chain((d) => mutated(d)),
        fc
          .constantFrom(SIGN_IN, SIGN_UP)
          .chain((d) => fc.array(editArb, { minLength: 4, maxLength: 20 }).map((edits) => edits.reduce(applyEdit, d))),
        anyText(200),
        fc.jsonValue({ maxDepth: 2 }),
      );
      const body = fc.record(
        {
          query: document,
          variables: fc.constant({ email: 'nobody@example.test', password: PASSWORD }),
          operationName: fc.oneof(fc.constantFrom('SignIn', 'SignUp', ''), anyText(30), fc.jsonValue({ maxDepth: 1 })),
          extensions: fc.jsonValue({ maxDepth: 2 }),
        },
        { requiredKeys: ['query', 'variables'] },
      );
      await fc.assert(
        fc.asyncProperty(body, fc.ipV4(), async (payload, address) => {
          const text = JSON.stringify(payload);
          const r = await postGraphQL('', [['x-forwarded-for', address]], text);
          judgeRaw(r, { label: `POST ${text.slice(0, 400)}`, bodyBytes: Buffer.byteLength(text) });
        }),
        params,
      );
      await expectServerUpAndVictimSignedIn();
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'T53 mutations over GET never execute, whatever the variables and cookies (T25)',
    async () => {
      const countUsers = () => t.api.prisma.user.count();
      // Variables that WOULD succeed over POST (a fresh valid account), and arbitrary JSON objects.
      const vars = fc.oneof(
        fc.emailAddress().map((email) => ({ email: `get-${email.replace(/[^a-z0-9@.-]/gi, '')}`, password: PASSWORD })),
        fc.dictionary(fc.constantFrom('email', 'password', 'x'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 3 }),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(SIGN_UP, SIGN_IN, REFRESH_ACCESS_TOKEN, SIGN_OUT),
          vars,
          fc.boolean(),
          fc.boolean(),
          async (query, variables, csrfHeader, withVictimCookies) => {
            await skipIfVictimAlreadyDamaged();
            const users = await countUsers();
            const headers: RawHeader[] = [];
            if (csrfHeader) headers.push([CSRF_HEADER, '1']);
            if (withVictimCookies) headers.push(['cookie', victim.jar.header()]);
            const path = `/graphql?${new URLSearchParams({ query, variables: JSON.stringify(variables) }).toString()}`;
            const r = await rawRequest(t.url, { method: 'GET', path, headers });
            const label = `GET ${decodeURIComponent(path).slice(0, 400)}`;
            const verdict = judgeRaw(r, { label, get: true });
            expect(
              verdict.code === 'BAD_USER_INPUT' || verdict.code === 'RATE_LIMITED',
              `mutation over GET not refused: ${label} → ${r.body}`,
            ).toBe(true);
            expect(r.headers.get('set-cookie') ?? [], label).toEqual([]);
            expect(await countUsers(), `a user was created by ${label}`).toBe(users);
            await expectVictimSessionUntouched(label);
          },
        ),
        { ...params, numRuns: Math.ceil(RUNS / 2) },
      );
      await expectServerUpAndVictimSignedIn();
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'T53 arbitrary GET query-string parameters (query, variables, extensions, operationName) never get a 5xx',
    async () => {
      const text = fc.oneof(
        anyText(200),
        fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      );
      const param = (name: string) =>
        fc.option(
          text.map((v): [string, string] => [name, v]),
          { nil: undefined },
        );
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.constantFrom(ME, SIGN_IN, SIGN_OUT, '{ __typename }'), anyText(100)),
          param('variables'),
          param('extensions'),
          param('operationName'),
          async (query, ...rest) => {
            await skipIfVictimAlreadyDamaged();
            const search = new URLSearchParams([['query', query], ...rest.filter((p): p is [string, string] => p !== undefined)]);
            const path = `/graphql?${search.toString()}`;
            const r = await rawRequest(t.url, { method: 'GET', path, headers: [['cookie', victim.jar.header()]] });
            judgeRaw(r, { label: `GET /graphql?${JSON.stringify(Object.fromEntries(search))}`, get: true });
            await expectVictimSessionUntouched(path);
          },
        ),
        { ...params, numRuns: Math.ceil(RUNS / 2) },
      );
      await expectServerUpAndVictimSignedIn();
    },
    PROPERTY_TIMEOUT,
  );
});
