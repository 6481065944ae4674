// Minimal client that speaks the API's rules: the CSRF header on every POST, cookies kept in a jar
// (refresh + `__Host-fingerprint`), the access token as a bearer.
import { CSRF_HEADER, FINGERPRINT_COOKIE, REFRESH_COOKIE, SIGN_IN, SIGN_UP } from '@app/shared';

export type Device = { email: string; password: string; token: string; cookies: Map<string, string> };

export const cookieHeader = (jar: ReadonlyMap<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

/** Keep the name=value of each Set-Cookie; Max-Age=0 deletes (enough for the API's two cookies). */
export function applySetCookies(jar: Map<string, string>, setCookies: readonly string[]): void {
  for (const line of setCookies) {
    const [pair = ''] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    if (/max-age=0(;|$)/i.test(line)) jar.delete(name);
    else jar.set(name, pair.slice(eq + 1).trim());
  }
}

export async function graphql(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: { token?: string; jar?: Map<string, string> } = {},
): Promise<{ status: number; body: { data?: Record<string, unknown> | null; errors?: { message: string }[] } }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', [CSRF_HEADER]: '1' };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  if (options.jar?.size) headers['cookie'] = cookieHeader(options.jar);
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  if (options.jar) applySetCookies(options.jar, res.headers.getSetCookie());
  return { status: res.status, body: (await res.json()) as never };
}

export const PASSWORD = 'bench password, long enough';

export async function signUp(url: string, email: string): Promise<Device> {
  const jar = new Map<string, string>();
  const r = await graphql(url, SIGN_UP, { email, password: PASSWORD }, { jar });
  return deviceFrom(r, jar, email, 'signUp');
}

export async function signIn(url: string, email: string): Promise<Device> {
  const jar = new Map<string, string>();
  const r = await graphql(url, SIGN_IN, { email, password: PASSWORD }, { jar });
  return deviceFrom(r, jar, email, 'signIn');
}

function deviceFrom(r: Awaited<ReturnType<typeof graphql>>, jar: Map<string, string>, email: string, field: string): Device {
  const payload = r.body.data?.[field] as { accessToken?: string } | undefined;
  if (!payload?.accessToken || !jar.has(FINGERPRINT_COOKIE) || !jar.has(REFRESH_COOKIE)) {
    throw new Error(`${field} failed: HTTP ${r.status} ${JSON.stringify(r.body.errors ?? r.body)}`);
  }
  return { email, password: PASSWORD, token: payload.accessToken, cookies: jar };
}
