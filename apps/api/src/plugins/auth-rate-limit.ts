// Counts every sign-in, sign-up, password-change and refresh field of a request — aliases included — BEFORE the
// document is validated or executed, and refuses the whole request with 429 when a budget is
// spent. A refused request changes nothing: no session is created, no token rotated.
import { ErrorCode } from '@app/shared';
import type { IncomingMessage } from 'node:http';
import { Kind, parse, visit, type DocumentNode, type ValueNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { audit } from '../audit.js';
import { normalizeEmail } from '../auth/credentials.js';
import { contractError } from '../auth/errors.js';
import type { AuthAttempt, AuthRateLimits } from '../auth/rate-limits.js';
import { clientAddress } from '../http/client-address.js';

const LIMITED_FIELDS = new Set(['signIn', 'signUp', 'changePassword', 'refreshAccessToken']);
const MENTIONS_LIMITED_FIELD = /signIn|signUp|changePassword|refreshAccessToken/;

export function useAuthRateLimit(deps: { limits: AuthRateLimits; trustedProxies: ReadonlySet<string>; logger: Logger }): Plugin {
  return {
    async onParams({ params, context, setResult }) {
      if (typeof params.query !== 'string' || !MENTIONS_LIMITED_FIELD.test(params.query)) return;
      let document: DocumentNode;
      try {
        // No token limit here would let a huge document cost us a parse; Yoga/armor reject
        // those later anyway, but we must count what they contain first (T35).
        document = parse(params.query, { noLocation: true });
      } catch {
        return; // not parseable: Yoga answers with a syntax error, nothing runs
      }
      const attempts = authAttempts(document, params.variables ?? {});
      if (attempts.length === 0) return;

      const req = (context as { req?: IncomingMessage }).req;
      const address = clientAddress(req, deps.trustedProxies);
      const limited = await deps.limits.charge(address, attempts);
      if (!limited) return;
      audit(deps.logger, { event: 'rate-limited', address, fields: attempts.length });
      setResult({
        errors: [
          contractError(ErrorCode.RATE_LIMITED, 'Too many attempts, try again later', {
            'Retry-After': String(limited.retryAfterSeconds),
          }),
        ],
      });
    },
  };
}

/** Every limited field in the document, with the e-mail it targets when one is given. */
export function authAttempts(document: DocumentNode, variables: Record<string, unknown>): AuthAttempt[] {
  const attempts: AuthAttempt[] = [];
  visit(document, {
    Field(node) {
      if (!LIMITED_FIELDS.has(node.name.value)) return;
      const emailArg = node.arguments?.find((a) => a.name.value === 'email');
      const email = emailArg ? stringValue(emailArg.value, variables) : undefined;
      attempts.push({ field: node.name.value as AuthAttempt['field'], ...(email ? { email: normalizeEmail(email) } : {}) });
    },
  });
  return attempts;
}

function stringValue(value: ValueNode, variables: Record<string, unknown>): string | undefined {
  if (value.kind === Kind.STRING) return value.value;
  if (value.kind === Kind.VARIABLE) {
    const v = variables[value.name.value];
    return typeof v === 'string' ? v : undefined;
  }
  return undefined;
}
