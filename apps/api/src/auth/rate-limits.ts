// Rate limits for the credential-handling operations (OWASP Authentication CS, "Protect against
// automated attacks"; ASVS V6.3; THREATS T35, T36, T42, T43, T55, T56). Operations are known here by
// their domain names; which GraphQL fields they are is the plugin's business.
//  - sign-in per account: slows brute force on one account; fixed windows, so an attacker can
//    delay the real user for at most one window, never lock them out for good (T42).
//    Password changes are guesses at the current password of one account too: they are charged
//    to the same budget, keyed by the user rather than the e-mail;
//  - sign-in + sign-up + password change per client address: slows credential stuffing across
//    accounts (T43) and guessing the current password with a stolen session;
//  - FAILED refreshes per client address (RATE_LIMIT_REFRESH_PER_ADDRESS): a refresh that presents
//    a token no session knows (with that fingerprint) is charged up front, and any refresh is
//    refunded when it succeeds, so only guesses (unknown, expired or malformed tokens) stay counted;
//    a known token is never refused for its neighbours' guesses (one NAT, one /64). A successful refresh is bounded by whoever
//    holds the token; counting those would let another site exhaust the victim's budget by
//    making the victim's browser refresh in a loop (T55). A refresh with no cookie guesses
//    nothing and is not counted.
// Every attempt counts: 1,000 aliased signIn fields in one document cost 1,000 attempts (T35).
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export type RateLimitSettings = {
  windowSeconds: number;
  signInPerAccount: number;
  authPerAddress: number;
  refreshPerAddress: number;
};

/** A store for one budget. The default keeps counts in this process; pass a shared one for several instances. */
export type LimiterFactory = (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;

/** One attempt to prove who you are, as the resolver will receive it. */
export type CredentialAttempt =
  { operation: 'sign-in'; email: string | null } | { operation: 'sign-up' } | { operation: 'password-change'; userId: string | null };

export type Refusal = { retryAfterSeconds: number };

export const inMemoryLimiters: LimiterFactory = (options) => new RateLimiterMemory(options);

export function createAuthRateLimits(settings: RateLimitSettings, createLimiter: LimiterFactory = inMemoryLimiters) {
  const duration = settings.windowSeconds;
  const perAccount = createLimiter({ keyPrefix: 'sign-in-account', points: settings.signInPerAccount, duration });
  const perAddress = createLimiter({ keyPrefix: 'auth-address', points: settings.authPerAddress, duration });
  const failedRefreshes = createLimiter({ keyPrefix: 'refresh-failures-address', points: settings.refreshPerAddress, duration });

  /** Charges every credential attempt of one request; a refusal when any budget is spent. */
  async function chargeCredentials(address: string, attempts: CredentialAttempt[]): Promise<Refusal | null> {
    if (attempts.length === 0) return null;
    const perKey = new Map<string, number>();
    for (const a of attempts) {
      const key = accountKey(a);
      if (key) perKey.set(key, (perKey.get(key) ?? 0) + 1);
    }
    return settle([perAddress.consume(address, attempts.length), ...[...perKey].map(([key, n]) => perAccount.consume(key, n))]);
  }

  /** Reserves `count` failed-refresh points; give back the ones that succeed with refundRefreshes. */
  async function reserveRefreshes(address: string, count: number): Promise<Refusal | null> {
    return count > 0 ? settle([failedRefreshes.consume(address, count)]) : null;
  }

  async function refundRefreshes(address: string, count: number): Promise<void> {
    if (count > 0) await failedRefreshes.reward(address, count);
  }

  return { chargeCredentials, reserveRefreshes, refundRefreshes };
}

/** The account an attempt guesses a password of, if it names one. */
function accountKey(attempt: CredentialAttempt): string | null {
  if (attempt.operation === 'sign-in' && attempt.email !== null) return `email:${attempt.email}`;
  if (attempt.operation === 'password-change' && attempt.userId !== null) return `user:${attempt.userId}`;
  return null;
}

/** Waits for every charge (all are counted, even when one refuses) and reports the longest wait. */
async function settle(charges: Promise<RateLimiterRes>[]): Promise<Refusal | null> {
  let refused = false;
  let waitMs = 0;
  for (const r of await Promise.allSettled(charges)) {
    if (r.status === 'rejected') {
      if (!(r.reason instanceof RateLimiterRes)) throw r.reason;
      refused = true;
      waitMs = Math.max(waitMs, r.reason.msBeforeNext);
    }
  }
  return refused ? { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) } : null;
}

export type AuthRateLimits = ReturnType<typeof createAuthRateLimits>;
