// The plain-SQL account lookups of sign-in and `me` (src/auth/user-store.ts) answer exactly what
// Prisma answers for the same row, on both databases, and match only the exact value given
// (callers pass an e-mail parseEmail accepted, or the id of a verified token).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserStore, type UserStore } from '../../src/auth/user-store.js';
import type { User } from '../../src/generated/prisma/client.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

let t: TestApi;
let users: UserStore;
let user: User;
beforeAll(async () => {
  t = await startTestApi();
  users = createUserStore(t.api.sql);
  user = await t.api.prisma.user.create({ data: { email: `store-${Date.now()}@example.com`, passwordHash: '$argon2id$v=19$x' } });
});
afterAll(() => t?.close());

describe('user store', () => {
  it('by e-mail and by id: the very row Prisma reads (same fields, same types)', async () => {
    const viaPrisma = await t.api.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await users.byEmail(user.email)).toEqual(viaPrisma);
    expect(await users.byId(user.id)).toEqual(viaPrisma);
    expect((await users.byId(user.id))?.createdAt).toBeInstanceOf(Date);
  });

  it('nothing for an unknown account, and only the exact stored e-mail matches', async () => {
    expect(await users.byId('00000000-0000-4000-8000-000000000000')).toBeNull();
    for (const other of [
      user.email.toUpperCase(),
      ` ${user.email}`,
      user.email.replace('@', '%'),
      `' OR '1'='1`,
      `${user.email}' OR '1'='1`,
      '%',
    ]) {
      expect(await users.byEmail(other)).toBeNull();
    }
  });

  it('a value no account can have is refused without a query, and the next queries still work (PGlite broke its connection on a bind error)', async () => {
    for (const id of ['not-a-uuid', '', `' OR 1=1 --`, `${user.id}\u0000`, `{${user.id}}`]) {
      expect(await users.byId(id)).toBeNull();
      expect(await users.byId(user.id)).not.toBeNull();
      expect(await t.api.prisma.user.count({ where: { id: user.id } })).toBe(1);
    }
    for (const email of [`${user.email}\u0000`, `\u0000${user.email}`, '', 'a'.repeat(255)]) {
      expect(await users.byEmail(email)).toBeNull();
      expect(await users.byEmail(user.email)).not.toBeNull();
    }
  });
});
