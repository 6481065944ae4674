// Where rate-limit budgets live. One process (embedded database): in memory. Several API
// instances on PostgreSQL: rate-limiter-flexible's PostgreSQL store, in the `rate_limits` table
// created by a Prisma migration (not at runtime: `tableCreated: true`), so one account's budget
// is one budget however many instances the guesses are spread over (T42, T43; CONTRACT "Several
// API instances"; docs/decisions/0011).
//
// If the table cannot be reached, each limiter falls back to an in-memory one with the same
// budget (the library's `insuranceLimiter`): limits never switch off, they only stop being
// shared while the database is failing — when sign-in, which needs the database, fails anyway.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres } from 'rate-limiter-flexible';
import type { LimiterFactory } from './rate-limits.js';
export { inMemoryLimiters } from './rate-limits.js';

export const RATE_LIMIT_TABLE = 'rate_limits';

/**
 * Keys are stored as SHA-256 of `<prefix>:<key>`: bounded in length whatever e-mail a client
 * sends (the primary key's index has a size limit), and no e-mail address or IP in the table.
 */
class HashedKeyPostgresLimiter extends RateLimiterPostgres {
  override getKey(key: string | number): string {
    return createHash('sha256').update(super.getKey(key)).digest('hex');
  }
}

export function postgresLimiters(pool: pg.Pool): LimiterFactory {
  return (o) =>
    new HashedKeyPostgresLimiter({
      ...o,
      storeClient: pool,
      storeType: 'pool',
      tableName: RATE_LIMIT_TABLE,
      tableCreated: true,
      insuranceLimiter: new RateLimiterMemory(o),
    });
}
