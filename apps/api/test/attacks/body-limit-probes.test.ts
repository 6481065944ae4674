// every way to get a body larger than MAX_BODY_BYTES (or one with no declared
// length) to a parser, with Yoga's own limit off.
import { CSRF_HEADER } from '@app/shared';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/test-api.js';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ MAX_BODY_BYTES: '1000' });
});
afterAll(() => t?.close());

function raw(port: number, head: string, body: Buffer | string = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => {
      s.write(head);
      if (body.length) s.write(body);
      setTimeout(() => s.end(), 300);
    });
    let answer = '';
    s.setEncoding('latin1');
    s.on('data', (c: string) => (answer += c));
    s.on('close', () => resolve(answer));
    s.on('error', (e) => (answer ? resolve(answer + ` [${(e as Error).message}]`) : reject(e)));
  });
}

const big = JSON.stringify({ query: `{ __typename }`, pad: 'x'.repeat(5_000) });
const chunked = (s: string) => `${s.length.toString(16)}\r\n${s}\r\n0\r\n\r\n`;
const h = (method: string, extra: string) =>
  `${method} /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n${CSRF_HEADER}: 1\r\nConnection: close\r\n${extra}\r\n`;

describe('body limit probes', () => {
  it('prints what each spelling gets', async () => {
    const port = t.api.port;
    const probes: [string, string, Buffer | string][] = [
      ['POST chunked', h('POST', 'Transfer-Encoding: chunked\r\n'), chunked(big)],
      ['PUT chunked', h('PUT', 'Transfer-Encoding: chunked\r\n'), chunked(big)],
      ['PATCH chunked', h('PATCH', 'Transfer-Encoding: chunked\r\n'), chunked(big)],
      ['DELETE chunked', h('DELETE', 'Transfer-Encoding: chunked\r\n'), chunked(big)],
      ['GET chunked', h('GET', 'Transfer-Encoding: chunked\r\n'), chunked(big)],
      ['POST CL+TE', h('POST', `Content-Length: 10\r\nTransfer-Encoding: chunked\r\n`), chunked(big)],
      ['POST TE+CL', h('POST', `Transfer-Encoding: chunked\r\nContent-Length: 10\r\n`), chunked(big)],
      ['POST dup CL same', h('POST', `Content-Length: ${big.length}\r\nContent-Length: ${big.length}\r\n`), big],
      ['POST dup CL differ', h('POST', `Content-Length: 10\r\nContent-Length: ${big.length}\r\n`), big],
      ['POST CL list', h('POST', `Content-Length: 10, ${big.length}\r\n`), big],
      ['POST CL plus', h('POST', `Content-Length: +${big.length}\r\n`), big],
      ['POST CL spaces', h('POST', `Content-Length:  ${big.length}  \r\n`), big],
      ['POST CL hex', h('POST', `Content-Length: 0x1388\r\n`), big],
      ['POST CL leading zeros', h('POST', `Content-Length: 000${big.length}\r\n`), big],
      ['POST TE gzip,chunked', h('POST', 'Transfer-Encoding: gzip, chunked\r\n'), chunked(big)],
      ['POST TE identity', h('POST', 'Transfer-Encoding: identity\r\n'), big],
      ['POST Expect 100', h('POST', `Content-Length: ${big.length}\r\nExpect: 100-continue\r\n`), big],
      ['POST gzip body', h('POST', `Content-Encoding: gzip\r\nContent-Length: ${gzipSync(big).length}\r\n`), gzipSync(big)],
      ['POST small ok', h('POST', `Content-Length: 26\r\n`), JSON.stringify({ query: '{ __typename }' })],
    ];
    const lines: string[] = [];
    for (const [name, head, body] of probes) {
      const answer = await raw(port, head, body);
      const statuses = [...answer.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]).join(',');
      lines.push(`${name.padEnd(24)} ${statuses || answer.slice(0, 60)} ${answer.includes('"__typename":"Query"') ? 'PARSED' : ''}`);
    }
    expect(lines.filter((l) => l.includes('PARSED') && !l.startsWith('POST small ok'))).toEqual([]);
    // The probe can tell: a body within the limit IS parsed.
    expect(lines.find((l) => l.startsWith('POST small ok'))).toContain('PARSED');
  });
});
