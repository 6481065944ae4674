// The API, composed in one visible place: each plugin has one job, in the order they run.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CSRF_HEADER } from '@app/shared';
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { createYoga } from 'graphql-yoga';
import type { Logger } from 'pino';
import { audit } from './audit.js';
import { CLOCK_TOLERANCE_SECONDS, createAccessTokens } from './auth/access-token.js';
import { loadKeyRing } from './auth/keys.js';
import { RevokedSessions } from './auth/revoked-sessions.js';
import { createAuthRateLimits } from './auth/rate-limits.js';
import { inMemoryLimiters, postgresLimiters } from './auth/rate-limit-store.js';
import { createSessions } from './auth/sessions.js';
import { createUserStore } from './auth/user-store.js';
import { createNoteStore } from './notes/note-store.js';
import { joinInstances, singleProcess } from './cluster/instances.js';
import type { Config } from './config/env.js';
import { isDatabaseReachable, openDatabase } from './db/database.js';
import type { SqlClient } from './db/sql.js';
import { guardRequests } from './http/request-edge.js';
import type { PrismaClient } from './generated/prisma/client.js';
import type { Services } from './graphql/context.js';
import { schema } from './graphql/schema.js';
import { useAuthRateLimit } from './plugins/auth-rate-limit.js';
import { useAuthentication } from './plugins/authentication.js';
import { useBodyLimit } from './plugins/body-limit.js';
import { corsFor } from './plugins/cors.js';
import { useCsrfProtection } from './plugins/csrf.js';
import { useJsonOrGetRequestsOnly } from './plugins/request-parsers.js';
import { useNoIntrospection } from './plugins/no-introspection.js';
import { maskError, useContractErrorCodes } from './plugins/error-codes.js';
import { useGetParamsValidation } from './plugins/get-params.js';
import { HEALTH_AND_KEYS_PATHS, useHealthAndKeys } from './plugins/health.js';
import { useResponseCookies } from './plugins/response-cookies.js';
import { useValidationCache } from './plugins/validation-cache.js';
import { startSubscriptionServer } from './subscriptions/websocket-server.js';

export const GRAPHQL_PATH = '/graphql';

