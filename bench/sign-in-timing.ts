// T41, the timing half: does a sign-in with an unknown e-mail take as long as one with a wrong
// password? Both should pay one argon2id verification (the unknown one against a dummy hash).
// A ratio near 1.0 means the response time does not reveal which e-mails have accounts.
import { SIGN_IN } from '@app/shared';
import { signUp } from '../apps/api/test/support/flows.js';
import { graphql } from '../apps/api/test/support/http-client.js';
import { startTestApi, uniqueEmail } from '../apps/api/test/support/test-api.js';
import { report } from './report.js';

const ROUNDS = 30;
const api = await startTestApi({ RATE_LIMIT_SIGN_IN_PER_ACCOUNT: '100000', RATE_LIMIT_AUTH_PER_ADDRESS: '100000' });
try {
  const known = await signUp(api.url);
  const time = async (email: string) => {
    const start = performance.now();
    await graphql(api.url, SIGN_IN, { email, password: 'definitely the wrong password' });
    return performance.now() - start;
  };
  await time(known.email); // warm-up
  const unknownMs: number[] = [];
  const knownMs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    unknownMs.push(await time(uniqueEmail('nobody')));
    knownMs.push(await time(known.email));
  }
  await report(
    'sign-in-timing',
    'unknown e-mail vs wrong password: does timing reveal account existence? (≈1.0 is good)',
    { label: 'unknownEmail', ms: unknownMs },
    { label: 'wrongPassword', ms: knownMs },
  );
} finally {
  await api.close();
}
