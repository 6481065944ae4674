// Alternative 11: this design's sign-in (./design-sign-in.ts, written plainly) as a GraphQL Yoga
// mutation, under the API's names: `signIn(email, password)` answers the API's own SignIn document
// (@app/shared's SIGN_IN: the AuthPayload's token, its expiry and the user) and sets the two
// cookies. Bare Yoga, no plugins: beside ./sign-in-design-floor.ts (the same work on node:http) it
// says what answering a sign-in through GraphQL Yoga costs, which the contract and the product
// prescribe; beside the API, what our plugins, input rules, audit line and error codes cost above it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { GraphQLError } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { designSignIn } from './design-sign-in.js';
import { BARE_YOGA_OPTIONS, portFromEnv } from './schema.js';

const schema = createSchema<{ req: IncomingMessage; res: ServerResponse }>({
  typeDefs: /* GraphQL */ `
    type Query {
      me: User
    }
    type User {
      id: ID!
      email: String!
      createdAt: String!
    }
    type AuthPayload {
      accessToken: String!
      accessTokenExpiresAt: String!
      user: User!
    }
    type Mutation {
      signIn(email: String!, password: String!): AuthPayload!
    }
  `,
  resolvers: {
    Query: { me: () => null },
    Mutation: {
      async signIn(_: unknown, args: { email: string; password: string }, context) {
        const outcome = await designSignIn(args.email.toLowerCase(), args.password, context.req.socket.remoteAddress ?? '');
        if (outcome.kind !== 'signed-in') throw new GraphQLError(outcome.kind === 'busy' ? 'Busy' : 'Incorrect e-mail or password');
        for (const line of outcome.cookies) context.res.appendHeader('set-cookie', line);
        return {
          accessToken: outcome.accessToken,
          accessTokenExpiresAt: outcome.expiresAt.toISOString(),
          user: { ...outcome.user, createdAt: outcome.user.createdAt.toISOString() },
        };
      },
    },
  },
});

const yoga = createYoga({ schema, ...BARE_YOGA_OPTIONS });
createServer(yoga).listen(portFromEnv(), '127.0.0.1');
