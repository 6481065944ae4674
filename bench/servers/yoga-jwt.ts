// Alternative 2: what most Yoga users would pick — @graphql-yoga/plugin-jwt verifying an ES256
// bearer token (jsonwebtoken under the hood) on every request, pinned algorithm, iss and aud checked.
import { createServer } from 'node:http';
import { createInlineSigningKeyProvider, useJWT } from '@graphql-yoga/plugin-jwt';
import { createYoga } from 'graphql-yoga';
import { BARE_YOGA_OPTIONS, portFromEnv, schema } from './schema.js';

const publicKeyPem = process.env['JWT_PUBLIC_KEY_PEM'];
if (!publicKeyPem) throw new Error('JWT_PUBLIC_KEY_PEM is required');

const yoga = createYoga({
  schema,
  ...BARE_YOGA_OPTIONS,
  plugins: [
    useJWT({
      signingKeyProviders: [createInlineSigningKeyProvider(publicKeyPem)],
      tokenVerification: {
        algorithms: ['ES256'],
        issuer: process.env['JWT_ISSUER'],
        audience: process.env['JWT_AUDIENCE'],
      },
      reject: { missingToken: true, invalidToken: true },
    }),
  ],
});
createServer(yoga).listen(portFromEnv(), '127.0.0.1');
