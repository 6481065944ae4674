// GraphQL documents used by the web app and the tests, so that both speak the contract's names.

const AUTH_PAYLOAD = /* GraphQL */ `
  accessToken
  accessTokenExpiresAt
  user { id email createdAt }
`;

export const SIGN_UP = /* GraphQL */ `
  mutation SignUp($email: String!, $password: String!) {
    signUp(email: $email, password: $password) { ${AUTH_PAYLOAD} }
  }
`;
export const SIGN_IN = /* GraphQL */ `
  mutation SignIn($email: String!, $password: String!) {
    signIn(email: $email, password: $password) { ${AUTH_PAYLOAD} }
  }
`;
export const REFRESH_ACCESS_TOKEN = /* GraphQL */ `
  mutation RefreshAccessToken {
    refreshAccessToken { ${AUTH_PAYLOAD} }
  }
`;
export const SIGN_OUT = /* GraphQL */ `mutation SignOut { signOut }`;
export const SIGN_OUT_EVERYWHERE = /* GraphQL */ `mutation SignOutEverywhere { signOutEverywhere }`;
export const REVOKE_SESSION = /* GraphQL */ `
  mutation RevokeSession($id: ID!) { revokeSession(id: $id) }
`;
export const CHANGE_PASSWORD = /* GraphQL */ `
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword) { ${AUTH_PAYLOAD} }
  }
`;
export const ME = /* GraphQL */ `query Me { me { id email createdAt } }`;
export const SESSIONS = /* GraphQL */ `
  query Sessions { sessions { id createdAt lastUsedAt expiresAt userAgent current } }
`;
export const NOTES = /* GraphQL */ `query Notes { notes { id text createdAt } }`;
export const ADD_NOTE = /* GraphQL */ `
  mutation AddNote($text: String!) { addNote(text: $text) { id text createdAt } }
`;
export const DELETE_NOTE = /* GraphQL */ `mutation DeleteNote($id: ID!) { deleteNote(id: $id) }`;
export const NOTE_ADDED = /* GraphQL */ `subscription NoteAdded { noteAdded { id text createdAt } }`;
