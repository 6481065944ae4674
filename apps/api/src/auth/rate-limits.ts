// Rate limits for the credential-handling mutations (OWASP Authentication CS, "Protect against
// automated attacks"; ASVS V6.3; THREATS T35, T36, T42, T43).
//  - sign-in per account: slows brute force on one account; fixed windows, so an attacker can
//    delay the real user for at most one window, never lock them out for good (T42);
//  - sign-in + sign-up + password change per client address: slows credential stuffing across
//    accounts (T43) and guessing the current password with a stolen session;
//  - refresh per client address: bounds refresh floods.
// Every field counts: 1,000 aliased signIn fields in one document cost 1,000 attempts (T35).
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export type RateLimitSettings = {
  windowSeconds: number;
  signInPerAccount: number;
  authPerAddress: number;
  refreshPerAddress: number;
};

export type AuthAttempt = { field: 'signIn' | 'signUp' | 'changePassword' | 'refreshAccessToken'; email?: string };

export function createAuthRateLimits(
  settings: RateLimitSettings,
  makeLimiter: (o: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract = (o) => new RateLimiterMemory(o),
) {
  const duration = settings.windowSeconds;
  const perAccount = makeLimiter({ keyPrefix: 'sign-in-account', points: settings.signInPerAccount, duration });
  const perAddress = makeLimiter({ keyPrefix: 'auth-address', points: settings.authPerAddress, duration });
  const refreshPerAddress = makeLimiter({ keyPrefix: 'refresh-address', points: settings.refreshPerAddress, duration });

  /** Charges all attempts of one request; returns seconds to wait when any budget is exhausted. */
  async function charge(address: string, attempts: AuthAttempt[]): Promise<{ retryAfterSeconds: number } | null> {
    const credentialAttempts = attempts.filter((a) => a.field !== 'refreshAccessToken').length;
    const refreshes = attempts.length - credentialAttempts;
    const perEmail = new Map<string, number>();
    for (const a of attempts) {
      if (a.field === 'signIn' && a.email) perEmail.set(a.email, (perEmail.get(a.email) ?? 0) + 1);
    }
    const charges: Promise<unknown>[] = [];
    if (credentialAttempts > 0) charges.push(perAddress.consume(address, credentialAttempts));
    if (refreshes > 0) charges.push(refreshPerAddress.consume(address, refreshes));
    for (const [email, count] of perEmail) charges.push(perAccount.consume(email, count));

    const results = await Promise.allSettled(charges);
    let waitMs = 0;
    for (const r of results) {
      if (r.status === 'rejected') {
        if (!(r.reason instanceof RateLimiterRes)) throw r.reason;
        waitMs = Math.max(waitMs, r.reason.msBeforeNext);
      }
    }
    return waitMs > 0 ? { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) } : null;
  }

  return { charge };
}

export type AuthRateLimits = ReturnType<typeof createAuthRateLimits>;
