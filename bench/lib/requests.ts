import { Pool } from 'undici';

/** One request of a generated load: each call of `next()` may build a different one (fresh ids, signatures). */
export type GeneratedRequest = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
};

export type RequestsResult = {
  /** Requests answered (any status) or failed at the socket, over the measurement. */
  total: number;
  /** Answers with a 2xx status. */
  ok: number;
  /** Answers outside 2xx, by status. */
  statuses: Record<number, number>;
  /** Socket errors and timeouts. */
  errors: number;
  /** Answers per second, from the first request sent to the last answer. */
  requestsPerSecond: number;
  /** Latency percentiles in ms, microsecond resolution. */
  p50: number;
  p99: number;
  max: number;
};

type Options = {
  /** The server's origin, e.g. http://127.0.0.1:3000 */
  origin: string;
  next: () => GeneratedRequest;
  /** Every answer, with its body as text (for checks the caller wants to make). */
  onResponse?: (statusCode: number, body: string) => void;
  /** Every request that failed at the socket or timed out (counted in `errors` either way). */
  onError?: (error: unknown) => void;
};

function summarise(
  latencies: number[],
  counts: Omit<RequestsResult, 'requestsPerSecond' | 'p50' | 'p99' | 'max'>,
  ms: number,
) {
  return { ...counts, requestsPerSecond: counts.total / (ms / 1000), ...percentiles(latencies) };
}

/** p50, p99 and max of latencies in ms (sorts them in place). */
function percentiles(latencies: number[]): Pick<RequestsResult, 'p50' | 'p99' | 'max'> {
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: at(1) };
}

function sender(
  pool: Pool,
  options: Options,
  counts: { total: number; ok: number; errors: number; statuses: Record<number, number> },
) {
  return async function send(): Promise<void> {
    const r = options.next();
    try {
      const res = await pool.request({
        method: r.method ?? 'GET',
        path: r.path,
        headers: r.headers ?? {},
        ...(r.body !== undefined ? { body: r.body } : {}),
      });
      if (options.onResponse) options.onResponse(res.statusCode, await res.body.text());
      else await res.body.dump();
      if (res.statusCode >= 200 && res.statusCode < 300) counts.ok++;
      else counts.statuses[res.statusCode] = (counts.statuses[res.statusCode] ?? 0) + 1;
    } catch (error) {
      counts.errors++;
      options.onError?.(error);
    }
    counts.total++;
  };
}

/**
 * A closed loop: `connections` keep-alive clients, each sending its next request as soon as the previous one is
 * answered, for `seconds`. Unlike autocannon (bench/lib/load.ts), each request can differ (see `next`), and the
 * requests in flight when time is up are waited for rather than cut off, so every request sent is accounted for
 * (what a server stored can be checked against what it acknowledged).
 */
export async function runClosedLoop(
  options: Options & { connections: number; seconds: number },
): Promise<RequestsResult> {
  const pool = new Pool(options.origin, { connections: options.connections, pipelining: 1 });
  const counts = { total: 0, ok: 0, errors: 0, statuses: {} as Record<number, number> };
  const latencies: number[] = [];
  const send = sender(pool, options, counts);
  const started = performance.now();
  const until = started + options.seconds * 1000;
  try {
    await Promise.all(
      Array.from({ length: options.connections }, async () => {
        while (performance.now() < until) {
          const t = performance.now();
          await send();
          latencies.push(performance.now() - t);
        }
      }),
    );
    return summarise(latencies, counts, performance.now() - started);
  } finally {
    await pool.close();
  }
}

/** Percentiles of the requests due after the first `settleSeconds` of an open loop (see `runOpenLoop`). */
export type SettledLatency = { afterSeconds: number; count: number; p50: number; p99: number; max: number };

/**
 * An open loop: requests sent at a fixed `rate` per second for `seconds`, whether or not earlier ones were
 * answered (up to `connections` at once on the wire, the rest queued in the client). Latency runs from when each
 * request was due, so a server that falls behind shows its queue in the percentiles (no coordinated omission).
 * Waits for every request sent to be answered. With `maxOutstanding`, sending stops early once that many requests
 * are unanswered (the server cannot keep up, and the queue would only grow): `stoppedAfterSeconds` says when.
 */
export async function runOpenLoop(
  options: Options & {
    rate: number;
    seconds: number;
    connections: number;
    maxOutstanding?: number;
    /**
     * Also summarise the requests due after this many seconds (`settled`): a server that has just started, or a
     * load that begins near its capacity, answers its first seconds from a backlog that a whole-run p99 is made of.
     */
    settleSeconds?: number;
  },
): Promise<
  RequestsResult & { sent: number; planned: number; stoppedAfterSeconds: number | null; settled?: SettledLatency }
> {
  const pool = new Pool(options.origin, { connections: options.connections, pipelining: 1 });
  const counts = { total: 0, ok: 0, errors: 0, statuses: {} as Record<number, number> };
  const latencies: number[] = [];
  const settledLatencies: number[] = [];
  const settleAt = options.settleSeconds === undefined ? Infinity : options.settleSeconds * 1000;
  const send = sender(pool, options, counts);
  const planned = Math.round(options.rate * options.seconds);
  const maxOutstanding = options.maxOutstanding ?? Infinity;
  // Only the unanswered requests are held: a long run at a fixed rate must not keep every request it sent.
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  let sent = 0;
  let stoppedAfterSeconds: number | null = null;
  try {
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        const due = Math.min(planned, Math.floor(((now - started) / 1000) * options.rate) + 1);
        for (; sent < due; sent++) {
          if (sent - latencies.length >= maxOutstanding) {
            stoppedAfterSeconds = (now - started) / 1000;
            resolve();
            return;
          }
          const dueAt = started + (sent / options.rate) * 1000;
          const settled = dueAt - started >= settleAt;
          const request: Promise<void> = send().then(() => {
            const latency = performance.now() - dueAt;
            latencies.push(latency);
            if (settled) settledLatencies.push(latency);
            inFlight.delete(request);
          });
          inFlight.add(request);
        }
        if (sent >= planned) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
    await Promise.all([...inFlight]);
    const result = { ...summarise(latencies, counts, performance.now() - started), sent, planned, stoppedAfterSeconds };
    if (options.settleSeconds === undefined) return result;
    const settled = {
      afterSeconds: options.settleSeconds,
      count: settledLatencies.length,
      ...percentiles(settledLatencies),
    };
    return { ...result, settled };
  } finally {
    await pool.close();
  }
}
