// Where the browser reaches GraphQL: always its own origin (the custom server proxies to the API),
// so the __Host- cookies, which are bound to this host, travel with every request.
export const GRAPHQL_PATH = '/api/graphql';

/** ws(s)://<this origin>/api/graphql, for graphql-ws. Browser only. */
export function graphqlWsUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${GRAPHQL_PATH}`;
}
