// Whose code a profiled main thread ran: each `perf` sample (PROFILE_PERF=stacks) is charged to the
// innermost JavaScript frame of its stack, named by its package (node_modules), its file of ours
// (apps/*/dist, bench/servers) or Node's own module. The native code under that frame (V8's inline
// caches and builtins, OpenSSL, the kernel's write) is charged to it too: that is what the frame
// asked for. Samples with no JavaScript frame are V8's runtime and GC, the event loop, the kernel.
import { execFileSync } from 'node:child_process';

export const NO_JS = '(no JavaScript frame: the event loop, V8 runtime and GC, the kernel)';

/**
 * Whose code a location is (a script URL or path, or a perf frame that contains one): its package
 * under node_modules, a file of ours (apps/<app>/dist, bench/servers), a Next.js app's built pages or
 * Node's own module. Shared with profile-summary.ts, which reads V8's CPU profiles.
 */
export function codeOwner(location: string): string | undefined {
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/:]+)/.exec(location);
  if (pkg) return pkg[1]!;
  // A Next.js build's server chunks are named by content hash: one owner per app. They hold its
  // pages and the Next.js code bundled with them (the pages router's handler, the ETag hash), so
  // the owner's name says both.
  const next = /\/((?:apps|bench\/servers)\/[^/]+)\/\.next\//.exec(location);
  if (next)
    return `${next[1]!.startsWith('apps/') ? 'ours' : 'bench'}: ${next[1]!.replace(/^bench\//, '')} pages + bundled Next.js (.next)`;
  const ours = /\/(apps\/[^/]+)\/dist\/([^:]+)/.exec(location);
  if (ours) return `ours: ${ours[1]}/${ours[2]}`;
  const bench = /\/bench\/(servers\/[^:]+)/.exec(location);
  if (bench) return `bench: ${bench[1]}`;
  const node = /\bnode:(?:internal\/)?([a-z_]+)/.exec(location);
  return node ? `node: ${node[1]}` : undefined;
}

/** A perf frame's owner, Node's networking and stream modules taken together (one request path). */
export function ownerOf(frame: string): string {
  const owner = codeOwner(frame);
  if (owner === undefined) return frame.startsWith('RegExp:') ? 'regular expressions' : 'other JavaScript';
  const node = /^node: (.*)$/.exec(owner)?.[1];
  if (node && /^(_?http|_http_\w+|net|stream|streams|stream_base_commons|events|buffer|timers)$/.test(node))
    return 'node: http, net, streams, events, buffers';
  return owner;
}

/** Shares of all samples by owner, largest first, from `perf script -F ip,sym` text. */
export function ownersOf(script: string): { owner: string; share: number }[] {
  const counts = new Map<string, number>();
  let samples = 0;
  for (const stack of script.split(/\n\s*\n/)) {
    const frames = stack
      .split('\n')
      .map((l) => l.trim().replace(/^[0-9a-f]+ /, ''))
      .filter(Boolean);
    if (frames.length === 0) continue;
    samples++;
    const js = frames.find((f) => /^(JS|Eval|Function|RegExp):/.test(f)); // leaf first
    const owner = js === undefined ? NO_JS : ownerOf(js);
    counts.set(owner, (counts.get(owner) ?? 0) + 1);
  }
  return [...counts].map(([owner, n]) => ({ owner, share: n / samples })).sort((a, b) => b.share - a.share);
}

export function perfOwners(perfData: string): { owner: string; share: number }[] {
  return ownersOf(execFileSync('perf', ['script', '-i', perfData, '-F', 'ip,sym'], { encoding: 'utf8', maxBuffer: 1 << 30 }));
}
