// Security events, as structured log lines with a stable `audit` field (OWASP Logging CS, "Which
// events to log"; ASVS V16): who (user and session ids), what, why — never a secret, never the
// e-mail or password someone typed.
import type { Logger } from 'pino';

export type AuditEvent =
  | { event: 'signed-up'; userId: string; sessionId: string }
  | { event: 'signed-in'; userId: string; sessionId: string }
  | { event: 'sign-in-failed'; userId?: string }
  | { event: 'password-changed'; userId: string; sessionId: string }
  | { event: 'sessions-revoked'; reason: string; sessionIds: string[] }
  | { event: 'rate-limited'; address: string; fields: number };

export function audit(logger: Logger, entry: AuditEvent): void {
  // Revocation after refresh-token reuse is the one event that means "a token was stolen".
  const level = entry.event === 'sessions-revoked' && entry.reason === 'refresh-token-reuse' ? 'warn' : 'info';
  logger[level]({ audit: entry }, `audit: ${entry.event}`);
}
