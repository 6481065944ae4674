// Alternative 11: this design's sign-in (./design-sign-in.ts, written plainly) as a GraphQL Yoga
// mutation, under the API's names: `signIn(email, password)` answers the API's own SignIn document
// (@app/shared's SIGN_IN: the AuthPayload's token, its expiry and the user) and sets the two
// cookies. Bare Yoga with the API's validation cache and no other plugin: beside
// ./sign-in-design-floor.ts (the same work and answer on node:http) it says what answering a sign-in
// through GraphQL Yoga costs, which the contract and the product prescribe; beside the API, what our
// own layer costs above it (plugins, input rules, the refresh token's tag, the replaced-session
// check, the audit line, error codes).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { GraphQLError, type DocumentNode } from 'graphql';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { designSignIn } from './design-sign-in.js';
import { BARE_YOGA_OPTIONS, portFromEnv } from './schema.js';

const signIn = designSignIn('yoga-floor');

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
        // A failure (the database's, say) answers 500, as on the design floor, not Yoga's 200 with an error.
        const outcome = await signIn(args.email.toLowerCase(), args.password, context.req.socket.remoteAddress ?? '').catch(
          (error: unknown) => {
            throw new GraphQLError('Sign-in failed', { originalError: error as Error, extensions: { http: { status: 500 } } });
          },
        );
        // The design floor's statuses (503, 401): a refusal must not pass for a fast success in the load's count.
        if (outcome.kind === 'busy') throw new GraphQLError('Busy', { extensions: { http: { status: 503 } } });
        if (outcome.kind === 'refused') throw new GraphQLError('Incorrect e-mail or password', { extensions: { http: { status: 401 } } });
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

// The API replaces Yoga's validation cache, whose key is rebuilt and hashed on every request (ADR
// 0020; ~24,000 instructions): so does this floor, plainly (its rules never change), or the figures
// would count a Yoga default the API removed as our layer's gain.
const validated = new WeakMap<DocumentNode, readonly GraphQLError[]>();
const useValidationCache: Plugin = {
  onValidate({ params, setResult }) {
    const known = validated.get(params.documentAST);
    if (known) return setResult(known);
    // graphql-js validation answers GraphQLErrors only.
    return ({ result }) => void validated.set(params.documentAST, result as readonly GraphQLError[]);
  },
};

const yoga = createYoga({
  schema,
  ...BARE_YOGA_OPTIONS,
  parserAndValidationCache: { validationCache: false },
  plugins: [useValidationCache],
});
createServer(yoga).listen(portFromEnv(), '127.0.0.1');
