// The API, composed in one visible place: each plugin has one job, in the order they run.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CSRF_HEADER } from '@app/shared';
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { createYoga } from 'graphql-yoga';
import type { Logger } from 'pino';
import { audit } from './audit.js';
import { CLOCK_TOLERANCE_SECONDS, createAccessTokens } from './auth/access-token.js';
import { loadKeyRing } from './auth/keys.js';
import { RevokedSessions } from './auth/revoked-sessions.js';
import { createAuthRateLimits } from './auth/rate-limits.js';
import { createSessions } from './auth/sessions.js';
import type { Config } from './config/env.js';
import { isDatabaseReachable, openDatabase } from './db/database.js';
import type { PrismaClient } from './generated/prisma/client.js';
import type { Services } from './graphql/context.js';
import { schema } from './graphql/schema.js';
import { useAuthRateLimit } from './plugins/auth-rate-limit.js';
import { useAuthentication } from './plugins/authentication.js';
import { useBodyLimit } from './plugins/body-limit.js';
import { corsFor } from './plugins/cors.js';
import { useCsrfProtection } from './plugins/csrf.js';
import { maskError, useContractErrorCodes } from './plugins/error-codes.js';
import { useGetParamsValidation } from './plugins/get-params.js';
import { useHealthAndKeys } from './plugins/health.js';
import { useResponseCookies } from './plugins/response-cookies.js';
import { createAppEvents } from './subscriptions/events.js';
import { startSubscriptionServer } from './subscriptions/websocket-server.js';

export const GRAPHQL_PATH = '/graphql';

export type RunningApi = {
  url: string;
  port: number;
  server: Server;
  /** The API's own database handle (tests inspect what was stored through it). */
  prisma: PrismaClient;
  close(): Promise<void>;
};

export async function startApi(config: Config, logger: Logger): Promise<RunningApi> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const { prisma } = database;
  const keys = await loadKeyRing({ jwks: config.jwtPrivateKeys, dataDir: config.dataDir });
  const accessTokens = createAccessTokens(keys, {
    issuer: config.issuer,
    audience: config.audience,
    ttlSeconds: config.accessTokenTtlSeconds,
  });
  // Remember revocations for as long as an access token of the session could still verify.
  const revoked = new RevokedSessions((config.accessTokenTtlSeconds + CLOCK_TOLERANCE_SECONDS) * 1000);
  const sessions = createSessions({
    prisma,
    accessTokens,
    revoked,
    settings: {
      refreshIdleTtlSeconds: config.refreshIdleTtlSeconds,
      sessionMaxAgeSeconds: config.sessionMaxAgeSeconds,
      refreshReuseGraceSeconds: config.refreshReuseGraceSeconds,
    },
  });
  sessions.onRevoke((sessionIds, reason) => audit(logger, { event: 'sessions-revoked', reason, sessionIds }));
  const reloaded = await sessions.loadRecentRevocations();
  const pruneTimer = setInterval(() => revoked.prune(), 60_000).unref();
  // Refresh-token rows of ended sessions and expired tokens are deleted (ADR 0009).
  const refreshTokenPruneTimer = setInterval(() => {
    sessions.pruneRefreshTokens().catch((error: unknown) => logger.warn({ err: error }, 'pruning refresh tokens failed'));
  }, 60_000).unref();

  // One event bus per process: `addNote` publishes, `noteAdded` subscribers listen (per-user topics).
  const events = createAppEvents();

  const limits = createAuthRateLimits(config.rateLimits);
  const development = config.env === 'development';
  // OWASP GraphQL CS, "Query limiting" (T37): depth, aliases, cost, directives and tokens are
  // bounded at parse/validation time, before anything executes. Field suggestions leak the schema.
  const armor = new EnvelopArmor({
    maxDepth: { n: 8 },
    maxAliases: { n: 10 },
    costLimit: { maxCost: 2000 },
    maxDirectives: { n: 10 },
    maxTokens: { n: 1000 },
    blockFieldSuggestion: { enabled: !development },
  }).protect();

  const yoga = createYoga<object, Services>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    logging: logger,
    landingPage: false,
    graphiql: development ? { headers: JSON.stringify({ [CSRF_HEADER]: '1' }) } : false,
    // One operation per request: array batches would multiply every limit below (T36).
    batching: false,
    maskedErrors: { maskError },
    cors: corsFor(config.webOrigins),
    context: (): Services => ({ prisma, sessions, logger, events }),
    plugins: [
      useBodyLimit({ maxBytes: config.maxBodyBytes }),
      useHealthAndKeys({ isDatabaseReachable: () => isDatabaseReachable(prisma), publicJwks: keys.publicJwks }),
      useCsrfProtection({ graphqlPath: GRAPHQL_PATH }),
      useGetParamsValidation({ graphqlPath: GRAPHQL_PATH }),
      useAuthRateLimit({ limits, trustedProxies: config.trustedProxies, logger }),
      ...armor.plugins,
      // OWASP GraphQL CS: don't hand out the schema outside development (T38).
      ...(development ? [] : [useDisableIntrospection()]),
      useResponseCookies(),
      useAuthentication({ accessTokens, isRevoked: sessions.isRevoked }),
      useContractErrorCodes(),
    ],
  });

  const server = createServer(yoga);
  // Subscriptions: graphql-ws on the same server and path, authenticated per socket and closed
  // when its token expires or its session is revoked (CONTRACT "Subscriptions", T15, T48).
  const subscriptions = startSubscriptionServer({
    server,
    path: GRAPHQL_PATH,
    yoga,
    accessTokens,
    sessions,
    allowedOrigins: config.webOrigins,
    maxPayloadBytes: config.maxBodyBytes,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  logger.info({ port, embeddedDatabase: database.embedded, revokedSessionsReloaded: reloaded }, 'API listening');

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    prisma,
    async close() {
      clearInterval(pruneTimer);
      clearInterval(refreshTokenPruneTimer);
      await subscriptions.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    },
  };
}