export type RunningApi = {
  url: string;
  port: number;
  server: Server;
  /** The API's own database handle (tests inspect what was stored through it). */
  prisma: PrismaClient;
  /** Its plain-SQL handle on the same pool (db/sql.ts). */
  sql: SqlClient;
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
    sql: database.sql,
    accessTokens,
    revoked,
    settings: {
      refreshIdleTtlSeconds: config.refreshIdleTtlSeconds,
      sessionMaxAgeSeconds: config.sessionMaxAgeSeconds,
      refreshReuseGraceSeconds: config.refreshReuseGraceSeconds,
    },
  });
  // Several instances on one PostgreSQL database share revocations, note events and rate-limit
  // budgets through it (CONTRACT "Several API instances", docs/decisions/0010 and 0011).
  const instances = database.embedded
    ? singleProcess({ revoked, logger })
    : await joinInstances({
        databaseUrl: database.url,
        listenUrl: config.databaseListenUrl,
        sweepSeconds: config.revocationSweepSeconds,
        prisma,
        revoked,
        logger,
      });
  sessions.onRevoke((sessionIds, reason) => {
    audit(logger, { event: 'sessions-revoked', reason, sessionIds });
    instances.revocations.local(sessionIds);
  });
  const reloaded = await sessions.loadRecentRevocations();
  // The deny-list holds the other instances' revocations only while this instance hears them. In a
  // listener gap it may have missed one, and a balancer that does not route on /readyz (nginx OSS)
  // still sends traffic here: so during the gap the database decides (T48; docs/decisions/0010).
  // Synchronous while this instance listens (the usual case): no promise per authenticated request.
  const isRevoked = (sessionId: string): boolean | Promise<boolean> =>
    sessions.isRevoked(sessionId) || (!instances.isListening() && sessions.isRevokedInDatabase(sessionId));
  const users = createUserStore(database.sql);
  const notes = createNoteStore(database.sql);
  const pruneTimer = setInterval(() => revoked.prune(), 60_000).unref();
  // Refresh-token rows of ended sessions and expired tokens are deleted (ADR 0009).
  const refreshTokenPruneTimer = setInterval(() => {
    sessions.pruneRefreshTokens().catch((error: unknown) => logger.warn({ err: error }, 'pruning refresh tokens failed'));
  }, 60_000).unref();

  // `addNote` publishes, `noteAdded` subscribers listen (per-user topics).
  const { events } = instances;

  const limits = createAuthRateLimits(config.rateLimits, instances.pool ? postgresLimiters(instances.pool) : inMemoryLimiters);
  const development = config.env === 'development';
  // OWASP GraphQL CS, "Query limiting" (T37): depth, aliases, cost, directives and tokens are
  // bounded at parse/validation time, before anything executes. Field suggestions leak the schema.
  // Introspection gets the same limits (armor skips `__schema` by default): a 40-deep `ofType`
  // chain is as costly as any other deep query. GraphiQL's schema explorer in development needs
  // depth 21, so it shows no docs; queries still run.
  const armor = new EnvelopArmor({
    maxDepth: { n: 8, ignoreIntrospection: false },
    maxAliases: { n: 10 },
    costLimit: { maxCost: 2000, ignoreIntrospection: false },
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
    // No form encodings: see plugins/request-parsers.ts (T24, T56).
    multipart: false,
    // The body limit is plugins/body-limit.ts (a declared length ≤ MAX_BODY_BYTES on every request,
    // Content-Length required on POST); Yoga's own would count the same bytes again through a
    // stream pipeline on every request (see that file).
    maxRequestBodySize: false,
    // Yoga's parse cache stays; its validation cache is plugins/validation-cache.ts (see that file).
    parserAndValidationCache: { validationCache: false },
    maskedErrors: { maskError },
    cors: corsFor(config.webOrigins),
    context: (): Services => ({ prisma, sessions, users, notes, logger, events }),
    plugins: [
      useBodyLimit({ maxBytes: config.maxBodyBytes }),
      useHealthAndKeys({
        isDatabaseReachable: () => isDatabaseReachable(prisma),
        isListening: instances.isListening,
        publicJwks: keys.publicJwks,
      }),
      useCsrfProtection(),
      useJsonOrGetRequestsOnly(),
      useGetParamsValidation({ graphqlPath: GRAPHQL_PATH }),
      useAuthRateLimit({
        limits,
        trustedProxies: config.trustedProxies,
        logger,
        isKnownRefreshToken: (cookies) => sessions.isKnownRefreshToken(cookies),
      }),
      ...armor.plugins,
      // OWASP GraphQL CS: don't hand out the schema outside development (T38).
      ...(development ? [] : [useNoIntrospection()]),
      useResponseCookies(),
      useAuthentication({ accessTokens, isRevoked }),
      useContractErrorCodes(),
      useValidationCache(),
    ],
  });

  // Only well-formed Hosts and the exact paths below reach Yoga (http/request-edge.ts; T56).
  const server = createServer(guardRequests(yoga, { paths: new Set([GRAPHQL_PATH, ...HEALTH_AND_KEYS_PATHS]) }));
  // Subscriptions: graphql-ws on the same server and path, authenticated per socket and closed
  // when its token expires or its session is revoked (docs/api-contract.md, "Subscriptions"; T15, T48).
  const subscriptions = startSubscriptionServer({
    server,
    path: GRAPHQL_PATH,
    yoga,
    accessTokens,
    sessions,
    revocations: instances.revocations,
    isRevoked,
    allowedOrigins: config.webOrigins,
    maxPayloadBytes: config.maxBodyBytes,
    limits: config.socketLimits,
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
    sql: database.sql,
    async close() {
      clearInterval(pruneTimer);
      clearInterval(refreshTokenPruneTimer);
      await subscriptions.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await instances.close();
      await database.close();
    },
  };
}
