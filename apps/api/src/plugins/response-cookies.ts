// Lets resolvers queue Set-Cookie headers; appends them to this request's response.
import type { Plugin } from 'graphql-yoga';
import type { AppContext } from '../graphql/context.js';

export function useResponseCookies(): Plugin<AppContext> {
  const pending = new WeakMap<Request, string[]>();
  return {
    onContextBuilding({ context, extendContext }) {
      const list: string[] = [];
      pending.set(context.request, list);
      extendContext({ setCookies: (headers: string[]) => list.push(...headers) });
    },
    onResponse({ request, response }) {
      for (const header of pending.get(request) ?? []) response.headers.append('Set-Cookie', header);
    },
  };
}
