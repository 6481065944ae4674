// The auth core's plain errors become the contract's GraphQL errors at the edge.
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { AuthError, badUserInput, unauthenticated } from '../auth/errors.js';
import { maskError } from './error-codes.js';

describe('maskError maps AuthErrors to the contract', () => {
  it('UNAUTHENTICATED → 401 with WWW-Authenticate (RFC 6750 §3), the message kept', () => {
    const e = maskError(unauthenticated('Session expired'));
    expect(e.message).toBe('Session expired');
    expect(e.extensions).toEqual({
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } },
    });
  });

  it('an AuthError thrown in a resolver is annotated in place: same error, path kept, BAD_USER_INPUT → 400', () => {
    const located = new GraphQLError('Enter a valid e-mail address', {
      path: ['signUp'],
      originalError: badUserInput('Enter a valid e-mail address'),
    });
    const e = maskError(located);
    expect(e).toBe(located);
    expect(e.path).toEqual(['signUp']);
    expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', http: { status: 400 } });
  });

  it('anything else is still masked as INTERNAL_SERVER_ERROR', () => {
    const e = maskError(new GraphQLError('boom', { originalError: new Error('SELECT secret') }));
    expect(e.message).toBe('Internal server error');
    expect(e.extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', http: { status: 500 } });
    expect(new AuthError('UNAUTHENTICATED', 'x')).toBeInstanceOf(Error);
  });
});
