// Lets resolvers queue Set-Cookie headers; appends them to this request's response.
import type { Plugin } from 'graphql-yoga';
import type { AppContext } from '../graphql/context.js';

export function useResponseCookies(): Plugin<AppContext> {
  const pending = new WeakMap<Request, string[]>();
  return {
    onContextBuilding({ context, extendContext }) {
      const { request } = context;
      // The list exists only once a resolver queues a cookie: most requests never do.
      extendContext({
        setCookies: (headers: string[]) => {
          const list = pending.get(request);
          if (list) list.push(...headers);
          else pending.set(request, [...headers]);
        },
      });
    },
    onResponse({ request, response }) {
      for (const header of pending.get(request) ?? []) response.headers.append('Set-Cookie', header);
    },
  };
}
