import fs from 'node:fs';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { randomToken } from '../src/core/ids.js';
import { generateMasterKey } from '../src/vault/keyring.js';
import { testDatabaseUrl } from './helpers/db.js';
import {
  createScratchDatabase,
  initialisedDataDir,
  startServeProcess,
  type ServeProcess,
} from './helpers/serve-process.js';
import { startReceiver, type Receiver } from './helpers/webhook-receiver.js';

/**
 * Outbound webhooks survive the process: events published and acknowledged are delivered after a kill -9, and
 * several nodes on one PostgreSQL database share the work without sending a delivery twice.
 */
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()?.();
});

async function api(node: ServeProcess, token: string, method: string, url: string, body?: unknown) {
  const res = await fetch(`${node.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, data: (await res.json()) as Record<string, unknown> };
}

/** The environment of a node: a database of its own (a data directory, or a scratch PostgreSQL database). */
async function nodeEnvironment(kind: 'embedded' | 'postgres'): Promise<Record<string, string>> {
  const base = {
    SWITCHYARD_MASTER_KEY: generateMasterKey(),
    SWITCHYARD_ADMIN_TOKEN: randomToken('syk_'),
    SWITCHYARD_LOG_LEVEL: 'warn',
    SWITCHYARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
    // A short request timeout keeps the lease short, so deliveries orphaned by the kill come due within seconds.
    SWITCHYARD_WEBHOOK_TIMEOUT: '1s',
  };
  if (kind === 'postgres') {
    const database = await createScratchDatabase(testDatabaseUrl());
    cleanup.push(() => database.drop());
    return { ...base, DATABASE_URL: database.url };
  }
  const dir = initialisedDataDir('switchyard-webhooks-');
  cleanup.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return { ...base, SWITCHYARD_DATA_DIR: dir };
}

async function startNode(env: Record<string, string>): Promise<ServeProcess> {
  const node = await startServeProcess(env);
  cleanup.push(() => node.stop('SIGKILL'));
  await node.waitHealthy();
  return node;
}

/** An event type and an endpoint pointing at the receiver; returns the endpoint's signing secret. */
async function subscribe(node: ServeProcess, token: string, receiver: Receiver): Promise<string> {
  expect((await api(node, token, 'POST', '/v1/event-types', { name: 'order.placed' })).status).toBe(201);
  const endpoint = await api(node, token, 'POST', '/v1/webhooks/endpoints', { url: receiver.url() });
  expect(endpoint.status).toBe(201);
  return (endpoint.data.signing_secret as { secret: string }).secret;
}

/** Publish `count` events, a few requests at a time; returns the ids of those acknowledged with 201. */
async function publishMany(nodes: ServeProcess[], token: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async (w: number) => {
    while (next < count) {
      const n = next++;
      const node = nodes[(n + w) % nodes.length] as ServeProcess;
      const res = await api(node, token, 'POST', '/v1/events', { type: 'order.placed', data: { n } });
      expect(res.status).toBe(201);
      ids.push(res.data.id as string);
    }
  };
  await Promise.all([0, 1, 2, 3].map(worker));
  return ids;
}

function receivedIds(receiver: Receiver): string[] {
  return receiver.received.map((r) => r.headers['webhook-id'] as string);
}

type Attempt = { attempt_number: number; outcome: string; error: string | null; duration_ms: number | null };

/** The attempt log as the API shows it: each event's attempts, oldest first, once every delivery has finished. */
async function attemptLog(node: ServeProcess, token: string): Promise<Map<string, Attempt[]>> {
  const deliveries: { id: string; event_id: string; status: string }[] = [];
  let cursor: string | null = null;
  do {
    const page = await api(node, token, 'GET', `/v1/webhooks/deliveries?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.status).toBe(200);
    deliveries.push(...(page.data.data as typeof deliveries));
    cursor = page.data.next_cursor as string | null;
  } while (cursor);
  const log = new Map<string, Attempt[]>();
  for (const delivery of deliveries) {
    const detail = await api(node, token, 'GET', `/v1/webhooks/deliveries/${delivery.id}`);
    expect(detail.status).toBe(200);
    log.set(delivery.event_id, detail.data.attempts as Attempt[]);
  }
  return log;
}

