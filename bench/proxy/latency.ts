import { Pool } from 'undici';

export type LatencyResult = { p50: number; p99: number; requestsPerSecond: number; errors: number };

/**
 * Per-request latency with microsecond resolution, measured by a closed loop of `connections` keep-alive clients
 * each sending one request at a time. autocannon's latency histogram counts whole milliseconds, too coarse for a
 * proxy that adds a fraction of one; this measures the same requests with performance.now().
 */
export async function measureLatency(options: {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  requests: number;
  warmup: number;
}): Promise<LatencyResult> {
  const url = new URL(options.url);
  const pool = new Pool(url.origin, { connections: options.connections, pipelining: 1 });
  const path = `${url.pathname}${url.search}`;
  let errors = 0;
  const send = async () => {
    const res = await pool.request({ path, method: 'GET', headers: options.headers ?? {} });
    await res.body.dump();
    if (res.statusCode !== 200) errors++;
  };
  const loop = async (count: number, samples?: number[]) => {
    let left = count;
    await Promise.all(
      Array.from({ length: options.connections }, async () => {
        while (left-- > 0) {
          const started = performance.now();
          await send();
          samples?.push(performance.now() - started);
        }
      }),
    );
  };
  try {
    await loop(options.warmup);
    const samples: number[] = [];
    const started = performance.now();
    await loop(options.requests, samples);
    const seconds = (performance.now() - started) / 1000;
    samples.sort((a, b) => a - b);
    const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] as number;
    return { p50: at(0.5), p99: at(0.99), requestsPerSecond: samples.length / seconds, errors };
  } finally {
    await pool.close();
  }
}
