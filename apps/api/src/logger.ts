// Structured logs (pino). Redaction is a safety net: we never log tokens, cookies or passwords
// on purpose, and these paths make sure an accidental log of a request or variables doesn't either.
import { pino, type DestinationStream, type Logger } from 'pino';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.accessToken',
  '*.refreshToken',
  'variables.*',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'api' } };
  return destination ? pino(options, destination) : pino(options);
}
