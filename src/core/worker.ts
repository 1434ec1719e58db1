import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { Channel } from './db/channels.js';
import type { Db } from './db/port.js';

/** How a worker paces itself; the server sets these from configuration (src/server/workers.ts). */
export type WorkerSettings = {
  /** Jobs running at once on this node. */
  concurrency: number;
  /** Look for due work this often even without a wake-up (retries coming due, missed notifications). */
  pollMs: number;
  /** Look for jobs whose lease ended (their node died) this often. */
  recoverEveryMs: number;
};

/** The domain half of a worker: what to claim, how to run it, how orphaned work comes back. */
export type LeasedJobs<J, R = unknown> = {
  /** What the jobs are, in the plural, for the log ("webhook deliveries"). */
  name: string;
  /** Channels whose notifications announce new work. */
  wakeOn: readonly Channel[];
  /**
   * Claim up to `free` due jobs, each under a lease longer than its run takes. `woken`: the pass follows a wake-up
   * (a notification, the poll, the start, `wake()`), so new work may be due, rather than only slots freed by finished
   * jobs.
   */
  claim(free: number, now: Date, woken: boolean): Promise<J[]>;
  /**
   * The claim came back (called at once, before its jobs start): whether more may be due than it took, so that
   * another pass follows at once. By default, when it filled every free slot.
   */
  claimed?(jobs: J[], free: number): boolean;
  /**
   * Run a claimed job and record its outcome. Should it throw, its lease ends and the job is claimed again.
   * `release()`: what is left of the run is local work (a flush, a commit), so its slot may start the next job
   * meanwhile; at most `concurrency` released jobs finish beside the running ones (beyond that, release keeps the
   * slot). `stop` waits for released jobs as for any other.
   */
  run(job: J, release: () => void): Promise<R>;
  /** A job's run settled: its slot is free. */
  settled?(job: J): void;
  /**
   * Make due again the jobs whose lease ended before `leaseEnded`: their node died mid-run. `'all'`: every leased
   * job, at the start of a process that is the only one on its database. The one way orphaned work comes back.
   * Answers how many.
   */
  recover(leaseEnded: Date | 'all'): Promise<number>;
  /** A pass (no job) or a job failed unexpectedly. */
  failed(error: unknown, job?: J): void;
};

export type Worker<J, R = unknown> = ReturnType<typeof createWorker<J, R>>;

/**
 * The leased-worker loop every background engine shares: claim → lease → run → record, over a table that is the
 * queue, on every node at once (claims use `FOR UPDATE SKIP LOCKED`, so nodes take different rows).
 * - A pass claims as many jobs as there are free slots. It runs when woken (a notification on `wakeOn`, `wake()`),
 *   on the poll, and when jobs finish; wake-ups that come while a pass runs, or within a millisecond of each other,
 *   share the next pass (one claim query for a burst of commits or finished jobs).
 * - Every `recoverEveryMs` a pass first makes due again the jobs whose lease ended. On an embedded database this
 *   process is the only one, so at start every job still leased was in flight when it last stopped, and is recovered
 *   before this process claims anything.
 * - `stop` stops claiming, waits for the pass in flight (its claims hold leases: they run, not wait for the lease to
 *   end), then for the running jobs until the grace period ends. Jobs still running then are abandoned with the
 *   process; their leases end and they run again elsewhere, or at the next start.
 */
