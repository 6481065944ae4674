// The rotation compacts spent tokens in SQL (newSpentDigestsSql, run inside its one statement);
// withSpentTokens is the readable reference of the same rule. They must agree byte for byte, or a
// replay of a compacted token would stop being recognised (T17, ADR 0009).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../../src/generated/prisma/client.js';
import { sha256Hex } from '../../src/auth/secrets.js';
import { MAX_SPENT_RECORDS, newSpentDigestsSql, SPENT_TOKEN_RECORD_BYTES, withSpentTokens } from '../../src/auth/spent-tokens.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

describe('spent-token digests in SQL', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(() => t?.close());

  const now = new Date('2026-12-01T12:00:00.250Z');
  const nowSeconds = Math.floor(now.getTime() / 1000);

  /** Runs the SQL expression over `list` and a VALUES relation of `spent`. */
  async function inSql(list: Uint8Array | null, spent: { tokenHash: string; expiresAt: Date }[]): Promise<Buffer> {
    const relation =
      spent.length === 0
        ? Prisma.sql`(SELECT NULL::text AS token_hash, NULL::timestamptz AS expires_at WHERE false) AS spent`
        : Prisma.sql`(VALUES ${Prisma.join(spent.map((s) => Prisma.sql`(${s.tokenHash}::text, ${s.expiresAt}::timestamptz)`))}) AS spent(token_hash, expires_at)`;
    const listSql = list === null ? Prisma.sql`NULL::bytea` : Prisma.sql`${Buffer.from(list)}::bytea`;
    const rows = await t.api.sql.rows<{ digests: Uint8Array }>(Prisma.sql`
      SELECT ${newSpentDigestsSql(listSql, relation, nowSeconds)} AS digests`);
    return Buffer.from(rows[0]!.digests);
  }

  // Expiries around `now`, to the millisecond and to whole seconds (the records keep seconds).
  const expiry = fc.integer({ min: -5_000, max: 5_000 }).map((ms) => new Date(now.getTime() + ms));
  const token = fc.record({ tokenHash: fc.string({ minLength: 1 }).map(sha256Hex), expiresAt: expiry });

  it('T17 agree with withSpentTokens on every list and batch, expired and live, in any order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.option(fc.array(token, { maxLength: 12 })), fc.array(token, { maxLength: 6 }), async (before, spent) => {
        // A stored list is one that withSpentTokens produced at some earlier moment.
        const list = before === null ? null : withSpentTokens(null, before, new Date(now.getTime() - 10_000));
        const expected = Buffer.from(withSpentTokens(list, spent, now));
        expect((await inSql(list, spent)).toString('hex')).toBe(expected.toString('hex'));
      }),
      { numRuns: 150 },
    );
  });

  it('keep only the newest MAX_SPENT_RECORDS records', async () => {
    const live = new Date(now.getTime() + 3_600_000);
    const full = withSpentTokens(
      null,
      Array.from({ length: MAX_SPENT_RECORDS }, (_, i) => ({ tokenHash: sha256Hex(`old ${i}`), expiresAt: live })),
      now,
    );
    const spent = [{ tokenHash: sha256Hex('newest'), expiresAt: new Date(live.getTime() + 1000) }];
    const out = await inSql(full, spent);
    expect(out.length).toBe(MAX_SPENT_RECORDS * SPENT_TOKEN_RECORD_BYTES);
    expect(out.toString('hex')).toBe(Buffer.from(withSpentTokens(full, spent, now)).toString('hex'));
  });
});
