// `pnpm keys:generate [--alg EdDSA|ES256] [--kid <id>]`: prints a JWK Set holding one fresh private
// signing key, in the form JWT_PRIVATE_KEYS expects (see loadKeyRing in ../keys.ts). The JWKS goes
// to stdout and nothing else does, so it can be piped straight into a secret store
// (`pnpm --silent keys:generate | …`); the advice on what to do with it goes to stderr.
// EdDSA (Ed25519) by default; ES256 for verifiers that lack Ed25519. The kid is fresh every time, so
// a new key never shadows an old one during a rotation (README, "Signing keys").
import { parseArgs } from 'node:util';
import { ALLOWED_ALGORITHMS, generatePrivateJwks, type SigningAlgorithm } from '../keys.js';

const USAGE = `usage: pnpm keys:generate [--alg ${ALLOWED_ALGORITHMS.join('|')}] [--kid <key id>]`;

export async function generateKeysCli(argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: { alg: { type: 'string', default: 'EdDSA' }, kid: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const alg = values.alg as string;
  if (!(ALLOWED_ALGORITHMS as readonly string[]).includes(alg)) {
    throw new Error(`--alg must be one of ${ALLOWED_ALGORITHMS.join(', ')}, got "${alg}"`);
  }
  const date = new Date().toISOString().slice(0, 10);
  const kid = values.kid ?? `${alg.toLowerCase()}-${date}-${crypto.randomUUID().slice(0, 8)}`;
  if (!/^[\w.-]{1,64}$/.test(kid)) throw new Error('--kid may use letters, digits, ".", "_" and "-" (1–64 characters)');
  return generatePrivateJwks(kid, alg as SigningAlgorithm);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // pnpm passes a literal `--` through when called as `pnpm keys:generate -- --alg ES256`.
  const args = process.argv.slice(2).filter((a) => a !== '--');
  generateKeysCli(args).then(
    (jwks) => {
      process.stdout.write(`${jwks}\n`);
      process.stderr.write(
        'A private key: store it as a secret (JWT_PRIVATE_KEYS), never in the repository. To rotate, put its\n' +
          'key first in the existing set, keep the old key until one access-token TTL has passed, then remove it.\n',
      );
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
      process.exitCode = 2;
    },
  );
}
