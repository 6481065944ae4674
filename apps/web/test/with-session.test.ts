// The SSR helper, run inside a real HTTP server against a real upstream GraphQL server.
import { FINGERPRINT_COOKIE, REFRESH_COOKIE } from '@app/shared';
import type { GetServerSidePropsContext } from 'next';
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { NOTES } from '../src/lib/graphql';
import type { PageLoader } from '../src/lib/ssr/with-session';
import { GraphqlTestServer } from './support/graphql-test-server';

type WithSession = (typeof import('../src/lib/ssr/with-session'))['withSession'];

/**
 * with-session as a process started with `env` loads it: the configuration (../src/lib/web-config.ts)
 * is read once, when the module is first loaded, so each environment gets a fresh module graph.
 */
async function loadWithSession(env: Record<string, string>): Promise<WithSession> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  vi.resetModules();
  try {
    return (await import('../src/lib/ssr/with-session')).withSession;
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

let upstream: GraphqlTestServer;
let web: Server;
let origin: string;
/** What the test web server runs: replaced by tests that start "another process". */
let withSession: WithSession;
let loader: PageLoader<Record<string, never>> = async ({ apollo }) => {
  await apollo.query({ query: NOTES });
};

beforeAll(async () => {
  upstream = await new GraphqlTestServer().start();
  withSession = await loadWithSession({ API_URL: new URL(upstream.url).origin });
  // Each request runs the page's getServerSideProps the way Next.js does; the result comes back as JSON.
  web = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://web.invalid');
    const context = {
      req,
      res,
      resolvedUrl: `${url.pathname}${url.search}`,
      query: Object.fromEntries(url.searchParams),
    } as unknown as GetServerSidePropsContext;
    // `/with-query…`: a page that declares its query (read with the refresh); any other path: the loader.
    const page = url.pathname.startsWith('/with-query') ? withSession({ query: NOTES }) : withSession((ctx) => loader(ctx));
    void page(context).then((result) => {
      if (res.writableEnded) return; // the helper answered itself (re-navigation page)
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(result));
    });
  });
  web.listen(0, '127.0.0.1');
  await once(web, 'listening');
  origin = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
});

afterAll(async () => {
  web.closeAllConnections();
  await new Promise((r) => web.close(r));
  await upstream.stop();
});

const signedInCookies = `${REFRESH_COOKIE}=r0; ${FINGERPRINT_COOKIE}=f0; theme=dark`;
/** fetch() sets its own Sec-Fetch-* headers; a browser navigation is replayed with node:http. */
function navigate(path: string, headers: Record<string, string | string[]>) {
  return new Promise<{ status: number; cacheControl: string | undefined; setCookie: string[]; body: string }>((resolve, reject) => {
    request(`${origin}${path}`, { headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          cacheControl: res.headers['cache-control'],
          setCookie: res.headers['set-cookie'] ?? [],
          body,
        }),
      );
    })
      .on('error', reject)
      .end();
  });
}

const crossSite = {
  'sec-fetch-site': 'cross-site',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-dest': 'document',
};

