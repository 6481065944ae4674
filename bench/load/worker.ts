// A load-generating process (the runner forks it): the clients never share a process with the
// servers they measure. Receives jobs over IPC, answers with their results.
import http from 'node:http';
import autocannon from 'autocannon';
import { CSRF_HEADER, REFRESH_ACCESS_TOKEN } from '@app/shared';
import type { AutocannonJob, Job, LoadResult, RotationJob, SequentialJob } from './jobs.js';
import { applySetCookies, cookieHeader } from '../lib/graphql-client.js';
import { percentile } from '../lib/stats.js';

async function runAutocannon(job: AutocannonJob): Promise<LoadResult> {
  const result = await autocannon({
    url: job.url,
    method: job.method ?? 'GET',
    headers: job.headers,
    body: job.body,
    connections: job.connections,
    ...(job.amount ? { amount: job.amount } : { duration: job.seconds }),
    ...(job.rate ? { overallRate: job.rate } : {}),
  });
  const seconds = job.amount ? result.duration : job.seconds;
  return {
    perSecond: result.requests.total / seconds,
    total: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    // No answer at all in a round is a failure, not a zero.
    errors: result.non2xx + result.errors + result.timeouts + (result.requests.total === 0 ? 1 : 0),
  };
}

type Answer = { status: number; setCookies: string[]; body: string; ttfbMs: number };

function request(agent: http.Agent, url: URL, method: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = http.request(url, { method, headers, agent }, (res) => {
      const ttfbMs = performance.now() - start;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const sc = res.headers['set-cookie'] ?? [];
        resolve({ status: res.statusCode ?? 0, setCookies: sc, body: Buffer.concat(chunks).toString('utf8'), ttfbMs });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function runRotation(job: RotationJob): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.sessions.length });
  const url = new URL(job.url);
  const body = JSON.stringify({ operationName: 'RefreshAccessToken', query: REFRESH_ACCESS_TOKEN });
  const until = performance.now() + job.seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  const jars = job.sessions.map((entries) => new Map(entries));
  const started = performance.now();
  await Promise.all(
    jars.map(async (jar) => {
      while (performance.now() < until) {
        const start = performance.now();
        try {
          const r = await request(
            agent,
            url,
            'POST',
            {
              'content-type': 'application/json',
              [CSRF_HEADER]: '1',
              cookie: cookieHeader(jar),
            },
            body,
          );
          applySetCookies(jar, r.setCookies);
          if (r.status !== 200 || !r.body.includes('"accessToken"') || r.setCookies.length === 0) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - start);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    perSecond: latencies.length / elapsed,
    total: latencies.length,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    errors,
    cookies: jars.map((j) => [...j]),
  };
}

async function runSequential(job: SequentialJob): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(job.url);
  const jar = new Map(job.cookies ?? []);
  const ttfb: number[] = [];
  let errors = 0;
  const until = performance.now() + (job.seconds ?? Infinity) * 1000;
  const started = performance.now();
  while (performance.now() < until && ttfb.length < (job.count ?? Infinity)) {
    const headers = { ...job.headers, ...(jar.size ? { cookie: cookieHeader(jar) } : {}) };
    try {
      const r = await request(agent, url, job.method ?? 'GET', headers, job.body);
      applySetCookies(jar, r.setCookies);
      if (r.status !== job.expectStatus) errors++;
      ttfb.push(r.ttfbMs);
    } catch {
      errors++;
    }
  }
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    perSecond: ttfb.length / elapsed,
    total: ttfb.length,
    p50Ms: percentile(ttfb, 50),
    p99Ms: percentile(ttfb, 99),
    errors,
    cookies: [[...jar]],
  };
}

function run(job: Job): Promise<LoadResult> {
  switch (job.kind) {
    case 'autocannon':
      return runAutocannon(job);
    case 'rotation':
      return runRotation(job);
    case 'sequential':
      return runSequential(job);
  }
}

process.on('message', (message: { id: number; job: Job }) => {
  run(message.job).then(
    (result) => process.send!({ id: message.id, result }),
    (error: unknown) => process.send!({ id: message.id, error: String((error as Error)?.stack ?? error) }),
  );
});
process.on('disconnect', () => process.exit(0));
