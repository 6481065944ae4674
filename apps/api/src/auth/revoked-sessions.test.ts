import { describe, expect, it } from 'vitest';
import { RevokedSessions } from './revoked-sessions.js';

describe('RevokedSessions', () => {
  it('remembers a revoked session for the retention window only', () => {
    const list = new RevokedSessions(60_000);
    list.add('recent', new Date());
    list.add('old', new Date(Date.now() - 61_000));
    expect(list.has('recent')).toBe(true);
    expect(list.has('old')).toBe(false);
    expect(list.has('never')).toBe(false);
  });

  it('forgets entries once they expire', () => {
    // Margins of seconds, not of 1 ms: on a busy machine a millisecond passes between two lines.
    const list = new RevokedSessions(10_000);
    list.add('a', new Date(Date.now() - 5_000));
    expect(list.has('a')).toBe(true);
    list.add('b', new Date(Date.now() - 15_000));
    list.prune();
    expect(list.size).toBe(1);
    expect(list.relevantSince(new Date(20_000)).getTime()).toBe(10_000);
  });
});

describe('RevokedSessions.add', () => {
  it('says whether the session is new to the list (remote copies of one revocation act once)', () => {
    const list = new RevokedSessions(60_000);
    expect(list.add('a', new Date())).toBe(true);
    expect(list.add('a', new Date())).toBe(false);
    expect(list.add('old', new Date(Date.now() - 61_000))).toBe(false);
    expect(list.has('old')).toBe(false);
  });
});
