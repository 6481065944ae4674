// Alternative 10: the floor of THIS DESIGN's sign-in on this machine: ./design-sign-in.ts (the sign-in
// HTTP floor plus what the design adds to every sign-in, written plainly) on node:http. No GraphQL,
// no plugins, no input rules, no audit line, no error codes. Not something to deploy, a measuring
// stick: the least a sign-in of this design costs here, whoever writes it.
import { designSignIn } from './design-sign-in.js';
import { credentials, serveSignIns } from './sign-in-common.js';

const signIn = designSignIn('design-floor');

serveSignIns(async (body, address) => {
  const given = credentials(body);
  if (!given) return { status: 400 };
  const outcome = await signIn(given.email, given.password, address);
  if (outcome.kind === 'busy') return { status: 503 };
  if (outcome.kind === 'refused') return { status: 401 };
  return {
    status: 200,
    cookies: outcome.cookies,
    // The API's answer to its SignIn document (the AuthPayload's fields), as the Yoga floor gives it.
    body: JSON.stringify({
      data: {
        signIn: {
          accessToken: outcome.accessToken,
          accessTokenExpiresAt: outcome.expiresAt.toISOString(),
          user: { __typename: 'User', id: outcome.user.id, email: outcome.user.email, createdAt: outcome.user.createdAt.toISOString() },
        },
      },
    }),
  };
});
