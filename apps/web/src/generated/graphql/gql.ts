/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment UserFields on User { __typename id email createdAt }\n": typeof types.UserFieldsFragmentDoc,
    "\n  fragment NoteFields on Note { id text createdAt }\n": typeof types.NoteFieldsFragmentDoc,
    "\n  fragment AuthPayloadFields on AuthPayload { accessToken accessTokenExpiresAt user { ...UserFields } }\n  \n": typeof types.AuthPayloadFieldsFragmentDoc,
    "\n  mutation SignUp($email: String!, $password: String!) {\n    signUp(email: $email, password: $password) { ...AuthPayloadFields }\n  }\n  \n": typeof types.SignUpDocument,
    "\n  mutation SignIn($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) { ...AuthPayloadFields }\n  }\n  \n": typeof types.SignInDocument,
    "\n  mutation RefreshAccessToken {\n    refreshAccessToken { ...AuthPayloadFields }\n  }\n  \n": typeof types.RefreshAccessTokenDocument,
    "mutation SignOut { signOut }": typeof types.SignOutDocument,
    "mutation SignOutEverywhere { signOutEverywhere }": typeof types.SignOutEverywhereDocument,
    "\n  mutation RevokeSession($id: ID!) { revokeSession(id: $id) }\n": typeof types.RevokeSessionDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword) { ...AuthPayloadFields }\n  }\n  \n": typeof types.ChangePasswordDocument,
    "\n  query Me { me { ...UserFields } }\n  \n": typeof types.MeDocument,
    "\n  query Sessions { sessions { id createdAt lastUsedAt expiresAt userAgent current } }\n": typeof types.SessionsDocument,
    "\n  query Notes { notes { ...NoteFields } }\n  \n": typeof types.NotesDocument,
    "\n  mutation AddNote($text: String!) { addNote(text: $text) { ...NoteFields } }\n  \n": typeof types.AddNoteDocument,
    "mutation DeleteNote($id: ID!) { deleteNote(id: $id) }": typeof types.DeleteNoteDocument,
    "\n  subscription NoteAdded { noteAdded { ...NoteFields } }\n  \n": typeof types.NoteAddedDocument,
};
const documents: Documents = {
    "\n  fragment UserFields on User { __typename id email createdAt }\n": types.UserFieldsFragmentDoc,
    "\n  fragment NoteFields on Note { id text createdAt }\n": types.NoteFieldsFragmentDoc,
    "\n  fragment AuthPayloadFields on AuthPayload { accessToken accessTokenExpiresAt user { ...UserFields } }\n  \n": types.AuthPayloadFieldsFragmentDoc,
    "\n  mutation SignUp($email: String!, $password: String!) {\n    signUp(email: $email, password: $password) { ...AuthPayloadFields }\n  }\n  \n": types.SignUpDocument,
    "\n  mutation SignIn($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) { ...AuthPayloadFields }\n  }\n  \n": types.SignInDocument,
    "\n  mutation RefreshAccessToken {\n    refreshAccessToken { ...AuthPayloadFields }\n  }\n  \n": types.RefreshAccessTokenDocument,
    "mutation SignOut { signOut }": types.SignOutDocument,
    "mutation SignOutEverywhere { signOutEverywhere }": types.SignOutEverywhereDocument,
    "\n  mutation RevokeSession($id: ID!) { revokeSession(id: $id) }\n": types.RevokeSessionDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword) { ...AuthPayloadFields }\n  }\n  \n": types.ChangePasswordDocument,
    "\n  query Me { me { ...UserFields } }\n  \n": types.MeDocument,
    "\n  query Sessions { sessions { id createdAt lastUsedAt expiresAt userAgent current } }\n": types.SessionsDocument,
    "\n  query Notes { notes { ...NoteFields } }\n  \n": types.NotesDocument,
    "\n  mutation AddNote($text: String!) { addNote(text: $text) { ...NoteFields } }\n  \n": types.AddNoteDocument,
    "mutation DeleteNote($id: ID!) { deleteNote(id: $id) }": types.DeleteNoteDocument,
    "\n  subscription NoteAdded { noteAdded { ...NoteFields } }\n  \n": types.NoteAddedDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UserFields on User { __typename id email createdAt }\n"): (typeof documents)["\n  fragment UserFields on User { __typename id email createdAt }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment NoteFields on Note { id text createdAt }\n"): (typeof documents)["\n  fragment NoteFields on Note { id text createdAt }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuthPayloadFields on AuthPayload { accessToken accessTokenExpiresAt user { ...UserFields } }\n  \n"): (typeof documents)["\n  fragment AuthPayloadFields on AuthPayload { accessToken accessTokenExpiresAt user { ...UserFields } }\n  \n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($email: String!, $password: String!) {\n    signUp(email: $email, password: $password) { ...AuthPayloadFields }\n  }\n  \n"): (typeof documents)["\n  mutation SignUp($email: String!, $password: String!) {\n    signUp(email: $email, password: $password) { ...AuthPayloadFields }\n  }\n  \n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) { ...AuthPayloadFields }\n  }\n  \n"): (typeof documents)["\n  mutation SignIn($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) { ...AuthPayloadFields }\n  }\n  \n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshAccessToken {\n    refreshAccessToken { ...AuthPayloadFields }\n  }\n  \n"): (typeof documents)["\n  mutation RefreshAccessToken {\n    refreshAccessToken { ...AuthPayloadFields }\n  }\n  \n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignOut { signOut }"): (typeof documents)["mutation SignOut { signOut }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignOutEverywhere { signOutEverywhere }"): (typeof documents)["mutation SignOutEverywhere { signOutEverywhere }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeSession($id: ID!) { revokeSession(id: $id) }\n"): (typeof documents)["\n  mutation RevokeSession($id: ID!) { revokeSession(id: $id) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword) { ...AuthPayloadFields }\n  }\n  \n"): (typeof documents)["\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword) { ...AuthPayloadFields }\n  }\n  \n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me { me { ...UserFields } }\n  \n"): (typeof documents)["\n  query Me { me { ...UserFields } }\n  \n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Sessions { sessions { id createdAt lastUsedAt expiresAt userAgent current } }\n"): (typeof documents)["\n  query Sessions { sessions { id createdAt lastUsedAt expiresAt userAgent current } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Notes { notes { ...NoteFields } }\n  \n"): (typeof documents)["\n  query Notes { notes { ...NoteFields } }\n  \n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddNote($text: String!) { addNote(text: $text) { ...NoteFields } }\n  \n"): (typeof documents)["\n  mutation AddNote($text: String!) { addNote(text: $text) { ...NoteFields } }\n  \n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DeleteNote($id: ID!) { deleteNote(id: $id) }"): (typeof documents)["mutation DeleteNote($id: ID!) { deleteNote(id: $id) }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription NoteAdded { noteAdded { ...NoteFields } }\n  \n"): (typeof documents)["\n  subscription NoteAdded { noteAdded { ...NoteFields } }\n  \n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;