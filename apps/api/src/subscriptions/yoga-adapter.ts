// Yoga ↔ graphql-ws: every operation on a socket runs through Yoga's envelop (parse, validation
// limits, context building, error masking), as in Yoga's graphql-ws integration guide. Its
// context is built by the same authentication plugin as HTTP, from the socket's token and upgrade
// cookie. Only subscriptions are served here: queries and mutations go over HTTP, where CSRF,
// body-size and rate-limit checks and Set-Cookie live (OWASP GraphQL CS: one path per capability;
// T56) — a mutation over the socket would bypass every one of them.
import { getOperationAST, type ExecutionArgs, type GraphQLError } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import { createGraphQLError, type YogaServerInstance } from 'graphql-yoga';
import type { WebSocket } from 'ws';
import type { SocketConnection } from './socket-lifetimes.js';

/**
 * graphql-ws accepts only errors that are `instanceof` ITS `GraphQLError`; under a bundler or test
 * runner our own `graphql` import can be a second copy of the module (dual-package hazard), so
 * errors are (re)built with Yoga's factory, which shares graphql-ws's copy.
 */
export function asErrors(error: unknown, fallback: string): GraphQLError[] {
  if (error instanceof Error && error.name === 'GraphQLError') {
    const { extensions } = error as GraphQLError;
    return [createGraphQLError(error.message, { extensions })];
  }
  return [createGraphQLError(fallback)];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Yoga app; we only use getEnveloped
type AnyYoga = YogaServerInstance<any, any>;
type Enveloped = ReturnType<AnyYoga['getEnveloped']>;

/**
 * Yoga's example hands graphql-ws the envelop's own `execute`/`subscribe` through `rootValue`
 * (graphql-ws calls one `execute` for every operation; the envelop is per operation). This is
 * the one place that reads it back.
 */
type EnvelopedArgs = ExecutionArgs & { rootValue: Pick<Enveloped, 'execute' | 'subscribe'> };
const envelopedOf = (args: ExecutionArgs) => (args as EnvelopedArgs).rootValue;

export function createYogaAdapter(deps: {
  yoga: AnyYoga;
  path: string;
  connectionOf: (socket: WebSocket) => SocketConnection | undefined;
  /** Called before anything is parsed; a non-null answer refuses the operation. */
  admit: (ctx: { socket: WebSocket; liveOperations: number }) => GraphQLError[] | null;
}): Pick<ServerOptions<Record<string, unknown>, Extra>, 'onSubscribe' | 'execute' | 'subscribe'> {
  return {
    onSubscribe: async (ctx, _id, payload) => {
      const { socket, request: req } = ctx.extra;
      const connection = deps.connectionOf(socket);
      if (!connection) return asErrors(null, 'Unauthorized');
      const refused = deps.admit({ socket, liveOperations: Object.keys(ctx.subscriptions).length });
      if (refused) return refused;
      const request = new Request(`http://localhost${deps.path}`, {
        headers: { authorization: connection.authorization, cookie: req.headers.cookie ?? '' },
      });
      const { schema, execute, subscribe, contextFactory, parse, validate } = deps.yoga.getEnveloped({
        req,
        socket,
        request,
        params: payload,
        transport: 'websocket',
      });
      let document;
      try {
        document = parse(payload.query);
      } catch (error) {
        return asErrors(error, 'Syntax error');
      }
      // Only subscriptions, decided on the operation that would run (T56).
      if (getOperationAST(document, payload.operationName)?.operation !== 'subscription') {
        return asErrors(null, 'Only subscriptions are served over WebSocket; use HTTP');
      }
      const errors = validate(schema, document);
      if (errors.length > 0) return errors;
      let contextValue;
      try {
        contextValue = await contextFactory();
      } catch (error) {
        return asErrors(error, 'Unauthorized');
      }
      const args: EnvelopedArgs = {
        schema,
        operationName: payload.operationName ?? null,
        document,
        variableValues: payload.variables ?? null,
        contextValue,
        rootValue: { execute, subscribe },
      };
      return args;
    },
    execute: (args) => envelopedOf(args).execute(args),
    subscribe: (args) => envelopedOf(args).subscribe(args),
  };
}
