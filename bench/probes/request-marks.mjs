// Loaded into the API or the web server with `node --import` (their code is not changed for it):
// wall-clock marks of ONE request at a time, where a CPU profile spreads the time over many small
// items. Per request that `PROBE_PATH` matches, in ms from its arrival:
//   - each outgoing HTTP request it makes (the web server's API calls): start → response read;
//   - each SQL statement it runs through pg (the API): sent → answered, with the statement's start;
//   - each response header the first time it is set (`set <name>`, `append <name>`), which dates
//     steps inside a framework: in the web server the security headers (request accepted), the
//     page's own Cache-Control (with-session.ts: its getServerSideProps has begun), the API's
//     Set-Cookie relayed, and Next.js's ETag (the page rendered);
//   - the first byte of its response, and its end.
// Every 100 requests it writes one line of medians to stderr, `MARKS …`. Marks are attributed to
// the request in flight, so load it only under one-at-a-time load (profile-side.ts ssr, with
// PROFILE_MARKS=1). A profiling aid, not a figure.
import dc from 'node:diagnostics_channel';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const pathPrefix = process.env['PROBE_PATH'] ?? '/';
const EVERY = 100;
const byResponse = new Map();
const done = [];
let current = null;

dc.subscribe('http.server.request.start', ({ request, response }) => {
  if (!request.url?.startsWith(pathPrefix)) return;
  current = { t0: performance.now(), marks: [] };
  byResponse.set(response, current);
});
const since = (record) => performance.now() - record.t0;

dc.subscribe('http.client.request.start', () => {
  if (current) current.marks.push(['api call sent', since(current)]);
});
dc.subscribe('http.client.response.finish', () => {
  if (current) current.marks.push(['api answer read', since(current)]);
});

// pg's statements, when the process has pg (the API): resolved from the script node runs.
try {
  const pg = createRequire(path.resolve(process.argv[1] ?? 'main.js'))('pg');
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (config, values, callback) {
    const record = current;
    if (record) {
      const text = (typeof config === 'string' ? config : (config?.text ?? '')).replace(/\s+/g, ' ').trim().slice(0, 24);
      const sent = since(record);
      const answered = () => record.marks.push([`sql ${text} (sent at ${sent.toFixed(2)})`, since(record)]);
      const wrap = (f) =>
        function (...args) {
          answered();
          return f.apply(this, args);
        };
      if (typeof values === 'function') values = wrap(values);
      else if (typeof callback === 'function') callback = wrap(callback);
      else if (typeof config?.callback === 'function') config.callback = wrap(config.callback);
      else {
        const result = query.call(this, config, values, callback);
        result?.then?.(answered, () => undefined);
        return result;
      }
    }
    return query.call(this, config, values, callback);
  };
} catch {
  // no pg here (the web server): HTTP marks only
}

for (const method of ['setHeader', 'appendHeader']) {
  const original = http.ServerResponse.prototype[method];
  const verb = method === 'setHeader' ? 'set' : 'append';
  http.ServerResponse.prototype[method] = function (name, value) {
    const record = byResponse.get(this);
    if (record) record.marks.push([`${verb} ${String(name).toLowerCase()}`, since(record)]);
    return original.call(this, name, value);
  };
}

const send = http.OutgoingMessage.prototype._send;
http.OutgoingMessage.prototype._send = function (...args) {
  const record = byResponse.get(this);
  if (record && record.firstByte === undefined) record.firstByte = since(record);
  return send.apply(this, args);
};

dc.subscribe('http.server.response.finish', ({ response }) => {
  const record = byResponse.get(response);
  if (!record) return;
  byResponse.delete(response);
  if (current === record) current = null;
  record.end = since(record);
  done.push(record);
  if (done.length % EVERY !== 0) return;
  const last = done.slice(-EVERY);
  const median = (values) => {
    const sorted = values.filter((v) => v !== undefined).sort((a, b) => a - b);
    return sorted.length ? sorted[sorted.length >> 1].toFixed(2) : '-';
  };
  const labels = [...new Set(last.flatMap((r) => r.marks.map(([label]) => label.replace(/ \(sent at .*\)$/, ''))))];
  const parts = labels.map((label) => {
    const at = (r) => r.marks.find(([l]) => l.startsWith(label));
    const sent = median(last.map((r) => Number(/sent at ([\d.]+)/.exec(at(r)?.[0] ?? '')?.[1] ?? NaN)).filter(Number.isFinite));
    return `${label}: ${label.startsWith('sql') ? `${sent} → ` : ''}${median(last.map((r) => at(r)?.[1]))}`;
  });
  process.stderr.write(
    `MARKS ${pathPrefix} n=${done.length} | ${parts.join(' | ')} | first byte ${median(last.map((r) => r.firstByte))} | end ${median(last.map((r) => r.end))}\n`,
  );
});
