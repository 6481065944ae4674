// GraphQL-specific abuse and automated attacks (OWASP GraphQL CS; OWASP Authentication CS,
// "Automated attacks"; THREATS T35–T40, T42, T43).
import { CHANGE_PASSWORD, CSRF_HEADER, SIGN_IN, SIGN_UP } from '@app/shared';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePrivateJwks } from '../../src/auth/keys.js';
import { signIn, signUp } from '../support/flows.js';
import { errorCode, graphql } from '../support/http-client.js';
import { PASSWORD, sleep, startTestApi, uniqueEmail, type TestApi } from '../support/test-api.js';

/** The API trusts X-Forwarded-For from loopback (the web proxy), so a test can be many clients. */
const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });

describe('automated sign-in attacks', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ RATE_LIMIT_WINDOW_SECONDS: '5', RATE_LIMIT_SIGN_IN_PER_ACCOUNT: '5', RATE_LIMIT_AUTH_PER_ADDRESS: '20' });
  });
  afterAll(() => t?.close());

  it('T35 1,000 aliased signIn in one request are refused; every alias that can run counts as one attempt', async () => {
    const victim = await signUp(t.url);
    // Compact, so the document stays under the body limit. Armor's alias limit refuses it at
    // validation (400), or the budget does (429): either way no resolver runs.
    const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}:signIn(email:$e,password:$p){__typename}`).join(' ');
    const r = await graphql(
      t.url,
      `mutation($e:String!,$p:String!){${aliases(1000)}}`,
      { e: victim.email, p: 'guess' },
      from('203.0.113.35'),
    );
    expect([400, 429]).toContain(r.status);
    expect(r.body.data ?? null).toBeNull();
    expect(await t.api.prisma.session.count({ where: { userId: victim.user.id } })).toBe(1);
    // Within armor's limits, each alias is one attempt at the account (budget 5): 4 run, 2 more are refused.
    const four = await graphql(
      t.url,
      `mutation($e:String!,$p:String!){${aliases(4)}}`,
      { e: victim.email, p: 'guess' },
      from('203.0.113.36'),
    );
    expect(four.status).toBe(400);
    const two = await graphql(
      t.url,
      `mutation($e:String!,$p:String!){${aliases(2)}}`,
      { e: victim.email, p: PASSWORD },
      from('203.0.113.37'),
    );
    expect(two.status).toBe(429);
    expect(errorCode(two)).toBe('RATE_LIMITED');
    expect(two.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await t.api.prisma.session.count({ where: { userId: victim.user.id } })).toBe(1);
  });

  it('T36 array-batched sign-in requests are refused as a whole; nothing runs', async () => {
    const victim = await signUp(t.url);
    const batch = Array.from({ length: 50 }, (_, i) => ({ query: SIGN_IN, variables: { email: victim.email, password: `guess-${i}` } }));
    const r = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1', 'x-forwarded-for': '203.0.113.36' },
      body: JSON.stringify(batch),
    });
    expect(r.status).toBe(400);
    const body = (await r.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
    expect(await t.api.prisma.session.count({ where: { userId: victim.user.id } })).toBe(1);
  });

  it('T42 brute force on one account is rate limited, and the owner signs in after the window', async () => {
    const victim = await signUp(t.url);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await graphql(t.url, SIGN_IN, { email: victim.email, password: `guess-${i}` }, from(`198.51.100.${i}`));
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 4)).toEqual([400, 400, 400, 400]);
    expect(statuses.at(-1)).toBe(429);
    // While limited, even the right password is refused — for one window only.
    expect((await graphql(t.url, SIGN_IN, { email: victim.email, password: PASSWORD }, from('192.0.2.1'))).status).toBe(429);
    await sleep(5_200);
    await signIn(t.url, victim.email, PASSWORD, from('192.0.2.1'));
  });

  it('T43 credential stuffing over many accounts from one client is rate limited; other clients are not', async () => {
    // Its own API with a long window: on a slow machine ten argon2 verifications can outlast a short window.
    const stuffed = await startTestApi({ RATE_LIMIT_AUTH_PER_ADDRESS: '10' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        statuses.push(
          (await graphql(stuffed.url, SIGN_IN, { email: uniqueEmail('stuffed'), password: 'Winter2026!' }, from('203.0.113.43'))).status,
        );
      }
      expect(statuses).toEqual([...Array(10).fill(400), 429]);
      const other = await graphql(stuffed.url, SIGN_UP, { email: uniqueEmail(), password: PASSWORD }, from('192.0.2.43'));
      expect(other.status).toBe(200);
    } finally {
      await stuffed.close();
    }
  });

  it('T42 guessing the current password through changePassword is rate limited too', async () => {
    const limited = await startTestApi({ RATE_LIMIT_AUTH_PER_ADDRESS: '3' });
    try {
      const d = await signUp(limited.url, {}); // counts as one attempt of this address
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await graphql(
          limited.url,
          CHANGE_PASSWORD,
          { currentPassword: `guess-${i}`, newPassword: 'whatever long enough' },
          { token: d.token, jar: d.jar },
        );
        statuses.push(r.status);
      }
      expect(statuses).toEqual([400, 400, 429]);
    } finally {
      await limited.close();
    }
  });

  it('X-Forwarded-For from an untrusted peer is ignored (no picking your own bucket)', async () => {
    const limited = await startTestApi({ TRUSTED_PROXIES: '', RATE_LIMIT_AUTH_PER_ADDRESS: '3' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await graphql(limited.url, SIGN_IN, { email: uniqueEmail(), password: PASSWORD }, from(`10.0.0.${i}`));
        statuses.push(r.status);
      }
      expect(statuses).toEqual([400, 400, 400, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('query limits and schema privacy', () => {
  let t: TestApi;
  beforeAll(async () => {
    // Production mode: requires configured keys, hides introspection and suggestions.
    t = await startTestApi({ NODE_ENV: 'production', JWT_PRIVATE_KEYS: await generatePrivateJwks('prod-key') });
  });
  afterAll(() => t?.close());

  it('T37 deeply nested, alias-heavy or directive-heavy queries are rejected before execution', async () => {
    const d = await signUp(t.url);
    const deep = `{ ${'me { id '.repeat(1)}} ${'__typename '.repeat(2)}}`;
    expect((await graphql(t.url, deep, {}, { token: d.token, jar: d.jar })).status).toBe(200); // control
    const nested = `{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } }`;
    const aliases = `{ ${Array.from({ length: 50 }, (_, i) => `n${i}: notes { id }`).join(' ')} }`;
    const directives = `{ me ${'@include(if: true) '.repeat(50)} { id } }`;
    for (const query of [nested, aliases, directives]) {
      const r = await graphql(t.url, query, {}, { token: d.token, jar: d.jar });
      expect(r.status, query.slice(0, 30)).toBe(400);
      expect(errorCode(r)).toBe('BAD_USER_INPUT');
      expect(r.body.data ?? null).toBeNull();
    }
  });

  it('T38 introspection and field suggestions are disabled in production', async () => {
    // Every spelling of an introspection read, over POST and GET, twice each: the second answer
    // comes from the validation cache (plugins/validation-cache.ts) and must be refused as well.
    const spellings = [
      '{ __schema { queryType { name } } }',
      '{ __type(name: "Query") { name fields { name } } }',
      '{ s: __schema { types { name } } }',
      'query Q { __typename ...F } fragment F on Query { __schema { queryType { name } } }',
      '{ ... on Query { __type(name: "User") { name } } }',
      '{ me { id } __schema { queryType { name } } }',
      '{ __schema @skip(if: true) { queryType { name } } }',
      // AuthPayload.query is the Query type again: graphql-js serves introspection there too.
      'mutation { signIn(email: "a@b.c", password: "x") { query { __schema { queryType { name } } } } }',
      'mutation { s: signIn(email: "a@b.c", password: "x") { ...P } } fragment P on AuthPayload { query { __type(name: "User") { name } } }',
    ];
    for (const query of spellings) {
      for (let i = 0; i < 2; i++) {
        const r = await graphql(t.url, query);
        expect(r.status, query).toBe(400);
        expect(errorCode(r), query).toBe('BAD_USER_INPUT');
        expect(r.body.data ?? null, query).toBeNull();
        expect(JSON.stringify(r.body), query).not.toMatch(/"(Query|User)"/);
        const get = await fetch(`${t.url}/graphql?query=${encodeURIComponent(query)}`);
        // A mutation over GET is refused before validation (405, T25).
        expect(get.status, `GET ${query}`).toBe(query.startsWith('mutation') ? 405 : 400);
        expect(await get.text(), `GET ${query}`).not.toMatch(/"(Query|User)"/);
      }
    }
    // __typename is not introspection of the schema: it stays.
    expect((await graphql(t.url, '{ __typename }')).body.data).toEqual({ __typename: 'Query' });
    const typo = await graphql(t.url, '{ note { id } }');
    expect(JSON.stringify(typo.body)).not.toMatch(/Did you mean/);
  });

  it('T39 oversized bodies and huge variables get 413, never 5xx', async () => {
    const huge = 'x'.repeat(200_000);
    const r = await graphql(t.url, SIGN_UP, { email: `${huge}@example.test`, password: huge });
    expect(r.status).toBe(413);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    const chunked = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1' },
      body: new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode('{"query":"{ me { id } }"}'));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(411);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });

  it('T39 a declared length over the limit is refused on any method, and a body never outgrows its Content-Length', async () => {
    // Yoga's own body limit is off (server.ts): ours covers what it covered, every method included.
    const get = await rawHttp(
      t.api.port,
      `GET /graphql?query=%7B__typename%7D HTTP/1.1\r\nHost: localhost\r\nContent-Length: 30000000\r\nConnection: close\r\n\r\n`,
    );
    expect(get).toMatch(/^HTTP\/1\.1 413 /);
    // Bytes past the declared length are not this request's body: Node parses them as the next
    // request (here garbage: 400). So a declared length within the limit bounds what any parser reads.
    const body = JSON.stringify({ query: '{ __typename }' });
    const padded = await rawHttp(
      t.api.port,
      `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n${CSRF_HEADER}: 1\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      `${'x'.repeat(200_000)}`,
    );
    expect(padded).toMatch(/^HTTP\/1\.1 200 [\s\S]*"__typename":"Query"[\s\S]*HTTP\/1\.1 400 /);
    // Both a length and chunked encoding (request smuggling): Node refuses it before the API sees it.
    const smuggled = await rawHttp(
      t.api.port,
      `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n${CSRF_HEADER}: 1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    );
    expect(smuggled).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('T40 errors carry no stack traces or internals', async () => {
    const r = await graphql(t.url, 'mutation { deleteNote(id: "x") }');
    expect(JSON.stringify(r.body)).not.toMatch(/stack|\bat .*\.ts|prisma|SELECT|node_modules/i);
  });
});

/**
 * Sends raw bytes, part after part (the next once the server answered the previous one), and
 * returns everything the server answered until it closed the connection.
 */
function rawHttp(port: number, ...parts: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const pending = [...parts];
    const socket = connect(port, '127.0.0.1', () => sendNext());
    const sendNext = () => {
      const part = pending.shift();
      if (part === undefined) return;
      if (pending.length === 0) socket.end(part);
      else socket.write(part);
    };
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answer += chunk;
      sendNext();
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}
