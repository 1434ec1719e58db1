import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { systemClock } from '../../../core/clock.js';
import type { Db } from '../../../core/db/port.js';
import { inboundProcessorOptions } from '../../../server/workers.js';
import { createEventTypeCache } from '../../../events/types/cache.js';
import { createInboundProcessor, type InboundProcessor } from './processor.js';

/*
 * The processor as `serve` runs it (started: woken, polling, recovering), not drained by hand: how it stops and how
 * events left leased by a process that died come back.
 */

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

/** An app with an event type and a source whose one rule publishes it: a stored event is `received` and due. */
async function setup() {
  const t = await createTestApp();
  open.push(() => t.close());
  const type = await t.request({ method: 'POST', url: '/v1/event-types', body: { name: 'order.created' } });
  expect(type.statusCode, type.body).toBe(201);
  const created = await t.request({
    method: 'POST',
    url: '/v1/inbound/sources',
    body: {
      name: 'orders',
      verification: { type: 'none' },
      rules: [{ name: 'all', actions: [{ type: 'publish', event_type: 'order.created' }] }],
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  const path = new URL((created.data.source as { url: string }).url).pathname;
  const receive = async (n: number): Promise<string> => {
    const res = await t.request({ method: 'POST', url: path, body: { n }, token: null });
    expect(res.statusCode, res.body).toBe(202);
    return res.data.id as string;
  };
  return { t, receive };
}

/** A processor of its own, on `db` (the app's, or one that holds some statements back), logging into `logs`. */
function processorOn(t: TestApp, db: Db, logs: string[] = []): InboundProcessor {
  const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
  const processor = createInboundProcessor(
    {
      db,
      vault: t.built.vault,
      outbound: t.built.connections.outbound,
      eventTypes: createEventTypeCache(db),
      clock: systemClock,
      log,
    },
    { ...inboundProcessorOptions(t.config, 'test'), pollMs: 50 },
  );
  open.push(() => processor.stop(1000));
  return processor;
}

async function statusOf(
  t: TestApp,
  id: string,
): Promise<{ status: string; lease_until: Date | null; attempts: number }> {
  const { rows } = await t.db.query<{ status: string; lease_until: Date | null; attempts: number }>(
    'select status, lease_until, attempts from inbound_events where id = $1',
    [id],
  );
  return rows[0] as { status: string; lease_until: Date | null; attempts: number };
}

describe('inbound processor, running', () => {
  it('stop waits for the claim in flight, and runs what it claimed before answering', async () => {
    const { t, receive } = await setup();
    const id = await receive(1);
    // The claim statement is held back until the test lets it go: stop() is called while it is in flight.
    let claimReached!: () => void;
    const reached = new Promise<void>((resolve) => (claimReached = resolve));
    let releaseClaim!: () => void;
    const released = new Promise<void>((resolve) => (releaseClaim = resolve));
    const gated: Db = {
      ...t.db,
      query: async (text, values) => {
        if (text.includes('for update skip locked') && text.includes('inbound_events')) {
          claimReached();
          await released;
        }
        return t.db.query(text, values);
      },
    } as Db;
    const processor = processorOn(t, gated);
    await processor.start();
    await reached;

    let stopped = false;
    const stopping = processor.stop(10_000).then(() => (stopped = true));
    await sleep(200);
    expect(stopped).toBe(false);
    releaseClaim();
    await stopping;
    // What the claim took was processed before stop answered, not left leased for a minute.
    expect(await statusOf(t, id)).toMatchObject({ status: 'processed', lease_until: null, attempts: 1 });
  });

  it('takes orphaned leases back one way: at start on an embedded database, once ended on a server', async () => {
    const { t, receive } = await setup();
    const ended = await receive(1);
    const live = await receive(2);
    // Claimed by a process that is gone: one lease ended a second ago, the other runs for another minute.
    await t.db.query(
      `update inbound_events set attempts = 1,
         lease_until = case when id = $1 then now() - interval '1 second' else now() + interval '1 minute' end
       where id in ($1, $2)`,
      [ended, live],
    );
    const logs: string[] = [];
    const processor = processorOn(t, t.db, logs);
    await processor.start();

    await expect.poll(async () => (await statusOf(t, ended)).status, { timeout: 10_000 }).toBe('processed');
    // On a server another node may still be working on it: its lease is left to run.
    await sleep(500);
    expect(await statusOf(t, live)).toMatchObject({ status: 'received', attempts: 1 });
    expect(logs.join('')).toContain('inbound events whose lease expired are due again');
    expect(await statusOf(t, ended)).toMatchObject({ attempts: 2, lease_until: null });
  });
});
