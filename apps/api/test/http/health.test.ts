// Liveness and readiness (THREATS T51, T52): /readyz follows the database, and recovers by itself.
import { ME } from '@app/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refresh, signUp } from '../support/flows.js';
import { graphql } from '../support/http-client.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { sleep, startTestApi, type TestApi } from '../support/test-api.js';

describe('health endpoints', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(() => t?.close());

  it('/healthz and /readyz answer 200 while the database is up', async () => {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('T52 sessions survive an API restart, and so do revocations', async () => {
    const kept = await signUp(t.url);
    const revoked = await signUp(t.url);
    await graphql(t.url, 'mutation { signOut }', {}, { token: revoked.token, jar: revoked.jar.clone() });

    await t.restart();

    expect((await graphql(t.url, ME, {}, { token: kept.token, jar: kept.jar })).status).toBe(200);
    expect((await refresh(t.url, kept.jar)).status).toBe(200);
    // The deny-list was reloaded from the database: the signed-out session's token is still refused.
    expect((await graphql(t.url, ME, {}, { token: revoked.token, jar: revoked.jar })).status).toBe(401);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_ADMIN_URL)('database outage (real PostgreSQL behind a proxy we can cut)', () => {
  let t: TestApi;
  let proxy: TcpProxy;
  beforeAll(async () => {
    const admin = new URL(process.env.TEST_DATABASE_ADMIN_URL!);
    proxy = await startTcpProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
    t = await startTestApi();
    const viaProxy = new URL(t.database.databaseUrl!);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    await t.restart({ DATABASE_URL: viaProxy.href });
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.stop();
  });

  it('T51 /readyz turns 503 fast while the database is unreachable and recovers by itself; nobody is signed out', async () => {
    const user = await signUp(t.url);
    await proxy.stop();

    const down = await fetch(`${t.url}/readyz`);
    expect(down.status).toBe(503);
    // A refresh during the outage fails with a masked 500 and rotates nothing.
    const failed = await refresh(t.url, user.jar, { keepCookies: false });
    expect(failed.status).toBe(500);
    expect(failed.body.errors![0]!.extensions!.code).toBe('INTERNAL_SERVER_ERROR');

    await proxy.start();
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = (await fetch(`${t.url}/readyz`)).status;
      if (status !== 200) await sleep(250);
    }
    expect(status).toBe(200);
    expect((await refresh(t.url, user.jar)).status).toBe(200);
  });
});
