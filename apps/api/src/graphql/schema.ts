import { createSchema } from 'graphql-yoga';
import type { AppContext } from './context.js';
import { accountMutations, accountQueries } from './resolvers/account.js';
import { authMutations } from './resolvers/auth.js';
import { noteMutations, noteQueries, noteSubscriptions } from './resolvers/notes.js';
import { typeDefs } from './type-defs.js';

export const schema = createSchema<AppContext>({
  typeDefs,
  resolvers: {
    Query: { ...accountQueries, ...noteQueries },
    Mutation: { ...authMutations, ...accountMutations, ...noteMutations },
    Subscription: { ...noteSubscriptions },
  },
});
