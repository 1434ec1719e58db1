import { Pool } from 'undici';

/** One routed call of the stream: when it was sent and answered (ms on the run's clock), and who served it. */
export type StreamCall = { sent: number; done: number; status: number; servedBy: string | null };

/** A moment of the run: when the change was asked for and when the upstream confirmed it (ms on the run's clock). */
export type Change = { asked: number; done: number };

export type FailoverRun = { calls: StreamCall[]; flip: Change; recover: Change };

/**
 * A steady stream of routed calls (an open loop: `rate` a second whatever the answers, up to `connections` at once)
 * for `seconds`, during which the primary's upstream starts failing at `flipAt` and recovers at `recoverAt` (seconds
 * from the start; `flip` and `recover` make the change and resolve once the upstream confirmed it). Every call is
 * kept with the connection that served it (the answer's `provider.connection_id`).
 */
export async function failoverStream(options: {
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  rate: number;
  connections: number;
  seconds: number;
  flipAt: number;
  recoverAt: number;
  flip: () => Promise<void>;
  recover: () => Promise<void>;
}): Promise<FailoverRun> {
  const pool = new Pool(options.origin, { connections: options.connections, pipelining: 1 });
  const calls: StreamCall[] = [];
  const started = performance.now();
  const clock = () => performance.now() - started;
  const send = async () => {
    const sent = clock();
    let status = 0;
    let servedBy: string | null = null;
    try {
      const res = await pool.request({
        method: 'POST',
        path: options.path,
        headers: options.headers,
        body: options.body,
      });
      status = res.statusCode;
      const text = await res.body.text();
      if (status === 200)
        servedBy = (JSON.parse(text) as { provider: { connection_id: string } | null }).provider?.connection_id ?? null;
    } catch {
      status = 0;
    }
    calls.push({ sent, done: clock(), status, servedBy });
  };
  const change = async (run: () => Promise<void>): Promise<Change> => {
    const asked = clock();
    await run();
    return { asked, done: clock() };
  };
  const at = (seconds: number, run: () => Promise<void>) =>
    new Promise<Change>((resolve, reject) => {
      setTimeout(() => change(run).then(resolve, reject), seconds * 1000);
    });
  const planned = Math.round(options.rate * options.seconds);
  const inFlight = new Set<Promise<void>>();
  try {
    const changes = Promise.all([at(options.flipAt, options.flip), at(options.recoverAt, options.recover)]);
    await new Promise<void>((resolve) => {
      let sent = 0;
      const tick = () => {
        const due = Math.min(planned, Math.floor((clock() / 1000) * options.rate) + 1);
        for (; sent < due; sent++) {
          const call: Promise<void> = send().then(() => {
            inFlight.delete(call);
          });
          inFlight.add(call);
        }
        if (sent >= planned) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
    await Promise.all([...inFlight]);
    const [flip, recover] = await changes;
    return { calls, flip, recover };
  } finally {
    await pool.close();
  }
}

export type FailoverVerdict = {
  /** Calls answered before the flip was asked for, and how many of them the primary served. */
  before: { calls: number; primary: number };
  /** Calls sent once the upstream confirmed the flip, until the recovery was asked for. */
  during: { calls: number; notByFallback: number; firstByFallbackMs: number | null; p50: number; max: number };
  /** Calls sent once the upstream confirmed the recovery. */
  after: { calls: number; backAfterMs: number | null; offPrimaryAfterBack: number; failed: number };
};

/** What the stream shows: the failover (calls not served by the fallback, time to its first answer) and the return. */
export function judgeFailover(run: FailoverRun, primary: string, fallback: string): FailoverVerdict {
  const before = run.calls.filter((c) => c.done < run.flip.asked);
  const during = run.calls.filter((c) => c.sent >= run.flip.done && c.sent < run.recover.asked);
  const after = run.calls.filter((c) => c.sent >= run.recover.done).sort((a, b) => a.done - b.done);
  const firstByFallback = during.filter((c) => c.servedBy === fallback).sort((a, b) => a.done - b.done)[0];
  const back = after.find((c) => c.servedBy === primary);
  const latencies = during.map((c) => c.done - c.sent).sort((a, b) => a - b);
  return {
    before: { calls: before.length, primary: before.filter((c) => c.servedBy === primary).length },
    during: {
      calls: during.length,
      notByFallback: during.filter((c) => c.status !== 200 || c.servedBy !== fallback).length,
      firstByFallbackMs: firstByFallback ? firstByFallback.done - run.flip.done : null,
      p50: latencies[Math.floor(latencies.length / 2)] ?? 0,
      max: latencies[latencies.length - 1] ?? 0,
    },
    after: {
      calls: after.length,
      backAfterMs: back ? back.done - run.recover.done : null,
      offPrimaryAfterBack: back ? after.filter((c) => c.sent > back.done && c.servedBy !== primary).length : 0,
      failed: after.filter((c) => c.status !== 200).length,
    },
  };
}