describe('withSession', () => {
  it('no cookies → /signin?next=…, marked private, no-store', async () => {
    const response = await fetch(`${origin}/notes?x=1`);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(await response.json()).toEqual({
      redirect: { destination: '/signin?next=%2Fnotes%3Fx%3D1', permanent: false },
    });
  });

  it('no cookies, arriving from another site → one same-site re-navigation', async () => {
    const response = await navigate('/notes?x=1', crossSite);
    expect(response.status).toBe(200);
    expect(response.cacheControl).toBe('private, no-store');
    expect(response.body).toContain('<meta http-equiv="refresh" content="0;url=/notes?x=1&amp;reentry=1">');
  });

  it('…and after that re-navigation, still no cookies → sign-in, without the marker in next', async () => {
    const response = await navigate('/notes?x=1&reentry=1', crossSite);
    expect(JSON.parse(response.body)).toEqual({
      redirect: { destination: '/signin?next=%2Fnotes%3Fx%3D1', permanent: false },
    });
  });

  it('cookies → refresh, relay the rotated Set-Cookie, fetch the data with the new token', async () => {
    const before = upstream.requests.length;
    const response = await fetch(`${origin}/notes`, {
      headers: { cookie: signedInCookies, 'user-agent': 'Reader/1.0' },
    });
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.getSetCookie()).toEqual([
      expect.stringMatching(new RegExp(`^${REFRESH_COOKIE}=r\\d+; Path=/; HttpOnly; Secure; SameSite=Strict$`)),
    ]);
    const { props } = (await response.json()) as {
      props: { auth: { accessToken: string; rotated: boolean }; initialApolloState: Record<string, unknown> };
    };
    expect(props.auth.rotated).toBe(true);
    expect(props.initialApolloState['ROOT_QUERY']).toMatchObject({ notes: [], me: { __ref: 'User:u1' } });

    const [refresh, notes] = upstream.requests.slice(before);
    // Only the auth cookies go to the API, with the CSRF header and the person's user agent.
    expect(refresh?.operationName).toBe('RefreshAccessToken');
    expect(refresh?.cookie).toBe(`${REFRESH_COOKIE}=r0; ${FINGERPRINT_COOKIE}=f0`);
    expect(refresh?.csrf).toBe('1');
    // The data request carries the new token AND the cookies as the browser will hold them.
    expect(notes?.operationName).toBe('Notes');
    expect(notes?.authorization).toBe(`Bearer ${props.auth.accessToken}`);
    expect(notes?.cookie).toMatch(new RegExp(`^${REFRESH_COOKIE}=r\\d+; ${FINGERPRINT_COOKIE}=f0$`));
    expect(notes?.cookie).not.toContain('r0');
  });

  it("a page that declares its query → ONE API request: the refresh carries the page's query, the data lands in the Apollo state", async () => {
    const before = upstream.requests.length;
    const response = await fetch(`${origin}/with-query`, { headers: { cookie: signedInCookies } });
    expect(response.headers.getSetCookie()).toEqual([expect.stringMatching(new RegExp(`^${REFRESH_COOKIE}=r\\d+;`))]);
    const { props } = (await response.json()) as {
      props: { auth: { accessToken: string }; initialApolloState: Record<string, Record<string, unknown>> };
    };
    expect(props.auth.accessToken).toMatch(/^ey/);
    // Normalised as if the page had queried it itself: a reference in ROOT_QUERY, the note under its id.
    expect(props.initialApolloState['ROOT_QUERY']).toMatchObject({ notes: [{ __ref: 'Note:n1' }], me: { __ref: 'User:u1' } });
    expect(props.initialApolloState['Note:n1']).toMatchObject({ text: 'read with the refresh' });
    const sent = upstream.requests.slice(before);
    expect(sent.map((r) => r.operationName)).toEqual(['RefreshAccessToken']);
    expect(sent[0]!.authorization).toBeUndefined();
  });

  it('refresh refused → sign-in with reason, and the clearing Set-Cookie still reaches the browser', async () => {
    upstream.refreshMode = 'unauthenticated';
    try {
      const response = await fetch(`${origin}/sessions`, { headers: { cookie: signedInCookies } });
      expect(await response.json()).toEqual({
        redirect: { destination: '/signin?next=%2Fsessions&reason=session-ended', permanent: false },
      });
    } finally {
      upstream.refreshMode = 'ok';
    }
  });

  it('API down → an error (500 page), never a sign-out', async () => {
    upstream.refreshMode = 'unavailable';
    const original = loader;
    try {
      const failed = await new Promise<unknown>((resolve) => {
        const context = {
          req: { headers: { cookie: signedInCookies }, method: 'GET', socket: {} },
          res: { setHeader: () => undefined, appendHeader: () => undefined },
          resolvedUrl: '/notes',
          query: {},
        } as unknown as GetServerSidePropsContext;
        withSession()(context).then(resolve, resolve);
      });
      expect(failed).toBeInstanceOf(Error);
    } finally {
      upstream.refreshMode = 'ok';
      loader = original;
    }
  });

  it('session revoked between the refresh and the data request → sign-in', async () => {
    const original = loader;
    loader = async ({ apollo }) => {
      upstream.revokeAll();
      await apollo.query({ query: NOTES });
    };
    try {
      const response = await fetch(`${origin}/notes`, { headers: { cookie: signedInCookies } });
      expect(await response.json()).toEqual({
        redirect: { destination: '/signin?next=%2Fnotes&reason=session-ended', permanent: false },
      });
    } finally {
      loader = original;
    }
  });
});

describe('withSession: who the API is told the person is (THREATS T57)', () => {
  it('T57 the refresh and the data request carry the connecting address, never the X-Forwarded-For the browser sent', async () => {
    const before = upstream.requests.length;
    await navigate('/notes', {
      cookie: signedInCookies,
      'x-forwarded-for': ['203.0.113.66, 198.51.100.1', '192.0.2.7'],
    });
    const [refresh, notes] = upstream.requests.slice(before);
    expect(refresh?.operationName).toBe('RefreshAccessToken');
    expect(refresh?.forwardedFor).toBe('127.0.0.1');
    expect(notes?.operationName).toBe('Notes');
    expect(notes?.forwardedFor).toBe('127.0.0.1');
  });

  it('T57 behind a proxy named in WEB_TRUSTED_PROXIES, the right-most address that proxy added', async () => {
    const faceClients = withSession;
    withSession = await loadWithSession({ API_URL: new URL(upstream.url).origin, WEB_TRUSTED_PROXIES: '127.0.0.1, ::1' });
    try {
      const before = upstream.requests.length;
      await navigate('/notes', { cookie: signedInCookies, 'x-forwarded-for': '203.0.113.66, 198.51.100.1' });
      expect(upstream.requests.slice(before).map((r) => r.forwardedFor)).toEqual(['198.51.100.1', '198.51.100.1']);
    } finally {
      withSession = faceClients;
    }
  });
});

