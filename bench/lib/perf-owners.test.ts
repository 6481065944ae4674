import { describe, expect, it } from 'vitest';
import { codeOwner, NO_JS, ownerOf, ownersOf } from './perf-owners.js';

describe('perf owners', () => {
  it('names a frame by its package, our file or Node module', () => {
    expect(ownerOf('JS:*parse /r/node_modules/.pnpm/pg-protocol@1.16.1/node_modules/pg-protocol/dist/parser.js:26:10')).toBe('pg-protocol');
    expect(
      ownerOf(
        'JS:^then file:///w/node_modules/.pnpm/@whatwg-node+promise-helpers@1.3.2/node_modules/@whatwg-node/promise-helpers/esm/index.js:31:13',
      ),
    ).toBe('@whatwg-node/promise-helpers');
    expect(ownerOf('JS:*sealKey file:///r/apps/api/dist/auth/secrets.js:92:17')).toBe('ours: apps/api/auth/secrets.js');
    expect(ownerOf('JS:*refreshDesign file:///r/bench/servers/ssr-floor-api.ts:90:3')).toBe('bench: servers/ssr-floor-api.ts');
    expect(ownerOf('JS:^signOneShot node:internal/crypto/sig:143:21')).toBe('node: crypto');
    expect(ownerOf('JS:*parserOnHeadersComplete node:_http_common:71:33')).toBe('node: http, net, streams, events, buffers');
    expect(ownerOf('JS:*processTicksAndRejections node:internal/process/task_queues:67:35')).toBe('node: process');
  });

  it("names a V8 CPU profile's script URL the same way (profile-summary.ts)", () => {
    expect(codeOwner('file:///r/node_modules/graphql/execution/execute.js')).toBe('graphql');
    expect(codeOwner('file:///r/node_modules/.pnpm/@envelop+core@5.3.0/node_modules/@envelop/core/esm/orchestrator.js')).toBe(
      '@envelop/core',
    );
    expect(codeOwner('file:///r/apps/api/dist/auth/sessions.js')).toBe('ours: apps/api/auth/sessions.js');
    expect(codeOwner('node:internal/crypto/hkdf')).toBe('node: crypto');
    expect(codeOwner('/r/apps/web/.next/server/chunks/ssr/[root-of-the-server]__1ser4ov4v3o8j._.js:3:2878')).toBe(
      'ours: apps/web pages + bundled Next.js (.next)',
    );
    expect(codeOwner('/r/bench/servers/ssr-floor-web/.next/server/chunks/ssr/[turbopack]_runtime.js:413:12')).toBe(
      'bench: servers/ssr-floor-web pages + bundled Next.js (.next)',
    );
    expect(codeOwner('evalmachine.<anonymous>')).toBeUndefined();
  });

  it('charges each sample to its innermost JavaScript frame, native frames under it included', () => {
    const script = [
      '  1 fe_mul\n  2 JS:^signOneShot node:internal/crypto/sig:143:21\n  3 JS:*sign file:///r/apps/api/dist/auth/jws-sign.js:40:13',
      '  4 Builtins_LoadIC\n  5 JS:*query /r/node_modules/.pnpm/pg@8.23.1/node_modules/pg/lib/client.js:668:8',
      '  6 do_syscall_64\n  7 uv_run',
      '  8 JS:*sign file:///r/apps/api/dist/auth/jws-sign.js:40:13',
    ].join('\n\n');
    expect(ownersOf(script)).toEqual([
      { owner: 'node: crypto', share: 0.25 },
      { owner: 'pg', share: 0.25 },
      { owner: NO_JS, share: 0.25 },
      { owner: 'ours: apps/api/auth/jws-sign.js', share: 0.25 },
    ]);
  });
});
