// GraphQL over GET: `variables` and `extensions` must be JSON objects. Yoga's GET parser would
// throw a bare SyntaxError on anything else, which is the client's mistake and must be a 400
// BAD_USER_INPUT, never a masked 500 (THREATS T53; found by the fuzz suite).
import { ErrorCode } from '@app/shared';
import type { Plugin } from 'graphql-yoga';

const isJsonObject = (text: string) => {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
};

export function useGetParamsValidation(options: { graphqlPath: string }): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' || url.pathname !== options.graphqlPath) return;
      for (const name of ['variables', 'extensions']) {
        const value = url.searchParams.get(name);
        if (value !== null && !isJsonObject(value)) {
          return endResponse(
            fetchAPI.Response.json(
              { errors: [{ message: `"${name}" must be a JSON object`, extensions: { code: ErrorCode.BAD_USER_INPUT } }] },
              { status: 400 },
            ),
          );
        }
      }
    },
  };
}
