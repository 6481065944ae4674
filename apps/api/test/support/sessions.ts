// A Sessions service of its own on a running test API's database (its own signing key, deny-list
// and settings), for tests that drive sessions directly rather than over HTTP.
import { createAccessTokens } from '../../src/auth/access-token.js';
import { generatePrivateJwks, loadKeyRing } from '../../src/auth/keys.js';
import { RevokedSessions } from '../../src/auth/revoked-sessions.js';
import { createSessions, type SessionSettings, type Sessions } from '../../src/auth/sessions.js';
import type { TestApi } from './test-api.js';

export async function sessionsOn(
  t: TestApi,
  settings: SessionSettings = { refreshIdleTtlSeconds: 3600, sessionMaxAgeSeconds: 7200, refreshReuseGraceSeconds: 1 },
  /** Told every access token the service signs, whether or not an outcome hands it out. */
  onSigned?: (token: string) => void,
): Promise<Sessions> {
  const keys = await loadKeyRing({ jwks: await generatePrivateJwks('test-sessions'), dataDir: t.database.dataDir });
  const accessTokens = createAccessTokens(keys, { issuer: 'urn:test', audience: 'urn:test', ttlSeconds: 60 });
  const issue = accessTokens.issue;
  return createSessions({
    prisma: t.api.prisma,
    sql: t.api.sql,
    accessTokens: {
      ...accessTokens,
      issue: async (input) => {
        const issued = await issue(input);
        onSigned?.(issued.token);
        return issued;
      },
    },
    revoked: new RevokedSessions(60_000),
    settings,
  });
}