describe('withSession: the deadline ends with the page (issue 12)', () => {
  /** Every abort of the test (the real one still runs), by its reason's name. */
  function watchAborts() {
    const abort = vi.spyOn(AbortController.prototype, 'abort');
    return {
      names: () => abort.mock.calls.map(([reason]) => (reason as Error | undefined)?.name),
      restore: () => abort.mockRestore(),
    };
  }

  it("every kind of answer ends the page's deadline: one AbortError each, and no timeout fires later", async () => {
    const normal = withSession;
    withSession = await loadWithSession({ API_URL: new URL(upstream.url).origin, SSR_API_TIMEOUT_MS: '100' });
    const aborts = watchAborts();
    try {
      // Data with the refresh; data from the loader's own request; a refused refresh (a redirect);
      // an API that fails (a thrown error); no cookies from another site (the re-navigation page).
      expect((await navigate('/with-query', { cookie: signedInCookies })).status).toBe(200);
      expect((await navigate('/notes', { cookie: signedInCookies })).status).toBe(200);
      upstream.refreshMode = 'unauthenticated';
      expect(JSON.parse((await navigate('/notes', { cookie: signedInCookies })).body)).toHaveProperty('redirect');
      upstream.refreshMode = 'unavailable';
      const failed = await withSession()({
        req: { headers: { cookie: signedInCookies }, method: 'GET', socket: {} },
        res: { setHeader: () => undefined, appendHeader: () => undefined },
        resolvedUrl: '/notes',
        query: {},
      } as unknown as GetServerSidePropsContext).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(Error);
      upstream.refreshMode = 'ok';
      expect((await navigate('/notes', crossSite)).status).toBe(200);
      expect(aborts.names()).toEqual(['AbortError', 'AbortError', 'AbortError', 'AbortError', 'AbortError']);
      await new Promise((r) => setTimeout(r, 300)); // three budgets
      expect(aborts.names()).not.toContain('TimeoutError');
    } finally {
      upstream.refreshMode = 'ok';
      aborts.restore();
      withSession = normal;
    }
  });

  it('a call the page left running is stopped when the page is answered, not when the API does', async () => {
    upstream.stallOperation = 'Notes'; // the API never answers this one
    const normal = { withSession, loader };
    withSession = await loadWithSession({ API_URL: new URL(upstream.url).origin, SSR_API_TIMEOUT_MS: '3000' });
    let leftRunning: Promise<unknown> | undefined;
    const notesBefore = upstream.count('Notes');
    loader = async ({ apollo }) => {
      // Not awaited: the page answers without it, once the API has it (and stalls).
      leftRunning = apollo.query({ query: NOTES }).then(
        () => 'answered',
        (error: Error) => error,
      );
      while (upstream.count('Notes') === notesBefore) await new Promise((r) => setTimeout(r, 5));
    };
    try {
      expect((await navigate('/notes', { cookie: signedInCookies })).status).toBe(200);
      const outcome = await Promise.race([leftRunning, new Promise((r) => setTimeout(() => r('still running'), 1000))]);
      expect(outcome).toBeInstanceOf(Error); // stopped long before the 3 s budget
    } finally {
      upstream.stallOperation = undefined;
      ({ withSession, loader } = normal);
    }
  });
});

describe('withSession: an API that does not answer (issue 10, finding 10)', () => {
  it('an API that accepts the connection and never answers → a 504 page, not a hanging request', async () => {
    // A black hole: accepts TCP connections, reads nothing, answers nothing, never closes.
    const held: Socket[] = [];
    const blackHole = createTcpServer((socket) => void held.push(socket)).listen(0, '127.0.0.1');
    await once(blackHole, 'listening');
    const normal = withSession;
    withSession = await loadWithSession({
      API_URL: `http://127.0.0.1:${(blackHole.address() as AddressInfo).port}`,
      SSR_API_TIMEOUT_MS: '300',
    });
    try {
      const response = await navigate('/notes', { cookie: signedInCookies });
      expect(held.length).toBeGreaterThan(0); // the request did reach the black hole
      expect(response.status).toBe(504);
      expect(response.cacheControl).toBe('private, no-store');
      expect(response.body).toContain('The service is not answering');
    } finally {
      withSession = normal;
      for (const socket of held) socket.destroy();
      blackHole.close();
    }
  });

  it("an API that answers the refresh but not the page's data → a 504 page, and the rotated cookie still reaches the browser", async () => {
    upstream.stallOperation = 'Notes';
    const normal = withSession;
    withSession = await loadWithSession({ API_URL: new URL(upstream.url).origin, SSR_API_TIMEOUT_MS: '500' });
    try {
      const response = await navigate('/notes', { cookie: signedInCookies });
      expect(upstream.requests.at(-1)?.operationName).toBe('Notes');
      expect(response.status).toBe(504);
      expect(response.body).toContain('The service is not answering');
      expect(response.setCookie).toEqual([expect.stringMatching(new RegExp(`^${REFRESH_COOKIE}=r\\d+;`))]);
    } finally {
      upstream.stallOperation = undefined;
      withSession = normal;
    }
  });
});
