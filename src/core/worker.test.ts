import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/helpers/db.js';
import { systemClock } from './clock.js';
import { channels } from './db/channels.js';
import { createWorker, type LeasedJobs } from './worker.js';

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

/** A queue of numbered jobs in memory; each job runs until the test finishes it. */
async function setup(settings = { concurrency: 2, pollMs: 60_000, recoverEveryMs: 60_000 }) {
  const testDb: TestDb = await createTestDb();
  open.push(() => testDb.drop());
  const due: number[] = [];
  const claims: { free: number; woken: boolean; got: number[] }[] = [];
  const recoveries: (Date | 'all')[] = [];
  const finish = new Map<number, () => void>();
  const release = new Map<number, () => void>();
  const jobs: LeasedJobs<number> = {
    name: 'test jobs',
    wakeOn: [channels.webhookDeliveries],
    async claim(free, _now, woken) {
      const got = due.splice(0, free);
      claims.push({ free, woken, got });
      return got;
    },
    run: (n, released) => {
      release.set(n, released);
      return new Promise<void>((resolve) => finish.set(n, resolve));
    },
    async recover(leaseEnded) {
      recoveries.push(leaseEnded);
      return 0;
    },
    failed: (error) => {
      throw error;
    },
  };
  const worker = createWorker({ db: testDb.db, clock: systemClock, log: pino({ level: 'silent' }) }, jobs, settings);
  open.push(() => worker.stop(0));
  const notify = () => testDb.db.transaction((tx) => testDb.db.notify(tx, channels.webhookDeliveries, ''));
  return { testDb, worker, due, claims, recoveries, finish, release, notify };
}

describe('leased worker', () => {
  it('claims what its free slots hold when a notification wakes it, and again as jobs finish', async () => {
    const { worker, due, claims, finish, notify, recoveries } = await setup();
    await worker.start();
    await expect.poll(() => claims.length).toBe(1);
    // A server's worker recovers only leases that ended (on the embedded database its start takes back every one).
    expect(recoveries).toEqual([expect.any(Date)]);

    due.push(1, 2, 3);
    await notify();
    await expect.poll(() => worker.inFlight()).toBe(2);
    expect(claims.slice(1)).toEqual([{ free: 2, woken: true, got: [1, 2] }]);

    finish.get(1)?.();
    await expect.poll(() => claims.length).toBe(3);
    expect(claims[2]).toMatchObject({ free: 1, got: [3] });
    // A finished job frees a slot: claimed again without a wake-up, so without looking for new work.
    due.push(4);
    finish.get(2)?.();
    await expect.poll(() => claims.length).toBe(4);
    expect(claims[3]).toEqual({ free: 1, woken: false, got: [4] });
    await sleep(50);
    expect(claims).toHaveLength(4);
  });

  it('stop waits for running jobs until its deadline, and claims nothing after', async () => {
    const { worker, due, claims, finish } = await setup();
    due.push(1, 2);
    await worker.start();
    await expect.poll(() => worker.inFlight()).toBe(2);

    const began = performance.now();
    const stopping = worker.stop(300);
    finish.get(1)?.();
    await stopping;
    // Job 2 never finished: stop answered at the deadline, leaving it to its lease.
    expect(performance.now() - began).toBeGreaterThanOrEqual(290);
    due.push(3);
    worker.wake();
    await sleep(50);
    expect(claims.flatMap((c) => c.got)).toEqual([1, 2]);
  });

  it('starts the next job in a released slot, lets at most `concurrency` jobs finish so, and stop waits for them', async () => {
    const { worker, due, claims, finish, release } = await setup();
    due.push(1, 2, 3, 4, 5, 6);
    await worker.start();
    await expect.poll(() => worker.inFlight()).toBe(2);
    const started = () => claims.flatMap((c) => c.got);
    expect(started()).toEqual([1, 2]);

    // What is left of 1 and 2 is local work: their slots take 3 and 4 while they finish.
    release.get(1)?.();
    release.get(1)?.();
    await expect.poll(started).toEqual([1, 2, 3]);
    release.get(2)?.();
    await expect.poll(started).toEqual([1, 2, 3, 4]);
    expect(worker.inFlight()).toBe(2);

    // Two finishing already: 3 keeps its slot.
    release.get(3)?.();
    await sleep(50);
    expect(started()).toEqual([1, 2, 3, 4]);
    // A finished job makes room among the finishing ones, not a slot: nothing more starts until 3 is released again.
    finish.get(1)?.();
    await sleep(50);
    expect(started()).toEqual([1, 2, 3, 4]);
    release.get(3)?.();
    await expect.poll(started).toEqual([1, 2, 3, 4, 5]);

    // stop waits for a released job as for a running one.
    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    for (const n of [3, 4, 5]) finish.get(n)?.();
    await sleep(50);
    expect(stopped).toBe(false);
    finish.get(2)?.();
    await stopping;
    expect(started()).toEqual([1, 2, 3, 4, 5]);
  });
});
