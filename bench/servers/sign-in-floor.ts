// Alternative 6: the floor of ANY HTTP endpoint doing a password sign-in on this machine. node:http,
// pg and argon2, nothing else: per POST, the e-mail and password out of the same GraphQL body the
// API gets (`variables`), the account's hash by e-mail, argon2id's verify, and a new session with its
// first refresh token in one statement (what every sign-in must persist), its cookie set back.
// No GraphQL, no rate limits, no token signing, no argon2 gate, no audit line — not something to
// deploy, a measuring stick: it shows how far below raw argon2id ANY sign-in over HTTP lands here,
// and so how much of the API's gap is its own stack.
import { randomBytes, randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import { credentials, findAccount, insertSession, serveSignIns, sha256 } from './sign-in-common.js';

serveSignIns(async (body) => {
  const given = credentials(body);
  if (!given) return { status: 400 };
  const user = await findAccount(given.email);
  if (!user || !(await argon2.verify(user.password_hash, given.password))) return { status: 401 };
  const token = randomBytes(32).toString('base64url');
  await insertSession({
    id: randomUUID(),
    userId: user.id,
    fingerprintHash: sha256(randomBytes(32).toString('base64url')),
    tokenId: randomUUID(),
    tokenHash: sha256(token),
  });
  return {
    status: 200,
    cookies: [`floor-session=${token}; Path=/; HttpOnly; SameSite=Strict`],
    body: '{"data":{"signIn":{"accessToken":"floor"}}}',
  };
});