describe('outbound webhook durability', () => {
  it.each(['embedded', 'postgres'] as const)(
    'kill -9 mid-dispatch on %s: after a restart every published event is delivered, duplicates share a webhook-id',
    async (kind) => {
      const receiver = await startReceiver();
      cleanup.push(() => receiver.close());
      // The first 30 requests are answered; after that the receiver hangs, so the kill lands with deliveries in
      // flight (sent, never acknowledged) and most of the backlog still pending.
      receiver.queue('/hook', ...Array.from({ length: 30 }, () => ({ status: 200, delayMs: 5 })));
      receiver.always('/hook', { hang: true });
      // A request timeout long enough that the four hung requests are still out when the kill lands (a timeout would
      // record their outcome first); their leases end 20 s after the claim.
      const env: Record<string, string> = {
        ...(await nodeEnvironment(kind)),
        SWITCHYARD_WEBHOOK_ENDPOINT_CONCURRENCY: '4',
        SWITCHYARD_WEBHOOK_TIMEOUT: '10s',
      };
      const node = await startNode(env);
      const secret = await subscribe(node, env.SWITCHYARD_ADMIN_TOKEN as string, receiver);

      const total = 200;
      const published = await publishMany([node], env.SWITCHYARD_ADMIN_TOKEN as string, total);
      expect(published).toHaveLength(total);
      await receiver.waitFor(30 + 4);
      const killed = await node.stop('SIGKILL');
      expect(killed.signal).toBe('SIGKILL');
      const inFlightAtKill = receiver.received.slice(30).map((r) => r.headers['webhook-id']);
      expect(inFlightAtKill).toHaveLength(4);
      receiver.always('/hook', { status: 200 });
      receiver.release();

      const restarted = await startNode(env);
      // Everything once, and the four in flight at the kill once more (on PostgreSQL after their lease ends: the
      // restarted node cannot tell a dead node's claim from a live one's).
      await expect.poll(() => receiver.received.length, { timeout: 60_000, interval: 200 }).toBe(total + 4);
      // Nothing lost, nothing invented: exactly the acknowledged events, each signed over the bytes it carried.
      expect(new Set(receivedIds(receiver))).toEqual(new Set(published));
      for (const request of receiver.received) {
        const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
        expect(() => new Webhook(secret).verify(request.body, headers)).not.toThrow();
      }
      // What was in flight at the kill is sent again, with the same webhook-id; what had been acknowledged is not.
      const counts = new Map<string, number>();
      for (const id of receivedIds(receiver)) counts.set(id, (counts.get(id) ?? 0) + 1);
      const twice = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
      expect(twice.sort()).toEqual([...inFlightAtKill].sort());

      // The attempt log tells the receiver's story: one attempt per request it got. Those in flight at the kill were
      // recorded before they left and show as interrupted (outcome unknown), followed by the retry that delivered.
      const token = env.SWITCHYARD_ADMIN_TOKEN as string;
      await expect
        .poll(
          async () => {
            const res = await api(restarted, token, 'GET', '/v1/webhooks/stats');
            return (res.data.overall as { delivered: number }).delivered;
          },
          { timeout: 30_000, interval: 200 },
        )
        .toBe(total);
      const log = await attemptLog(restarted, token);
      expect(new Set(log.keys())).toEqual(new Set(published));
      for (const [eventId, attempts] of log) {
        expect(attempts.length, eventId).toBe(counts.get(eventId));
        expect(attempts.at(-1)?.outcome).toBe('delivered');
      }
      for (const eventId of inFlightAtKill) {
        const attempts = log.get(eventId as string) as Attempt[];
        expect(attempts.map((a) => [a.attempt_number, a.outcome])).toEqual([
          [1, 'interrupted'],
          [2, 'delivered'],
        ]);
        expect(attempts[0]).toMatchObject({ duration_ms: null, error: expect.stringMatching(/^outcome unknown/) });
      }
      expect((await restarted.stop()).code).toBe(0);
    },
    180_000,
  );

  it('two nodes on one PostgreSQL deliver a burst published through both: none lost, none sent twice', async () => {
    const receiver = await startReceiver();
    cleanup.push(() => receiver.close());
    receiver.always('/hook', { status: 200, delayMs: 5 });
    const env = await nodeEnvironment('postgres');
    const [a, b] = await Promise.all([startNode(env), startNode(env)]);
    await subscribe(a, env.SWITCHYARD_ADMIN_TOKEN as string, receiver);

    const total = 300;
    const published = await publishMany([a, b], env.SWITCHYARD_ADMIN_TOKEN as string, total);
    await expect.poll(() => receiver.received.length, { timeout: 60_000, interval: 200 }).toBe(total);
    // Settle a moment: a delivery sent twice would show up now.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received).toHaveLength(total);
    expect(new Set(receivedIds(receiver))).toEqual(new Set(published));

    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    cleanup.push(() => client.end());
    await expect
      .poll(
        async () =>
          (
            await client.query<{ n: number }>(
              "select count(*)::int as n from webhook_deliveries where status = 'delivered' and attempt_count = 1",
            )
          ).rows[0]?.n,
        { timeout: 10_000 },
      )
      .toBe(total);
    const attempts = await client.query<{ n: number }>('select count(*)::int as n from webhook_attempts');
    expect(attempts.rows[0]?.n).toBe(total);

    const [stopA, stopB] = await Promise.all([a.stop(), b.stop()]);
    expect(stopA.code).toBe(0);
    expect(stopB.code).toBe(0);
  }, 180_000);
});
