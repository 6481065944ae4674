// The one definition of the refreshAccessToken exchange (request and reading of the answer), shared
// by the browser and the page server. The reading decides sign-outs, so it is tried on every shape
// of answer: only "unauthenticated" may end a session, and only a real token is "ok".
import { CSRF_HEADER, REFRESH_ACCESS_TOKEN } from '@app/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestRefresh, RefreshRefusedError } from '../src/lib/auth/refresh-request';
import { readRefreshResponse, RefreshFailedError, refreshRequestInit, REFRESH_OPERATION_NAME } from '../src/lib/refresh-protocol';
import type { ApiRequestInit } from '../src/lib/ssr/api-fetch';
import { refreshWithCookies } from '../src/lib/ssr/refresh-with-cookies';

const USER = { id: 'u1', email: 'reader@example.com', createdAt: '2026-01-01T00:00:00.000Z' };
const payload = (accessToken: string) => ({ accessToken, accessTokenExpiresAt: 'x', user: USER });
const json = (status: number, body: unknown) =>
  new Response(body === undefined ? 'not json' : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

describe('refreshRequestInit', () => {
  it('is a JSON POST of the contract operation with the CSRF header', () => {
    const init = refreshRequestInit();
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'content-type': 'application/json', [CSRF_HEADER]: '1' });
    expect(JSON.parse(init.body)).toEqual({ operationName: REFRESH_OPERATION_NAME, query: REFRESH_ACCESS_TOKEN });
  });

  it('adds headers but never lets them replace the protocol’s own', () => {
    const init = refreshRequestInit({
      cookie: 'a=b',
      'user-agent': 'ua',
      'content-type': 'text/plain',
      [CSRF_HEADER]: '',
    });
    expect(init.headers).toEqual({
      cookie: 'a=b',
      'user-agent': 'ua',
      'content-type': 'application/json',
      [CSRF_HEADER]: '1',
    });
  });
});

