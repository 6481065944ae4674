// The contract's GraphQL documents (defined once in @app/shared), parsed for Apollo.
import { gql, type TypedDocumentNode } from '@apollo/client';
import * as ops from '@app/shared';

export type User = { __typename?: 'User'; id: string; email: string; createdAt: string };
export type Note = { __typename?: 'Note'; id: string; text: string; createdAt: string };
export type Session = {
  __typename?: 'Session';
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  userAgent: string | null;
  current: boolean;
};
export type AuthPayload = { accessToken: string; accessTokenExpiresAt: string; user: User };
type Credentials = { email: string; password: string };

export const SIGN_UP: TypedDocumentNode<{ signUp: AuthPayload }, Credentials> = gql(ops.SIGN_UP);
export const SIGN_IN: TypedDocumentNode<{ signIn: AuthPayload }, Credentials> = gql(ops.SIGN_IN);
export const SIGN_OUT: TypedDocumentNode<{ signOut: boolean }> = gql(ops.SIGN_OUT);
export const SIGN_OUT_EVERYWHERE: TypedDocumentNode<{ signOutEverywhere: boolean }> = gql(
  ops.SIGN_OUT_EVERYWHERE,
);
export const REVOKE_SESSION: TypedDocumentNode<{ revokeSession: boolean }, { id: string }> = gql(
  ops.REVOKE_SESSION,
);
export const ME: TypedDocumentNode<{ me: User | null }> = gql(ops.ME);
export const SESSIONS: TypedDocumentNode<{ sessions: Session[] }> = gql(ops.SESSIONS);
export const NOTES: TypedDocumentNode<{ notes: Note[] }> = gql(ops.NOTES);
export const ADD_NOTE: TypedDocumentNode<{ addNote: Note }, { text: string }> = gql(ops.ADD_NOTE);
export const DELETE_NOTE: TypedDocumentNode<{ deleteNote: boolean }, { id: string }> = gql(
  ops.DELETE_NOTE,
);
export const NOTE_ADDED: TypedDocumentNode<{ noteAdded: Note }> = gql(ops.NOTE_ADDED);
