// isDatabaseReachable backs /readyz: it must turn false within about a second when the
// database goes away (refused or hung), and true again by itself when it is back. How fast is
// measured, not asserted (no timed assertions in tests); a hang fails through the test timeout.
// Runs against whatever createTestDatabase gives (embedded, or PostgreSQL), behind a proxy
// the test can unplug.
import { PrismaPg } from '@prisma/adapter-pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseReachable, openDatabase, type Database } from '../../src/db/database.js';
import { PrismaClient } from '../../src/generated/prisma/client.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

describe('database readiness', () => {
  let testDb: TestDatabase;
  let proxy: TcpProxy;
  let db: Database;

  // Outage and recovery need a server whose connections can be cut: real PostgreSQL only. (PGlite
  // is one session behind a single-connection pool; a multi-connection pool through a proxy to it
  // is not a configuration the API ever uses.)
  const realServer = !!process.env.TEST_DATABASE_ADMIN_URL;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    if (!realServer) return;
    const target = new URL(testDb.databaseUrl!);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(target);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    db = await openDatabase({ databaseUrl: viaProxy.href, dataDir: testDb.dataDir });
  });
  afterAll(async () => {
    await db?.close();
    await proxy?.stop();
    await testDb?.drop();
  });

  it.skipIf(!realServer)('is reachable, turns unreachable fast when the server goes away, and recovers by itself', async () => {
    expect(await isDatabaseReachable(db.prisma)).toBe(true);

    await proxy.stop();
    expect(await isDatabaseReachable(db.prisma)).toBe(false);

    await proxy.start();
    const deadline = Date.now() + 20_000; // liveness bound, not a speed claim
    let up = false;
    while (!up && Date.now() < deadline) {
      up = await isDatabaseReachable(db.prisma);
      if (!up) await new Promise((r) => setTimeout(r, 100));
    }
    expect(up).toBe(true);
    expect(await db.prisma.user.count()).toBeGreaterThanOrEqual(0);
  });

  it('answers false within ~1 s when the server accepts but never answers', async () => {
    const hung = await startTcpProxy('blackhole');
    const prisma = new PrismaClient({
      adapter: new PrismaPg({ connectionString: `postgresql://postgres@127.0.0.1:${hung.port}/postgres`, connectionTimeoutMillis: 2000 }),
    });
    try {
      expect(await isDatabaseReachable(prisma)).toBe(false);
    } finally {
      await prisma.$disconnect();
      await hung.stop();
    }
  });

  it('fails to open (rather than hanging) when the server accepts but never answers', async () => {
    const hung = await startTcpProxy('blackhole');
    try {
      const open = await openDatabase({
        databaseUrl: `postgresql://postgres@127.0.0.1:${hung.port}/postgres`,
        dataDir: testDb.dataDir,
      }).then(
        () => 'opened',
        (err: unknown) => err,
      );
      expect(open).toBeInstanceOf(Error);
    } finally {
      await hung.stop();
    }
  });
});
