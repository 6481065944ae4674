// The SSR helper, run inside a real HTTP server against a real upstream GraphQL server.
import { FINGERPRINT_COOKIE, REFRESH_COOKIE } from '@app/shared';
import type { GetServerSidePropsContext } from 'next';
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTES } from '../src/lib/graphql';
import { withSession, type PageLoader } from '../src/lib/ssr/with-session';
import { GraphqlTestServer } from './support/graphql-test-server';

let upstream: GraphqlTestServer;
let web: Server;
let origin: string;
let loader: PageLoader<Record<string, never>> = async ({ apollo }) => {
  await apollo.query({ query: NOTES });
};

beforeAll(async () => {
  upstream = await new GraphqlTestServer().start();
  process.env['API_URL'] = new URL(upstream.url).origin;
  // Each request runs the page's getServerSideProps the way Next.js does; the result comes back as JSON.
  web = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://web.invalid');
    const context = {
      req,
      res,
      resolvedUrl: `${url.pathname}${url.search}`,
      query: Object.fromEntries(url.searchParams),
    } as unknown as GetServerSidePropsContext;
    void withSession((ctx) => loader(ctx))(context).then((result) => {
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
  delete process.env['API_URL'];
  web.closeAllConnections();
  await new Promise((r) => web.close(r));
  await upstream.stop();
});

const signedInCookies = `${REFRESH_COOKIE}=r0; ${FINGERPRINT_COOKIE}=f0; theme=dark`;
/** fetch() sets its own Sec-Fetch-* headers; a browser navigation is replayed with node:http. */
function navigate(path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; cacheControl: string | undefined; body: string }>((resolve, reject) => {
    request(`${origin}${path}`, { headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, cacheControl: res.headers['cache-control'], body }),
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
