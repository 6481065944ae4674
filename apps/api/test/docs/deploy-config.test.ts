// docker-compose.yml runs each API replica in its own container behind nginx (deploy/nginx.conf),
// which connects from ANOTHER container. The API's default interface is loopback (ADR 0012), which
// no other container can reach: the compose file must say where the API listens. Checked with
// the API's own config loader on the environment the compose file gives the API services.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';

const compose = readFileSync(fileURLToPath(new URL('../../../../docker-compose.yml', import.meta.url)), 'utf8');

/** The `environment:` map of the `x-api` anchor every API service (api-1, api-2, migrate) merges. */
function apiEnvironment(): Record<string, string> {
  const block = /^x-api:.*\n((?: {2}.*\n|\s*\n)*)/m.exec(compose)?.[1] ?? '';
  const env = /^ {2}environment:\n((?: {4}.*\n)*)/m.exec(block)?.[1] ?? '';
  const vars: Record<string, string> = {};
  for (const line of env.split('\n')) {
    const m = /^ {4}([A-Z_]+):\s*(.*?)\s*(?:#.*)?$/.exec(line);
    if (m) vars[m[1]!] = m[2]!.replace(/^\$\{[A-Z_]+:-(.*)\}$/, '$1');
  }
  return vars;
}

describe('docker-compose.yml', () => {
  it('gives the API services an environment (the x-api anchor)', () => {
    expect(apiEnvironment()).toHaveProperty('NODE_ENV', 'production');
  });

  it('API replicas listen where the load balancer in another container can reach them', () => {
    const host = loadConfig({ ...apiEnvironment(), JWT_PRIVATE_KEYS: '{"keys":[]}' }).host;
    expect(['127.0.0.1', '::1', 'localhost']).not.toContain(host);
  });
});
