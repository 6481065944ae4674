// The deadline of one server-side render's API calls (../src/lib/ssr/api-deadline.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { startDeadline } from '../src/lib/ssr/api-deadline';

const reasonOf = (signal: AbortSignal) => (signal.reason as DOMException | undefined)?.name;

describe('startDeadline', () => {
  it('aborts its signal with a TimeoutError when the budget passes', async () => {
    const deadline = startDeadline(20);
    expect(deadline.signal.aborted).toBe(false);
    await sleep(80);
    expect(reasonOf(deadline.signal)).toBe('TimeoutError');
  });

  it('ended, it stops what still runs at once (AbortError), and its timer is gone', async () => {
    // Every abort, the real one still runs: a timer left behind would abort (again) later.
    const abort = vi.spyOn(AbortController.prototype, 'abort');
    try {
      const deadline = startDeadline(20);
      const heard: string[] = [];
      deadline.signal.addEventListener('abort', () => heard.push(reasonOf(deadline.signal)!));
      deadline.end();
      expect(heard).toEqual(['AbortError']);
      await sleep(80);
      expect(heard).toEqual(['AbortError']);
      expect(abort.mock.calls.map(([reason]) => (reason as DOMException).name)).toEqual(['AbortError']);
    } finally {
      abort.mockRestore();
    }
  });
});
