import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sql, type SqlValue } from './sql.js';

const byEmail = (email: SqlValue) => sql`SELECT id FROM users WHERE email = ${email}`;
const twoValues = (a: SqlValue, b: SqlValue) => sql`UPDATE t SET a = ${a}::timestamptz WHERE b = ${b} AND c > ${a}`;

/** Every kind of value a statement binds, hostile strings included. */
const values: fc.Arbitrary<SqlValue> = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.constantFrom("' OR 1=1 --", '$1', '$$', '$a$ DROP TABLE users $a$', '${x}', "'); DROP TABLE users; --", '\u0000', '/*'),
  fc.integer(),
  fc.bigInt(),
  fc.boolean(),
  fc.date({ noInvalidDate: true }),
  fc.uint8Array().map((bytes) => Buffer.from(bytes)),
  fc.constant(null),
);

describe('sql`…`', () => {
  it('binds every value as a parameter, numbered in order, and the text is the template alone', () => {
    const at = new Date(0);
    expect(twoValues(at, 'x')).toEqual({
      text: 'UPDATE t SET a = $1::timestamptz WHERE b = $2 AND c > $3',
      values: [at, 'x', at],
    });
    expect(sql`SELECT 1`).toEqual({ text: 'SELECT 1', values: [] });
  });

  it('never puts a value into the text, whatever it is (OWASP SQL Injection Prevention CS: parameterized queries)', () => {
    fc.assert(
      fc.property(values, values, (a, b) => {
        expect(byEmail(a)).toEqual({ text: 'SELECT id FROM users WHERE email = $1', values: [a] });
        const two = twoValues(a, b);
        expect(two.text).toBe('UPDATE t SET a = $1::timestamptz WHERE b = $2 AND c > $3');
        expect(two.values[0]).toBe(a);
        expect(two.values[1]).toBe(b);
      }),
    );
  });

  it('gives one call site one text whatever the values, and two call sites two (one prepared statement each)', () => {
    const first = byEmail('a@example.com').text;
    expect(byEmail(null).text).toBe(first);
    expect(byEmail(new Date(0)).text).toBe(first);
    expect(twoValues(1, 2).text).not.toBe(first);
  });

  it('refuses anything but a template literal’s own strings, and values that do not match it', () => {
    const call = sql as (strings: unknown, ...values: unknown[]) => unknown;
    // A plain array could be changed after its text was cached: only frozen template objects count.
    expect(() => call(Object.assign(['SELECT ', ''], { raw: ['SELECT ', ''] }), 1)).toThrow(TypeError);
    expect(() => call(Object.freeze(['SELECT ', '']), 1)).toThrow(TypeError);
    const template = (strings: TemplateStringsArray, ..._values: unknown[]) => strings;
    const strings = template`SELECT ${0}`;
    expect(() => call(strings)).toThrow(/do not match/);
    expect(() => call(strings, 1, 2)).toThrow(/do not match/);
    expect(call(strings, 1)).toEqual({ text: 'SELECT $1', values: [1] });
  });
});
