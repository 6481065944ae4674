// This design's refresh written plainly (./design-exchange.ts, the same code as the thinnest app's
// `refreshDesign`), served under our API's GraphQL names and cookies: `refreshAccessToken` answers
// the built web app's own document (its AuthPayload fields and the page's query under `query`, as
// apps/web's lib/ssr/page-query.ts writes it), and the token and fingerprint come in, and the next
// token goes out, as `__Host-refresh` and `__Host-fingerprint`. Bare GraphQL Yoga, no plugins.
//
// Why: with the built web app in front of it (run.ts "ssr", lib/ssr-floor.ts), a signed-in page
// costs our web app's own work plus the least this design asks of its API, so the signed-in page's
// gap above the SSR design floor splits in two — what our API adds above this API, and what our
// page adds above the thinnest app's page. Not something to deploy: no checks but the design's.
import { createServer, type ServerResponse } from 'node:http';
import { FINGERPRINT_COOKIE, REFRESH_COOKIE } from '@app/shared';
import { createSchema, createYoga } from 'graphql-yoga';
import { designExchange } from './design-exchange.js';
import { BARE_YOGA_OPTIONS, portFromEnv } from './schema.js';

// As our API sets them (apps/api's auth/cookies.ts): both cookies, each rotation, for the idle expiry.
const exchange = designExchange({
  token: REFRESH_COOKIE,
  fingerprint: FINGERPRINT_COOKIE,
  attributes: 'Max-Age=604800; Path=/; HttpOnly; Secure; SameSite=Strict',
  slideFingerprint: true,
});

const schema = createSchema<{ request: Request; res: ServerResponse }>({
  typeDefs: /* GraphQL */ `
    type Query {
      me: User
      notes: [Note!]!
    }
    type User {
      id: ID!
      email: String!
      createdAt: String!
    }
    type Note {
      id: ID!
      text: String!
      createdAt: String!
    }
    type AuthPayload {
      accessToken: String!
      accessTokenExpiresAt: String!
      user: User!
      query: Query
    }
    type Mutation {
      refreshAccessToken: AuthPayload
    }
  `,
  resolvers: {
    Mutation: {
      async refreshAccessToken(_: unknown, __: unknown, context) {
        const answer = await exchange(context.request.headers.get('cookie') ?? '', context.res);
        if (!answer) return null;
        const { notes, user, ...token } = answer;
        // The page's query is answered from the exchange's own read of the notes: Query has no
        // resolvers, so the fields under `query` are read as properties of this object.
        return { ...token, user, query: { me: user, notes } };
      },
    },
  },
});

const yoga = createYoga({ schema, ...BARE_YOGA_OPTIONS });
createServer(yoga).listen(portFromEnv(), '127.0.0.1');