export function createWorker<J, R = unknown>(
  deps: { db: Db; clock: Clock; log: Logger },
  jobs: LeasedJobs<J, R>,
  settings: WorkerSettings,
) {
  const { db, clock, log } = deps;
  const running = new Set<Promise<void>>();
  const unlisten: (() => Promise<void>)[] = [];
  let inFlight = 0;
  // Jobs that gave their slot back while they finish (see `run`).
  let finishing = 0;
  let stopped = true;
  let starting = false;
  // drain() works whether or not the worker was started (tests drive it by hand); passes it does not run wait.
  let draining = false;
  let passing: Promise<unknown> | undefined;
  let again = false;
  let woken = true;
  let lastRecovery = 0;
  let poll: NodeJS.Timeout | undefined;
  let soon: NodeJS.Timeout | undefined;

  /** Run a pass now, or right after the one in progress; `wakeUp`: new work may be due. */
  function wake(wakeUp: boolean): void {
    if (wakeUp) woken = true;
    if (stopped || draining) return;
    if (passing) {
      again = true;
      return;
    }
    passing = pass()
      .catch((error: unknown) => jobs.failed(error))
      .finally(() => {
        passing = undefined;
        if (again) {
          again = false;
          wake(false);
        }
      });
  }

  /** Run a pass within a millisecond, once for everything that asks meanwhile. */
  function wakeSoon(wakeUp: boolean): void {
    if (wakeUp) woken = true;
    if (soon || stopped || draining) return;
    soon = setTimeout(() => {
      soon = undefined;
      wake(false);
    }, 1);
  }

  /** Recover expired leases when due, then claim what fits and start it; answers the number started. */
  async function pass(): Promise<number> {
    const now = clock.now();
    if (now.getTime() - lastRecovery >= settings.recoverEveryMs) {
      lastRecovery = now.getTime();
      const recovered = await jobs.recover(now);
      if (recovered > 0) log.warn({ recovered }, `${jobs.name} whose lease expired are due again`);
    }
    const free = settings.concurrency - inFlight;
    if (free <= 0) return 0;
    const wakeUp = woken;
    woken = false;
    const claimed = await jobs.claim(free, now, wakeUp);
    if (jobs.claimed ? jobs.claimed(claimed, free) : claimed.length === free) again = true;
    for (const job of claimed) begin(job);
    return claimed.length;
  }

  function begin(job: J): Promise<R> {
    inFlight++;
    let released = false;
    const release = () => {
      if (released || finishing >= settings.concurrency) return;
      released = true;
      finishing++;
      inFlight--;
      wakeSoon(false);
    };
    const result = jobs.run(job, release);
    const done = result
      .then(
        () => undefined,
        (error: unknown) => jobs.failed(error, job),
      )
      .finally(() => {
        if (released) finishing--;
        else inFlight--;
        running.delete(done);
        jobs.settled?.(job);
        wakeSoon(false);
      });
    running.add(done);
    return result;
  }

  return {
    async start(): Promise<void> {
      if (!stopped || starting) return;
      starting = true;
      try {
        if (db.kind === 'embedded') {
          lastRecovery = clock.now().getTime();
          const recovered = await jobs.recover('all');
          if (recovered > 0) log.warn({ recovered }, `${jobs.name} in flight at the last stop are due again`);
        }
        for (const channel of jobs.wakeOn) unlisten.push(await db.listen(channel, () => wakeSoon(true)));
      } finally {
        starting = false;
      }
      stopped = false;
      poll = setInterval(() => wake(true), settings.pollMs);
      poll.unref();
      wake(true);
    },
    /** New work may be due: look now. */
    wake: () => wake(true),
    /** Capacity came free (a slot, a rate-limit token): claim again soon, without looking for new work. */
    freed: () => wakeSoon(false),
    /**
     * Run a job claimed outside the loop (one a request waits for): it takes a slot and `stop` waits for it like any
     * other. Answers its run's own promise.
     */
    adopt: begin,
    /** Jobs running on this node. */
    inFlight: () => inFlight,
    /** For tests: run passes until nothing is due and nothing runs (with the clock where the test put it). */
    async drain(): Promise<void> {
      draining = true;
      try {
        if (passing) await passing;
        for (;;) {
          woken = true;
          const started = await pass();
          if (running.size > 0) await Promise.all(running);
          else if (started === 0) break;
        }
      } finally {
        draining = false;
        again = false;
      }
    },
    /** Stop claiming; wait for the claim in flight, then for running jobs until `graceMs` after the call. */
    async stop(graceMs = Number.POSITIVE_INFINITY): Promise<void> {
      const deadline = performance.now() + graceMs;
      stopped = true;
      clearInterval(poll);
      clearTimeout(soon);
      soon = undefined;
      for (const off of unlisten.splice(0)) await off();
      if (passing) await passing;
      if (running.size === 0) return;
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(running),
        new Promise<void>((resolve) => {
          if (Number.isFinite(deadline)) grace = setTimeout(resolve, Math.max(0, deadline - performance.now()));
        }),
      ]);
      clearTimeout(grace);
    },
  };
}
