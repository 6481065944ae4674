// Charges every sign-in, sign-up, password-change and refresh of a request to its budgets at the
// moment of execution, with the argument values the resolvers are about to receive, and refuses
// the whole request with 429 + Retry-After before any resolver runs when a budget is spent (T35,
// T42, T43, T56). A refused request changes nothing: no session is created, no token rotated.
//
// Why at execution and not on the request text: an e-mail can arrive as a literal, a variable, a
// variable's DEFAULT value, through fragments and aliases, in any case or Unicode form. Reading the
// text misses spellings (a default value was the verified bypass). Here the operation is the one
// that runs, variables are coerced by `getVariableValues` (defaults applied) and arguments by
// `getArgumentValues` — the very functions of Yoga's executor (@graphql-tools/executor, pinned to
// Yoga's version), which also share the schema's copy of graphql-js. Every field reached through
// fragments counts, whatever its @skip/@include: counting too much is safe, too little never.
import { ErrorCode } from '@app/shared';
import type { IncomingMessage } from 'node:http';
import { getVariableValues } from '@graphql-tools/executor';
import { getArgumentValues, type VariableValues } from '@graphql-tools/utils';
import {
  getOperationAST,
  Kind,
  type DocumentNode,
  type ExecutionArgs,
  type FragmentDefinitionNode,
  type FieldNode,
  type GraphQLField,
  type SelectionSetNode,
} from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { audit } from '../audit.js';
import { normalizeEmail } from '../auth/credentials.js';
import { contractError } from '../graphql/errors.js';
import type { AuthRateLimits, CredentialAttempt, Refusal } from '../auth/rate-limits.js';
import type { AppContext } from '../graphql/context.js';
import { clientAddress, rateLimitBucket } from '../http/client-address.js';

/** The schema's fields for the rate-limited operations. */
const OPERATION_OF_FIELD = {
  signIn: 'sign-in',
  signUp: 'sign-up',
  changePassword: 'password-change',
  refreshAccessToken: 'refresh',
} as const;
type LimitedField = keyof typeof OPERATION_OF_FIELD;
const isLimitedField = (name: string): name is LimitedField => Object.hasOwn(OPERATION_OF_FIELD, name);

/** One rate-limited field of the operation about to run: its response key and coerced arguments. */
export type LimitedCall = { field: LimitedField; responseKey: string; args: Record<string, unknown> };

type Context = Partial<AppContext> & { req?: IncomingMessage };

export function useAuthRateLimit(deps: {
  limits: AuthRateLimits;
  trustedProxies: ReadonlySet<string>;
  logger: Logger;
  /** Do the presented cookies name a refresh token of a session (any state)? Then it is no guess. */
  isKnownRefreshToken: (cookies: { refreshToken: unknown; fingerprint: unknown }) => Promise<boolean>;
}): Plugin {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const calls = limitedCalls(args);
      if (calls.length === 0) return;
      const context = args.contextValue as Context;
      // Several addresses of one IPv6 /64 share one budget (T57).
      const address = rateLimitBucket(clientAddress(context.req, deps.trustedProxies));

      const credentials = calls.flatMap((c) => credentialAttempt(c, context));
      const refreshes = calls.filter((c) => c.field === 'refreshAccessToken');
      // Only a refresh that presents a token can be a guess (see auth/rate-limits.ts), and a token
      // that exists together with its session's fingerprint is none: its holder is not guessing.
      // Decided before charging, so that guesses from one address (a NAT, a /64) cannot spend the
      // budget that the real holders' refreshes from that address would need (T55).
      const presents = typeof context.cookies?.refreshToken === 'string' && context.cookies.refreshToken !== '';
      const guesses = refreshes.length > 0 && presents && !(await deps.isKnownRefreshToken(context.cookies!)) ? refreshes.length : 0;

      const refusals = await Promise.all([
        deps.limits.chargeCredentials(address, credentials),
        deps.limits.reserveRefreshes(address, guesses),
      ]);
      const refusal = refusals.reduce<Refusal | null>(
        (worst, r) => (r && (!worst || r.retryAfterSeconds > worst.retryAfterSeconds) ? r : worst),
        null,
      );
      if (refusal) {
        audit(deps.logger, { event: 'rate-limited', address, fields: calls.length });
        setResultAndStopExecution({
          errors: [
            contractError(ErrorCode.RATE_LIMITED, 'Too many attempts, try again later', {
              'Retry-After': String(refusal.retryAfterSeconds),
            }),
          ],
        });
        return;
      }
      if (guesses === 0) return;
      return {
        // A refresh that answered with a session was no guess: give its point back.
        async onExecuteDone({ result }) {
          if (isAsyncIterable(result)) return;
          const data = result.data as Record<string, unknown> | null | undefined;
          const succeeded = refreshes.filter((c) => data?.[c.responseKey] !== null && data?.[c.responseKey] !== undefined).length;
          await deps.limits.refundRefreshes(address, Math.min(succeeded, guesses));
        },
      };
    },
  };
}

