// The deadline of one server-side render's API calls (../src/lib/ssr/api-deadline.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { startDeadline } from '../src/lib/ssr/api-deadline';

describe('startDeadline', () => {
  it('aborts its signal with a TimeoutError when the budget passes', async () => {
    const deadline = startDeadline(20);
    expect(deadline.signal.aborted).toBe(false);
    await sleep(80);
    expect(deadline.signal.aborted).toBe(true);
    expect((deadline.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('ended before the budget passes, it never aborts: nothing of a finished page fires later', async () => {
    const deadline = startDeadline(20);
    deadline.end();
    await sleep(80);
    expect(deadline.signal.aborted).toBe(false);
  });
});
