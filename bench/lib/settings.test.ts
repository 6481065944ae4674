import { afterEach, describe, expect, it } from 'vitest';
import { positiveFromEnv } from './settings.js';

const NAME = 'BENCH_SETTINGS_TEST_VALUE';

describe('positiveFromEnv', () => {
  afterEach(() => {
    delete process.env[NAME];
  });

  it('falls back when the variable is unset', () => {
    expect(positiveFromEnv(NAME, 1.5)).toBe(1.5);
  });

  it('reads a positive number, and an integer where one is asked for', () => {
    process.env[NAME] = '10';
    expect(positiveFromEnv(NAME, 1.5)).toBe(10);
    expect(positiveFromEnv(NAME, 16, { integer: true })).toBe(10);
    process.env[NAME] = '0.25';
    expect(positiveFromEnv(NAME, 1.5)).toBe(0.25);
  });

  it.each(['', 'abc', '0', '-1', 'NaN', 'Infinity', '1e400', ' '])('stops the run on %j', (raw) => {
    process.env[NAME] = raw;
    expect(() => positiveFromEnv(NAME, 1.5)).toThrow(`${NAME}=${raw}: expected a positive number`);
  });

  it('stops the run on a fraction where an integer is asked for', () => {
    process.env[NAME] = '2.5';
    expect(() => positiveFromEnv(NAME, 16, { integer: true })).toThrow(`${NAME}=2.5: expected a positive integer`);
  });
});
