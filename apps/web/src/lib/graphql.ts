// The contract's GraphQL operations, as typed documents. The documents are written once in
// @app/shared (operations.ts); their result and variable types are GENERATED from the API's schema
// by GraphQL Code Generator (codegen.ts at the repo root, output in ../generated/graphql/). Nothing
// here restates a schema type: change the schema or a document, run `pnpm codegen`.
export {
  AddNoteDocument as ADD_NOTE,
  DeleteNoteDocument as DELETE_NOTE,
  MeDocument as ME,
  NoteAddedDocument as NOTE_ADDED,
  NotesDocument as NOTES,
  RevokeSessionDocument as REVOKE_SESSION,
  SessionsDocument as SESSIONS,
  SignInDocument as SIGN_IN,
  SignOutDocument as SIGN_OUT,
  SignOutEverywhereDocument as SIGN_OUT_EVERYWHERE,
  SignUpDocument as SIGN_UP,
} from '../generated/graphql/graphql';
export type { AuthPayloadFieldsFragment, NoteFieldsFragment, SessionsQuery, UserFieldsFragment } from '../generated/graphql/graphql';
