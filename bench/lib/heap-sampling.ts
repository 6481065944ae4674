// What a profiled process allocates, by whose code allocated it (PROFILE_PERF=heap in
// profile-side.ts). V8's sampling heap profiler, driven over the inspector protocol, with the
// objects that garbage collection has already freed kept in the profile: a request's short-lived
// allocations are what it costs, and without those flags the profile would show only what
// survives. Each sample stands for about `samplingInterval` bytes, so the sums estimate the bytes
// allocated, not the objects left.
import { writeFileSync } from 'node:fs';
import WebSocket from 'ws';
import { codeOwner } from './perf-owners.js';

export type SamplingHeapProfileNode = {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: SamplingHeapProfileNode[];
};
export type SamplingHeapProfile = { head: SamplingHeapProfileNode };

/** Bytes allocated by owner (perf-owners.ts's names; frames with no script are V8's and Node's native code), largest first. */
export function allocationOwners(profile: SamplingHeapProfile): { owner: string; bytes: number }[] {
  const bytes = new Map<string, number>();
  const visit = (node: SamplingHeapProfileNode) => {
    if (node.selfSize > 0) {
      const { url } = node.callFrame;
      const owner = url ? (codeOwner(url) ?? 'other JavaScript') : '(native: V8 builtins and Node bindings)';
      bytes.set(owner, (bytes.get(owner) ?? 0) + node.selfSize);
    }
    for (const child of node.children) visit(child);
  };
  visit(profile.head);
  return [...bytes].map(([owner, b]) => ({ owner, bytes: b })).sort((a, b) => b.bytes - a.bytes);
}

/**
 * Starts sampling the allocations of the process whose inspector listens on `port` (started with
 * `--inspect=127.0.0.1:<port>`); the returned function stops, writes the profile to `file` (a
 * `.heapprofile` Chrome DevTools opens) and returns it.
 */
export async function startHeapSampling(port: number, file: string): Promise<() => Promise<SamplingHeapProfile>> {
  const [target] = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  if (!target) throw new Error(`no inspector target on port ${port}`);
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let lastId = 0;
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  socket.on('message', (data: WebSocket.RawData) => {
    const message = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
    const waiter = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id!);
    if (message.error) waiter.reject(new Error(message.error.message));
    else waiter.resolve(message.result);
  });
  // The profiled process gone (or the inspector closed) fails every call still waiting, instead of hanging.
  socket.on('close', () => {
    for (const waiter of pending.values()) waiter.reject(new Error(`the inspector on port ${port} closed`));
    pending.clear();
  });
  const call = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = ++lastId;
      pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  await call('HeapProfiler.enable');
  await call('HeapProfiler.startSampling', {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  return async () => {
    const { profile } = await call<{ profile: SamplingHeapProfile }>('HeapProfiler.stopSampling');
    socket.close();
    writeFileSync(file, JSON.stringify(profile));
    return profile;
  };
}
