// The comparison servers' schema: the API's public Query and the types it returns (docs/api-contract.md),
// with resolvers that touch nothing. The measured operation is `{ __typename }`, so what matters is
// that both sides parse, validate and execute the same document against a schema of the same size.
import { createSchema } from 'graphql-yoga';

export const schema = createSchema({
  typeDefs: /* GraphQL */ `
    type Query {
      me: User
      sessions: [Session!]!
      notes: [Note!]!
    }
    type User {
      id: ID!
      email: String!
      createdAt: String!
    }
    type Session {
      id: ID!
      createdAt: String!
      lastUsedAt: String!
      expiresAt: String!
      userAgent: String
      current: Boolean!
    }
    type Note {
      id: ID!
      text: String!
      createdAt: String!
    }
  `,
  resolvers: { Query: { me: () => null, sessions: () => [], notes: () => [] } },
});

/**
 * The settings every comparison server built on Yoga shares with bare Yoga. Yoga's body-size stream
 * is off, as in the API (which bounds bodies by Content-Length before any read): otherwise the
 * figures would count a Yoga default we removed as our plugins' gain.
 */
export const BARE_YOGA_OPTIONS = { landingPage: false, graphiql: false, logging: false, maxRequestBodySize: false } as const;

export function portFromEnv(): number {
  const port = Number(process.env['PORT']);
  if (!Number.isInteger(port) || port <= 0) throw new Error('PORT is required');
  return port;
}
