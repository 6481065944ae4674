// A minimal browser stand-in for API tests: sends GraphQL over real HTTP and keeps a cookie
// jar the way a browser does (Set-Cookie stores, Max-Age=0 deletes). No mocks.
import { CSRF_HEADER } from '@app/shared';
import { parseSetCookie } from 'cookie';

export type GraphQLResponse<T = Record<string, unknown>> = {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };
  setCookies: string[];
};

export class CookieJar {
  readonly cookies = new Map<string, string>();

  store(setCookieHeaders: string[]): void {
    for (const header of setCookieHeaders) {
      const c = parseSetCookie(header);
      if (c.maxAge !== undefined && c.maxAge <= 0) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value ?? '');
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  clone(): CookieJar {
    const copy = new CookieJar();
    for (const [k, v] of this.cookies) copy.cookies.set(k, v);
    return copy;
  }
}

export type RequestOptions = {
  token?: string;
  /** Raw Authorization header (for attack tests); overrides `token`. */
  authorization?: string;
  jar?: CookieJar;
  /** Raw Cookie header, overriding the jar. */
  cookie?: string;
  headers?: Record<string, string>;
  /** Store Set-Cookie into the jar (default true). */
  keepCookies?: boolean;
};

export async function graphql<T = Record<string, unknown>>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: RequestOptions = {},
): Promise<GraphQLResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', [CSRF_HEADER]: '1', ...options.headers };
  const authorization = options.authorization ?? (options.token ? `Bearer ${options.token}` : undefined);
  if (authorization !== undefined) headers.authorization = authorization;
  const cookie = options.cookie ?? options.jar?.header();
  if (cookie) headers.cookie = cookie;

  const response = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const setCookies = response.headers.getSetCookie();
  if (options.jar && options.keepCookies !== false) options.jar.store(setCookies);
  const text = await response.text();
  let body: GraphQLResponse<T>['body'];
  try {
    body = JSON.parse(text) as GraphQLResponse<T>['body'];
  } catch {
    throw new Error(`non-JSON response ${response.status}: ${text.slice(0, 200)}`);
  }
  return { status: response.status, headers: response.headers, body, setCookies };
}

export const errorCode = (r: GraphQLResponse) => r.body.errors?.[0]?.extensions?.code;
