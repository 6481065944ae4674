// `useQuery` for data that the page server has already put in the page's Apollo cache
// (../ssr/with-session.ts): the signed-in user, a page's own query.
//
// WHY two implementations: a server render is one pass over a cache that nothing writes to
// afterwards, so there is nothing to watch. There a read of the cache is the whole answer. useQuery
// would start an ObservableQuery, its subscriptions and React's external-store wiring for every
// query of every page, only to throw them away when the render ends. Profiled under `next start`
// (bench, "SSR TTFB"; issue 12), that was the largest single cost of rendering a signed-in page.
// In the browser the page needs exactly that machinery (refetch, live updates), and gets useQuery.
//
// The choice depends only on where the code runs, never on a value that can change between
// renders, so each environment always calls the same hooks in the same order (React's rules).
import {
  useApolloClient,
  useQuery,
  type OperationVariables,
  type QueryHookOptions,
  type QueryResult,
  type TypedDocumentNode,
} from '@apollo/client';

/** The part of useQuery's result that pages read. */
export type CachedQueryResult<TData> = {
  data: QueryResult<TData>['data'];
  /** Reads the query from the API again (browser); on the server there is nothing to refetch. */
  refetch: () => Promise<unknown>;
};

function useServerCachedQuery<TData, TVariables extends OperationVariables>(
  query: TypedDocumentNode<TData, TVariables>,
  options?: Pick<QueryHookOptions<TData, TVariables>, 'variables'>,
): CachedQueryResult<TData> {
  const client = useApolloClient();
  // The cache is this request's own (never shared between people, THREATS T33), filled before
  // the render began. A query it cannot answer renders as "no data", as useQuery would render it.
  const data = client.readQuery<TData, TVariables>({ query, variables: options?.variables }) ?? undefined;
  // readQuery's type is the unmasked one; this app does not turn on data masking, so they are equal.
  return { data: data as QueryResult<TData>['data'], refetch: () => Promise.resolve(undefined) };
}

function useBrowserCachedQuery<TData, TVariables extends OperationVariables>(
  query: TypedDocumentNode<TData, TVariables>,
  options?: Pick<QueryHookOptions<TData, TVariables>, 'variables' | 'fetchPolicy' | 'context'>,
): CachedQueryResult<TData> {
  const { data, refetch } = useQuery(query, options);
  return { data, refetch };
}

export const useCachedQuery: <TData, TVariables extends OperationVariables = OperationVariables>(
  query: TypedDocumentNode<TData, TVariables>,
  options?: Pick<QueryHookOptions<TData, TVariables>, 'variables' | 'fetchPolicy' | 'context'>,
) => CachedQueryResult<TData> = typeof window === 'undefined' ? useServerCachedQuery : useBrowserCachedQuery;
