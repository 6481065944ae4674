// What a load process can be asked to do. Plain data: it crosses a process boundary.
export type AutocannonJob = {
  kind: 'autocannon';
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  seconds: number;
  /** Exactly this many requests, however long they take (`seconds` is then ignored). */
  amount?: number;
  /** Requests per second over all connections (a steady load for latency figures); unset = as fast as possible. */
  rate?: number;
};

/** Refresh-token rotation from N sessions at once, each presenting the cookies its last rotation set. */
export type RotationJob = {
  kind: 'rotation';
  url: string;
  /** One cookie jar (name → value) per session. */
  sessions: [string, string][][];
  seconds: number;
};

/** One request at a time (latency, not throughput): time to first byte of each response. */
export type SequentialJob = {
  kind: 'sequential';
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Cookies to send; updated from each response's Set-Cookie (SSR rotates the refresh cookie). */
  cookies?: [string, string][];
  seconds?: number;
  count?: number;
  expectStatus: number;
};

export type Job = AutocannonJob | RotationJob | SequentialJob;

/** The request figures' request: `{ __typename }`, the least a GraphQL server can be asked. */
export const TYPENAME = JSON.stringify({ query: '{ __typename }' });

/** `{ __typename }` POSTs to a server's /graphql, for `seconds` or exactly `amount` of them. */
export function typenameJob(
  serverUrl: string,
  headers: Record<string, string>,
  connections: number,
  length: { seconds: number; rate?: number } | { amount: number },
): AutocannonJob {
  return {
    kind: 'autocannon',
    url: `${serverUrl}/graphql`,
    method: 'POST',
    headers,
    body: TYPENAME,
    connections,
    ...('amount' in length ? { seconds: 0, amount: length.amount } : length),
  };
}

export type LoadResult = {
  /** Completed requests per second (2xx and otherwise). */
  perSecond: number;
  total: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx (or unexpected status), connection errors and timeouts. */
  errors: number;
  /** For cookie-tracking jobs: the jars as they stand at the end. */
  cookies?: [string, string][][];
};
