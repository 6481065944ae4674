// GraphQL documents used by the web app and the tests, so that both speak the contract's names.
// Each export is a complete document (the fragments an operation spreads travel with it), so a test
// can send it as it is. GraphQL Code Generator (codegen.ts at the repo root) reads this file and
// generates the web app's typed documents and result types from it: the fragments below are the
// shapes the web app names (UserFieldsFragment, NoteFieldsFragment, AuthPayloadFieldsFragment).

// `__typename` is asked for because the web app writes the refresh's user into Apollo's cache
// itself (SSR), and the cache keys objects by __typename + id.
export const USER_FIELDS = /* GraphQL */ `
  fragment UserFields on User {
    __typename
    id
    email
    createdAt
  }
`;
export const NOTE_FIELDS = /* GraphQL */ `
  fragment NoteFields on Note {
    id
    text
    createdAt
  }
`;
export const AUTH_PAYLOAD_FIELDS = /* GraphQL */ `
  fragment AuthPayloadFields on AuthPayload {
    accessToken
    accessTokenExpiresAt
    user {
      ...UserFields
    }
  }
  ${USER_FIELDS}
`;

export const SIGN_UP = /* GraphQL */ `
  mutation SignUp($email: String!, $password: String!) {
    signUp(email: $email, password: $password) {
      ...AuthPayloadFields
    }
  }
  ${AUTH_PAYLOAD_FIELDS}
`;
export const SIGN_IN = /* GraphQL */ `
  mutation SignIn($email: String!, $password: String!) {
    signIn(email: $email, password: $password) {
      ...AuthPayloadFields
    }
  }
  ${AUTH_PAYLOAD_FIELDS}
`;
export const REFRESH_ACCESS_TOKEN = /* GraphQL */ `
  mutation RefreshAccessToken {
    refreshAccessToken {
      ...AuthPayloadFields
    }
  }
  ${AUTH_PAYLOAD_FIELDS}
`;
export const SIGN_OUT = /* GraphQL */ `
  mutation SignOut {
    signOut
  }
`;
export const SIGN_OUT_EVERYWHERE = /* GraphQL */ `
  mutation SignOutEverywhere {
    signOutEverywhere
  }
`;
export const REVOKE_SESSION = /* GraphQL */ `
  mutation RevokeSession($id: ID!) {
    revokeSession(id: $id)
  }
`;
export const CHANGE_PASSWORD = /* GraphQL */ `
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword) {
      ...AuthPayloadFields
    }
  }
  ${AUTH_PAYLOAD_FIELDS}
`;
export const ME = /* GraphQL */ `
  query Me {
    me {
      ...UserFields
    }
  }
  ${USER_FIELDS}
`;
export const SESSIONS = /* GraphQL */ `
  query Sessions {
    sessions {
      id
      createdAt
      lastUsedAt
      expiresAt
      userAgent
      current
    }
  }
`;
export const NOTES = /* GraphQL */ `
  query Notes {
    notes {
      ...NoteFields
    }
  }
  ${NOTE_FIELDS}
`;
export const ADD_NOTE = /* GraphQL */ `
  mutation AddNote($text: String!) {
    addNote(text: $text) {
      ...NoteFields
    }
  }
  ${NOTE_FIELDS}
`;
export const DELETE_NOTE = /* GraphQL */ `
  mutation DeleteNote($id: ID!) {
    deleteNote(id: $id)
  }
`;
export const NOTE_ADDED = /* GraphQL */ `
  subscription NoteAdded {
    noteAdded {
      ...NoteFields
    }
  }
  ${NOTE_FIELDS}
`;
