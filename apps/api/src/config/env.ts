// Environment, parsed and validated once at start (zod). A bad value stops the process
// with a message that names the variable; nothing else in the API reads process.env.
import path from 'node:path';
import { z } from 'zod';
import { repoRoot } from '../db/paths.js';

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    API_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    /** Loopback by default: the web server is the API's front door; `0.0.0.0` in containers. */
    API_HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    /** Optional direct (session-mode) connection for LISTEN, when DATABASE_URL goes through a transaction pooler. */
    DATABASE_LISTEN_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    /** Several instances: how often each re-reads recent revocations (a safety net behind NOTIFY; also the listener's heartbeat). */
    REVOCATION_SWEEP_SECONDS: seconds(5),
    DATA_DIR: z.string().default(path.join(repoRoot, '.data')),
    // Contract: access tokens live at most 15 minutes.
    ACCESS_TOKEN_TTL_SECONDS: seconds(300).refine((v) => v <= 900, 'must be ≤ 900 (contract)'),
    REFRESH_IDLE_TTL_SECONDS: seconds(7 * 24 * 3600),
    SESSION_MAX_AGE_SECONDS: seconds(30 * 24 * 3600),
    REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).default(10),
    JWT_PRIVATE_KEYS: z.string().optional(),
    JWT_ISSUER: z.string().min(1).default('urn:jwt-auth-reference:api'),
    JWT_AUDIENCE: z.string().min(1).default('urn:jwt-auth-reference:web'),
    /** Origins allowed by CORS (comma-separated). The browser normally uses the web proxy (same origin). */
    WEB_ORIGINS: z.string().default('http://localhost:3000,http://127.0.0.1:3000'),
    /** Peers whose X-Forwarded-For is believed (the web app's proxy runs on loopback). */
    TRUSTED_PROXIES: z.string().default('127.0.0.1,::1,::ffff:127.0.0.1'),
    RATE_LIMIT_WINDOW_SECONDS: seconds(600),
    RATE_LIMIT_SIGN_IN_PER_ACCOUNT: seconds(10),
    RATE_LIMIT_AUTH_PER_ADDRESS: seconds(60),
    /** FAILED refreshes (a presented token that was refused) per client address per window. */
    RATE_LIMIT_REFRESH_PER_ADDRESS: seconds(600),
    /** Largest accepted request body (T39). */
    MAX_BODY_BYTES: seconds(64 * 1024),
    /** WebSocket caps (subscriptions/socket-limits.ts); exceeding one closes the socket with 4429. */
    WS_MAX_SUBSCRIPTIONS_PER_SOCKET: seconds(20),
    WS_MAX_SOCKETS_PER_USER: seconds(16),
    WS_MAX_MESSAGES_PER_WINDOW: seconds(100),
    WS_MESSAGE_WINDOW_SECONDS: seconds(10),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .refine((env) => env.NODE_ENV !== 'production' || !!env.JWT_PRIVATE_KEYS, {
    message: 'JWT_PRIVATE_KEYS is required in production (a JWKS of private keys; the first one signs)',
    path: ['JWT_PRIVATE_KEYS'],
  });

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  databaseListenUrl: string | undefined;
  revocationSweepSeconds: number;
  dataDir: string;
  accessTokenTtlSeconds: number;
  refreshIdleTtlSeconds: number;
  sessionMaxAgeSeconds: number;
  refreshReuseGraceSeconds: number;
  jwtPrivateKeys: string | undefined;
  issuer: string;
  audience: string;
  webOrigins: string[];
  trustedProxies: Set<string>;
  rateLimits: { windowSeconds: number; signInPerAccount: number; authPerAddress: number; refreshPerAddress: number };
  maxBodyBytes: number;
  socketLimits: {
    maxSubscriptionsPerSocket: number;
    maxSocketsPerUser: number;
    maxMessagesPerWindow: number;
    messageWindowMs: number;
  };
  logLevel: string;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    port: e.API_PORT,
    host: e.API_HOST,
    databaseUrl: e.DATABASE_URL,
    databaseListenUrl: e.DATABASE_LISTEN_URL,
    revocationSweepSeconds: e.REVOCATION_SWEEP_SECONDS,
    dataDir: path.resolve(e.DATA_DIR),
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshIdleTtlSeconds: e.REFRESH_IDLE_TTL_SECONDS,
    sessionMaxAgeSeconds: e.SESSION_MAX_AGE_SECONDS,
    refreshReuseGraceSeconds: e.REFRESH_REUSE_GRACE_SECONDS,
    jwtPrivateKeys: e.JWT_PRIVATE_KEYS,
    issuer: e.JWT_ISSUER,
    audience: e.JWT_AUDIENCE,
    webOrigins: e.WEB_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    trustedProxies: new Set(
      e.TRUSTED_PROXIES.split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    ),
    rateLimits: {
      windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
      signInPerAccount: e.RATE_LIMIT_SIGN_IN_PER_ACCOUNT,
      authPerAddress: e.RATE_LIMIT_AUTH_PER_ADDRESS,
      refreshPerAddress: e.RATE_LIMIT_REFRESH_PER_ADDRESS,
    },
    maxBodyBytes: e.MAX_BODY_BYTES,
    socketLimits: {
      maxSubscriptionsPerSocket: e.WS_MAX_SUBSCRIPTIONS_PER_SOCKET,
      maxSocketsPerUser: e.WS_MAX_SOCKETS_PER_USER,
      maxMessagesPerWindow: e.WS_MAX_MESSAGES_PER_WINDOW,
      messageWindowMs: e.WS_MESSAGE_WINDOW_SECONDS * 1000,
    },
    logLevel: e.LOG_LEVEL,
  };
}
