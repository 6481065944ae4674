// AuthPayload.query: the page server's one round trip (refresh + the page's data). The fields under
// it read as the session the payload has just granted, and that grant reaches nothing else: not the
// root queries of the same request, not the mutations after it (graphql/context.ts, GrantedQuery).
import { ADD_NOTE, REFRESH_ACCESS_TOKEN, SIGN_IN } from '@app/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refresh, signUp } from '../support/flows.js';
import { errorCode, graphql, type GraphQLResponse } from '../support/http-client.js';
import { PASSWORD, startTestApi, type TestApi } from '../support/test-api.js';

const PAGE = `query { me { id email } notes { id text } sessions { id current } }`;
const REFRESH_WITH_PAGE = `mutation { refreshAccessToken { accessToken user { id } query ${PAGE.slice('query '.length)} } }`;

type Page = {
  me: { id: string; email: string } | null;
  notes: { id: string; text: string }[];
  sessions: { id: string; current: boolean }[];
};
type WithPage = { accessToken: string; user: { id: string }; query: Page };

describe('AuthPayload.query', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ RATE_LIMIT_REFRESH_PER_ADDRESS: '100000' });
  });
  afterAll(() => t?.close());

  const addNote = (token: string, jar: Parameters<typeof refresh>[1], text: string) => graphql(t.url, ADD_NOTE, { text }, { token, jar });

  it('T45 a refresh reads the page as the session it granted: its own notes, its own sessions, no one else’s', async () => {
    const reader = await signUp(t.url);
    const other = await signUp(t.url);
    await addNote(reader.token, reader.jar, 'mine');
    await addNote(other.token, other.jar, 'theirs');

    // The browser of the page server's request sends cookies only: no bearer token.
    const r = await graphql<{ refreshAccessToken: WithPage }>(t.url, REFRESH_WITH_PAGE, {}, { jar: reader.jar });
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    const payload = r.body.data!.refreshAccessToken;
    expect(payload.user.id).toBe(reader.user.id);
    expect(payload.query.me).toEqual({ id: reader.user.id, email: reader.user.email });
    expect(payload.query.notes.map((n) => n.text)).toEqual(['mine']);
    expect(payload.query.sessions).toHaveLength(1);
    expect(payload.query.sessions[0]!.current).toBe(true);

    // The same as the new token reads it in a request of its own.
    const direct = await graphql<Page>(t.url, PAGE, {}, { token: payload.accessToken, jar: reader.jar });
    expect(direct.body.data).toEqual(payload.query);
  });

  it('sign-in answers with the query too, read as the new session', async () => {
    const device = await signUp(t.url);
    const signIn = SIGN_IN.replace('...AuthPayloadFields', '...AuthPayloadFields query { sessions { current } me { id } }');
    const r = await graphql<{ signIn: { query: { sessions: { current: boolean }[]; me: { id: string } } } }>(t.url, signIn, {
      email: device.email,
      password: PASSWORD,
    });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.signIn.query.me.id).toBe(device.user.id);
    expect(r.body.data!.signIn.query.sessions.filter((s) => s.current)).toHaveLength(1);
  });

  it('T16 a refused refresh reads nothing: 401, no data, however the page is asked for', async () => {
    const device = await signUp(t.url);
    for (const cookie of ['', `__Host-refresh=${'x'.repeat(43)}; __Host-fingerprint=${'y'.repeat(43)}`]) {
      const r = await graphql(t.url, REFRESH_WITH_PAGE, {}, { cookie });
      expect(r.status).toBe(401);
      expect(errorCode(r)).toBe('UNAUTHENTICATED');
      expect(r.body.data ?? null).toBeNull();
    }
    // A spent token (replayed after the grace window would revoke; within it, still an answer) is
    // tested with refresh itself: here the session is merely intact.
    expect((await refresh(t.url, device.jar)).status).toBe(200);
  });

  it('the grant reaches only its own payload: root queries and later mutations of the same request stay anonymous', async () => {
    const device = await signUp(t.url);
    const fields = (r: GraphQLResponse) =>
      (r.body.errors ?? []).map((e) => [(e as { path?: string[] }).path?.join('.'), e.extensions?.code]);

    // Root `notes` beside the refresh, no bearer: anonymous, whatever the payload granted.
    const query = await graphql(
      t.url,
      `
        query {
          notes {
            id
          }
          me {
            id
          }
        }
      `,
      {},
      { jar: device.jar },
    );
    expect(query.status).toBe(401);

    // A mutation after the refresh in one document: it runs as the request's caller (none).
    const r = await graphql<{ refreshAccessToken: WithPage; addNote: unknown }>(
      t.url,
      `
        mutation {
          refreshAccessToken {
            query {
              me {
                id
              }
            }
          }
          addNote(text: "smuggled") {
            id
          }
        }
      `,
      {},
      { jar: device.jar },
    );
    expect(fields(r)).toEqual([['addNote', 'UNAUTHENTICATED']]);
    const notes = await graphql<Page>(
      t.url,
      `
        query {
          notes {
            text
          }
        }
      `,
      {},
      { token: device.token, jar: device.jar },
    );
    expect(notes.body.data?.notes ?? []).toEqual([]);
  });

  it('the plain refresh document is unchanged (the field is only read when asked for)', async () => {
    const device = await signUp(t.url);
    const r = await graphql<{ refreshAccessToken: Record<string, unknown> }>(t.url, REFRESH_ACCESS_TOKEN, {}, { jar: device.jar });
    expect(Object.keys(r.body.data!.refreshAccessToken).sort()).toEqual(['accessToken', 'accessTokenExpiresAt', 'user']);
  });
});
