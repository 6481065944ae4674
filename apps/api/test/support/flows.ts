// Small building blocks for tests: a signed-up user with their own cookie jar ("browser").
import { REFRESH_ACCESS_TOKEN, SIGN_IN, SIGN_UP } from '@app/shared';
import { expect } from 'vitest';
import { CookieJar, graphql, type RequestOptions } from './http-client.js';
import { PASSWORD, uniqueEmail } from './test-api.js';

// The schema's shape, generated from the SDL (pnpm codegen): never re-typed by hand.
export type { AuthPayload } from '../../src/graphql/generated/resolvers-types.js';
import type { AuthPayload } from '../../src/graphql/generated/resolvers-types.js';

export type Device = { jar: CookieJar; token: string; user: AuthPayload['user']; email: string };

export async function signUp(url: string, options: { email?: string; password?: string; userAgent?: string } = {}): Promise<Device> {
  const jar = new CookieJar();
  const email = options.email ?? uniqueEmail();
  const r = await graphql<{ signUp: AuthPayload }>(
    url,
    SIGN_UP,
    { email, password: options.password ?? PASSWORD },
    {
      jar,
      headers: options.userAgent ? { 'user-agent': options.userAgent } : {},
    },
  );
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
  const payload = r.body.data!.signUp;
  return { jar, token: payload.accessToken, user: payload.user, email };
}

/** A second device of the same user: a fresh jar, signed in with the password. */
export async function signIn(url: string, email: string, password = PASSWORD, options: RequestOptions = {}): Promise<Device> {
  const jar = new CookieJar();
  const r = await graphql<{ signIn: AuthPayload }>(url, SIGN_IN, { email, password }, { jar, ...options });
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
  const payload = r.body.data!.signIn;
  return { jar, token: payload.accessToken, user: payload.user, email };
}

export function refresh(url: string, jar: CookieJar, options: RequestOptions = {}) {
  return graphql<{ refreshAccessToken: AuthPayload }>(url, REFRESH_ACCESS_TOKEN, {}, { jar, ...options });
}
