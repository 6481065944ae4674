// The parser guard on its own, with no CSRF check in front (that one is tested over HTTP in
// test/http/request-edge.test.ts): Yoga's real request pipeline (`yoga.fetch`, no server needed)
// must never parse a form, multipart or application/graphql body into an operation.
// Defence-removal check: without useJsonOrGetRequestsOnly, the urlencoded and application/graphql
// mutations run (`ran` goes up) and answer 200.
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { useJsonOrGetRequestsOnly } from './request-parsers.js';

let ran = 0;
const yoga = createYoga({
  schema: createSchema({
    typeDefs: 'type Query { ok: Boolean } type Mutation { act: Boolean }',
    resolvers: { Mutation: { act: () => ++ran > 0 } },
  }),
  multipart: false,
  logging: false,
  plugins: [useJsonOrGetRequestsOnly()],
});

const mutation = 'mutation { act }';
const boundary = 'b0undary';

describe('useJsonOrGetRequestsOnly', () => {
  it('T24 form, multipart, text and application/graphql bodies are refused with 415 before parsing; JSON runs', async () => {
    const bodies: [string, Record<string, string>, string][] = [
      ['urlencoded', { 'content-type': 'application/x-www-form-urlencoded' }, `query=${encodeURIComponent(mutation)}`],
      [
        'urlencoded; charset',
        { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        `query=${encodeURIComponent(mutation)}`,
      ],
      [
        'multipart',
        { 'content-type': `multipart/form-data; boundary=${boundary}` },
        `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: mutation })}\r\n--${boundary}--\r\n`,
      ],
      ['application/graphql', { 'content-type': 'application/graphql' }, mutation],
      ['application/graphql+json', { 'content-type': 'application/graphql+json' }, JSON.stringify({ query: mutation })],
      ['text/plain', { 'content-type': 'text/plain' }, JSON.stringify({ query: mutation })],
      ['none', {}, JSON.stringify({ query: mutation })],
    ];
    for (const [label, headers, body] of bodies) {
      const r = await yoga.fetch('http://localhost/graphql', { method: 'POST', headers, body });
      expect(r.status, label).toBe(415);
    }
    expect(ran).toBe(0);
    const json = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: mutation }),
    });
    expect(json.status).toBe(200);
    expect(ran).toBe(1);
  });

  it('every spelling of a JSON media type either runs or gets a clear 415 error, never an empty answer', async () => {
    // RFC 9110 §8.3.1: type and subtype are case-insensitive, and whitespace may precede parameters.
    // Whatever Yoga's own JSON parser does not take must be refused here, with a message.
    for (const contentType of [
      'application/json',
      'application/json; charset=utf-8',
      'Application/JSON',
      'APPLICATION/json; charset=utf-8',
      'application/json ; charset=utf-8',
      'application/JSON;charset=utf-8',
    ]) {
      const r = await yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: JSON.stringify({ query: mutation }),
      });
      const body = (await r.json().catch(() => null)) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } | null;
      if (r.status === 200) expect(body?.data, contentType).toEqual({ act: true });
      else {
        expect(r.status, contentType).toBe(415);
        expect(body?.errors?.[0]?.extensions?.code, contentType).toBe('BAD_USER_INPUT');
      }
    }
  });
});
