// A session ended by one field of a request acts no further in that request: mutations run one after
// another, and every later field asks the deny-list again (graphql/context.ts, viewerFor). Found by
// the attacker review of issue 12: `mutation { signOut addNote(…) }` used to create the note.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type Device } from '../support/flows.js';
import { graphql, type GraphQLResponse } from '../support/http-client.js';
import { PASSWORD, startTestApi, type TestApi } from '../support/test-api.js';

const ADD = `addNote(text: "after the end") { id }`;
const fieldErrors = (r: GraphQLResponse) =>
  (r.body.errors ?? []).map((e) => [(e as { path?: string[] }).path?.join('.'), e.extensions?.code]);

describe('a session ended earlier in the same request', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(() => t?.close());

  const notesOf = (d: Device) => t.api.prisma.note.count({ where: { userId: d.user.id } });

  // Every mutation that can end the caller's own session, followed in the same document by one that
  // needs a session: the second is refused (401 for that field) and changes nothing.
  const enders: { name: string; document: (d: Device) => string; variables?: (d: Device) => Record<string, unknown> }[] = [
    { name: 'T47 signOut', document: () => `mutation { signOut ${ADD} }` },
    { name: 'T48 signOutEverywhere', document: () => `mutation { signOutEverywhere ${ADD} }` },
    {
      name: 'T49 changePassword',
      document: () => `mutation ($p: String!, $n: String!) { changePassword(currentPassword: $p, newPassword: $n) { accessToken } ${ADD} }`,
      variables: () => ({ p: PASSWORD, n: `${PASSWORD} and more` }),
    },
    {
      name: 'T50 a sign-in replacing it',
      document: () =>
        `mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { accessToken } ${ADD} }`,
      variables: (d) => ({ email: d.email, password: PASSWORD }),
    },
    { name: 'T46 revokeSession of its own id', document: (d) => `mutation { revokeSession(id: "${sessionIdOf(d)}") ${ADD} }` },
  ];
  const sessionIds = new Map<Device, string>();
  const sessionIdOf = (d: Device) => sessionIds.get(d)!;

  for (const ender of enders) {
    it(`${ender.name}, then addNote in the same document: the note is refused`, async () => {
      const device = await signUp(t.url);
      const [session] = await t.api.prisma.session.findMany({ where: { userId: device.user.id } });
      sessionIds.set(device, session!.id);
      const r = await graphql(t.url, ender.document(device), ender.variables?.(device) ?? {}, {
        token: device.token,
        jar: device.jar,
        keepCookies: false,
      });
      expect(fieldErrors(r)).toEqual([['addNote', 'UNAUTHENTICATED']]);
      expect(await notesOf(device)).toBe(0);
      // …while the session it ran on did end.
      const ended = await t.api.prisma.session.findUniqueOrThrow({ where: { id: session!.id } });
      expect(ended.revokedReason).not.toBeNull();
    });
  }

  it('a mutation that ends nothing leaves the session working for the next field', async () => {
    const device = await signUp(t.url);
    const r = await graphql(t.url, `mutation { first: ${ADD} second: ${ADD} }`, {}, { token: device.token, jar: device.jar });
    expect(r.body.errors).toBeUndefined();
    expect(await notesOf(device)).toBe(2);
  });
});