describe('readRefreshResponse', () => {
  it('ok: 200 with an access token and no errors', async () => {
    await expect(readRefreshResponse(json(200, { data: { refreshAccessToken: payload('t') } }))).resolves.toEqual({
      kind: 'ok',
      payload: payload('t'),
    });
  });

  it('unauthenticated: HTTP 401, or UNAUTHENTICATED in a 200 body', async () => {
    const errors = [{ message: 'no', extensions: { code: 'UNAUTHENTICATED' } }];
    await expect(readRefreshResponse(json(401, { errors }))).resolves.toMatchObject({ kind: 'unauthenticated' });
    await expect(readRefreshResponse(json(200, { data: null, errors }))).resolves.toMatchObject({
      kind: 'unauthenticated',
    });
  });

  it('an outage is never a sign-out: 5xx, 429, a proxy’s HTML page → RefreshFailedError', async () => {
    for (const response of [
      json(503, { errors: [{ message: 'down' }] }),
      json(429, { errors: [{ message: 'slow down', extensions: { code: 'RATE_LIMITED' } }] }),
      json(502, undefined),
      json(200, { data: null, errors: [{ message: 'masked', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }),
    ]) {
      await expect(readRefreshResponse(response)).rejects.toBeInstanceOf(RefreshFailedError);
    }
  });

  it('every shape of answer: ok only with a token, unauthenticated only when the API says so', async () => {
    const code = fc.constantFrom('UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'RATE_LIMITED', 'INTERNAL_SERVER_ERROR', undefined);
    const error = code.map((c) => ({ message: 'm', ...(c ? { extensions: { code: c } } : {}) }));
    const body = fc.oneof(
      fc.constant(undefined), // not JSON
      fc.record(
        {
          data: fc.oneof(
            fc.constant(null),
            fc.record({
              refreshAccessToken: fc.oneof(
                fc.constant(null),
                fc.record({ accessToken: fc.oneof(fc.constant(''), fc.string({ minLength: 1 })) }),
              ),
            }),
          ),
          errors: fc.array(error, { maxLength: 2 }),
        },
        { requiredKeys: [] },
      ),
    );
    const status = fc.constantFrom(200, 400, 401, 403, 429, 500, 502, 503);
    await fc.assert(
      fc.asyncProperty(status, body, async (status, body) => {
        const b = body as
          | { data?: { refreshAccessToken?: { accessToken: string } | null } | null; errors?: { extensions?: { code?: string } }[] }
          | undefined;
        const token = b?.data?.refreshAccessToken?.accessToken;
        const saysUnauthenticated = status === 401 || (b?.errors ?? []).some((e) => e.extensions?.code === 'UNAUTHENTICATED');
        const isOk = status === 200 && !!token && (b?.errors ?? []).length === 0;
        const outcome = await readRefreshResponse(json(status, body)).then(
          (answer) => answer.kind,
          (e: unknown) => (e instanceof RefreshFailedError ? 'failed' : 'other'),
        );
        expect(outcome).toBe(isOk ? 'ok' : saysUnauthenticated ? 'unauthenticated' : 'failed');
      }),
      { numRuns: 300 },
    );
  });
});

describe('the browser and the page server send the same request', () => {
  it('same method, body and protocol headers; only the cookies travel differently', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const fetchImpl = (async (url: string, init: RequestInit) => {
      seen.push({ url, init });
      return json(200, { data: { refreshAccessToken: payload('t') } });
    }) as unknown as typeof fetch;

    await expect(requestRefresh('/api/graphql', fetchImpl, undefined)).resolves.toEqual(payload('t'));
    const request = async (url: string | URL, init: ApiRequestInit) => {
      seen.push({ url: String(url), init });
      const body = Buffer.from(JSON.stringify({ data: { refreshAccessToken: payload('t') } }));
      return { status: 200, statusText: 'OK', headers: {}, body };
    };
    await expect(refreshWithCookies('http://api.invalid/graphql', 'r=1', { 'user-agent': 'ua' }, { request })).resolves.toMatchObject({
      kind: 'ok',
      payload: payload('t'),
    });

    const [browser, server] = seen;
    expect(browser!.init.body).toBe(server!.init.body);
    expect(browser!.init.method).toBe(server!.init.method);
    expect(browser!.init.credentials).toBe('same-origin'); // the browser attaches its own cookies
    expect(browser!.init.headers).toEqual(refreshRequestInit().headers);
    expect(server!.init.headers).toEqual(refreshRequestInit({ 'user-agent': 'ua', cookie: 'r=1' }).headers);
  });

  it('the browser turns "unauthenticated" into RefreshRefusedError (statusCode 401), an outage into RefreshFailedError', async () => {
    const answer = (status: number, body: unknown) => (async () => json(status, body)) as unknown as typeof fetch;
    const refused = requestRefresh('/x', answer(401, { errors: [{ message: 'no', extensions: { code: 'UNAUTHENTICATED' } }] }), undefined);
    await expect(refused).rejects.toBeInstanceOf(RefreshRefusedError);
    await expect(refused).rejects.toMatchObject({ statusCode: 401 });
    await expect(requestRefresh('/x', answer(503, {}), undefined)).rejects.toBeInstanceOf(RefreshFailedError);
  });
});

describe("the page server reads the API's raw answer as fetch's Response would", () => {
  const answer =
    (status: number, text: string, setCookie: string[] = []) =>
    async () => ({
      status,
      statusText: '',
      headers: { 'set-cookie': setCookie },
      body: Buffer.from(text, 'utf8'),
    });
  const unauthenticated = JSON.stringify({ errors: [{ message: 'no', extensions: { code: 'UNAUTHENTICATED' } }] });

  it('a leading byte-order mark is not part of the JSON', async () => {
    const ok = `\uFEFF${JSON.stringify({ data: { refreshAccessToken: payload('t') } })}`;
    await expect(refreshWithCookies('http://api.invalid/graphql', 'r=1', {}, { request: answer(200, ok, ['a=1']) })).resolves.toMatchObject(
      {
        kind: 'ok',
        setCookies: ['a=1'],
      },
    );
  });

  it('without a page deadline it makes its own, and ends it when it returns or throws (issue 12)', async () => {
    const signals: AbortSignal[] = [];
    const seen = (reply: ReturnType<typeof answer>) => async (_url: string | URL, init: ApiRequestInit) => {
      signals.push(init.signal!);
      expect(init.signal!.aborted).toBe(false); // alive while the call runs
      return reply();
    };
    const ok = JSON.stringify({ data: { refreshAccessToken: payload('t') } });
    await refreshWithCookies('http://api.invalid/graphql', 'r=1', {}, { request: seen(answer(200, ok)) });
    await expect(refreshWithCookies('http://api.invalid/graphql', 'r=1', {}, { request: seen(answer(503, 'down')) })).rejects.toThrow();
    expect(signals.map((s) => (s.reason as DOMException | undefined)?.name)).toEqual(['AbortError', 'AbortError']);
  });

  it('a status fetch would refuse is an outage, never a sign-out, whatever the body says', async () => {
    for (const status of [0, 199, 600, 999]) {
      await expect(
        refreshWithCookies('http://api.invalid/graphql', 'r=1', {}, { request: answer(status, unauthenticated) }),
      ).rejects.toThrow();
    }
    // The control: the same body with 401 is the answer "unauthenticated", its clearing cookie kept.
    await expect(
      refreshWithCookies('http://api.invalid/graphql', 'r=1', {}, { request: answer(401, unauthenticated, ['r=; Max-Age=0']) }),
    ).resolves.toEqual({ kind: 'unauthenticated', setCookies: ['r=; Max-Age=0'] });
  });
});