function credentialAttempt(call: LimitedCall, context: Context): CredentialAttempt[] {
  switch (OPERATION_OF_FIELD[call.field]) {
    case 'sign-in': {
      const email = call.args.email;
      // Same normalisation as sign-in itself, so every spelling of an address shares one budget (T42).
      return [{ operation: 'sign-in', email: typeof email === 'string' ? normalizeEmail(email) : null }];
    }
    case 'sign-up':
      return [{ operation: 'sign-up' }];
    case 'password-change':
      return [{ operation: 'password-change', userId: context.viewer?.userId ?? null }];
    case 'refresh':
      return [];
  }
}

/**
 * Every rate-limited root field of the operation that `execute` will run, with its arguments as
 * the resolver receives them. Fragment spreads and inline fragments are followed; nothing is
 * skipped for @skip/@include.
 */
export function limitedCalls(args: Pick<ExecutionArgs, 'schema' | 'document' | 'operationName' | 'variableValues'>): LimitedCall[] {
  if (!mentionsLimitedField(args.document)) return [];
  const operation = getOperationAST(args.document, args.operationName);
  if (!operation) return []; // execute refuses it: nothing runs
  const rootType = args.schema.getRootType(operation.operation);
  if (!rootType) return [];
  const coercion = getVariableValues(args.schema, operation.variableDefinitions ?? [], args.variableValues ?? {});
  if (coercion.errors) return []; // execute refuses the same variables: nothing runs
  const variables = coercion.variableValues;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of args.document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  const calls: LimitedCall[] = [];
  const seen = new Set<string>();
  const collect = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value)) {
          seen.add(fragment.name.value);
          collect(fragment.selectionSet);
          seen.delete(fragment.name.value); // spread twice, counted twice: over-counting is safe
        }
      } else if (isLimitedField(selection.name.value)) {
        const definition = rootType.getFields()[selection.name.value];
        if (!definition) continue; // not a field of this root type: validation refused it
        calls.push({
          field: selection.name.value,
          responseKey: selection.alias?.value ?? selection.name.value,
          args: argumentsOf(definition, selection, variables),
        });
      }
    }
  };
  collect(operation.selectionSet);
  return calls;
}

/**
 * Does any selection anywhere in the document (every operation, every fragment, any depth) name a
 * rate-limited field? When none does, no operation of it can call one, whatever the operation
 * name or variables: `limitedCalls` is [] without coercing variables. Over-approximate on purpose
 * (a nested `signIn` selection also says yes; then the full walk above decides). Remembered per
 * parsed document: Yoga's parse cache hands out the same DocumentNode for the same text, so a
 * repeated `{ __typename }` costs one WeakMap lookup; a WeakMap holds nothing beyond that cache.
 */
const mentionsLimited = new WeakMap<DocumentNode, boolean>();

function mentionsLimitedField(document: DocumentNode): boolean {
  let known = mentionsLimited.get(document);
  if (known === undefined) {
    known = document.definitions.some(
      (d) => (d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION) && selectsLimited(d.selectionSet),
    );
    mentionsLimited.set(document, known);
  }
  return known;
}

function selectsLimited(selectionSet: SelectionSetNode): boolean {
  return selectionSet.selections.some((s) =>
    s.kind === Kind.FIELD
      ? isLimitedField(s.name.value) || (s.selectionSet !== undefined && selectsLimited(s.selectionSet))
      : s.kind === Kind.INLINE_FRAGMENT && selectsLimited(s.selectionSet),
  );
}

function argumentsOf(definition: GraphQLField<unknown, unknown>, node: FieldNode, variables: VariableValues): Record<string, unknown> {
  try {
    return getArgumentValues(definition, node, variables.coerced, variables.sources);
  } catch {
    return {}; // the resolver will not run either; the attempt still counts per address
  }
}
