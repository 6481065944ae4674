// The public schema (docs/api-contract.md, "GraphQL"). Names and shapes are the contract.
export const typeDefs = /* GraphQL */ `
  type Query {
    "The caller; null when the request carries no Authorization header."
    me: User
    "The caller's live sessions, one per signed-in browser or device."
    sessions: [Session!]!
    "Demo data owned by the caller."
    notes: [Note!]!
  }

  type Mutation {
    signUp(email: String!, password: String!): AuthPayload!
    signIn(email: String!, password: String!): AuthPayload!
    "Reads the refresh and fingerprint cookies and rotates the refresh cookie."
    refreshAccessToken: AuthPayload!
    "Ends this session and clears both cookies."
    signOut: Boolean!
    "Ends every session of the caller."
    signOutEverywhere: Boolean!
    revokeSession(id: ID!): Boolean!
    "Ends all OTHER sessions of the caller."
    changePassword(currentPassword: String!, newPassword: String!): AuthPayload!
    addNote(text: String!): Note!
    deleteNote(id: ID!): Boolean!
  }

  type Subscription {
    "The caller's own notes, as they are added (graphql-ws only)."
    noteAdded: Note!
  }

  type AuthPayload {
    accessToken: String!
    accessTokenExpiresAt: String!
    user: User!
    """
    The schema's queries, read as the session this payload grants (the holder of its new access
    token), in the same round trip: a server-side render trades the refresh cookie for a token and
    reads its page's data with one request.
    """
    query: Query!
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
    "When the session ends unless used again (never later than its absolute lifetime)."
    expiresAt: String!
    userAgent: String
    current: Boolean!
  }

  type Note {
    id: ID!
    text: String!
    createdAt: String!
  }
`;
