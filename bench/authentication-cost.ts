// What does authenticating a request cost, and what does the database-free design buy?
// Compares the API's real authentication (signature + fingerprint + in-memory deny-list, ADR 0004)
// with the same plus one session lookup in PostgreSQL per request (the alternative design that
// checks revocation in the database), on the same token, in one run.
import { FINGERPRINT_COOKIE } from '@app/shared';
import { authenticate } from '../apps/api/src/auth/authenticate.js';
import { signUp } from '../apps/api/test/support/flows.js';
import { startTestApi } from '../apps/api/test/support/test-api.js';
import { createAccessTokens } from '../apps/api/src/auth/access-token.js';
import { loadKeyRing } from '../apps/api/src/auth/keys.js';
import { RevokedSessions } from '../apps/api/src/auth/revoked-sessions.js';
import { report } from './report.js';

const ROUNDS = 2000;
const api = await startTestApi();
try {
  const device = await signUp(api.url);
  const keys = await loadKeyRing({ jwks: api.env.JWT_PRIVATE_KEYS, dataDir: api.database.dataDir });
  const accessTokens = createAccessTokens(keys, { issuer: 'urn:jwt-auth-reference:api', audience: 'urn:jwt-auth-reference:web', ttlSeconds: 300 });
  const revoked = new RevokedSessions(305_000);
  const input = { authorization: `Bearer ${device.token}`, fingerprintCookie: device.jar.get(FINGERPRINT_COOKIE) };
  const deps = { accessTokens, isRevoked: (sid: string) => revoked.has(sid) };

  const sample = async (fn: () => Promise<unknown>) => {
    const ms: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const start = performance.now();
      await fn();
      ms.push(performance.now() - start);
    }
    return ms;
  };
  const memoryOnly = async () => authenticate(input, deps);
  const withDatabase = async () => {
    const viewer = await authenticate(input, deps);
    await api.api.prisma.session.findFirst({ where: { id: viewer!.sessionId, revokedAt: null } });
  };
  await sample(memoryOnly); // warm-up
  await sample(withDatabase);
  await report(
    'authentication-cost',
    'per-request authentication: session lookup in the database vs in-memory deny-list',
    { label: 'withDatabaseLookup', ms: await sample(withDatabase) },
    { label: 'memoryDenyList', ms: await sample(memoryOnly) },
  );
} finally {
  await api.close();
}
