import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../src/core/clock.js';
import { openPostgres } from '../src/core/db/postgres.js';
import { buildApp } from '../src/server/app.js';
import { keyringFromText } from '../src/vault/keyring.js';
import { INBOUND_RETRY_SCHEDULE_MS } from '../src/webhooks/inbound/process/processor.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { testDatabaseUrl } from './helpers/db.js';
import { startReceiver, type Receiver } from './helpers/webhook-receiver.js';

/*
 * A disabled tenant's inbound URLs answer 404 exactly as an unknown URL does, at once (the source cache is dropped
 * by the notification a tenant change sends), and its stored events wait: the running processor routes them only
 * once the tenant is enabled again.
 */

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()?.();
});

async function setUp(): Promise<{ t: TestApp; clock: ReturnType<typeof manualClock>; receiver: Receiver }> {
  const clock = manualClock(new Date());
  const t = await createTestApp({ clock });
  const receiver = await startReceiver();
  cleanup.push(
    () => t.close(),
    () => receiver.close(),
    () => t.built.workers.inboundProcessor.stop(1000),
  );
  await t.built.workers.inboundProcessor.start();
  return { t, clock, receiver };
}

async function createSource(t: TestApp, token: string, body: Record<string, unknown>) {
  const res = await t.request({
    method: 'POST',
    url: '/v1/inbound/sources',
    token,
    body: { name: 'src', verification: { type: 'none' }, ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  const s = res.data.source as { id: string; url: string };
  return { id: s.id, path: new URL(s.url).pathname };
}

const post = (t: TestApp, path: string, payload: unknown) =>
  t.request({
    method: 'POST',
    url: path,
    token: null,
    body: JSON.stringify(payload),
    headers: { 'content-type': 'application/json' },
  });

/** What a sender sees, without what differs between any two requests (the request id). */
function seen(res: { statusCode: number; headers: Record<string, unknown>; data: Record<string, unknown> }) {
  const { instance: _instance, request_id: _requestId, ...body } = res.data;
  return {
    status: res.statusCode,
    contentType: res.headers['content-type'],
    connection: res.headers['connection'],
    body,
  };
}

async function setDisabled(t: TestApp, tenantId: string, disabled: boolean) {
  const res = await t.request({ method: 'PATCH', url: `/v1/tenants/${tenantId}`, body: { disabled } });
  expect(res.statusCode, res.body).toBe(200);
}

describe(`inbound webhooks of a disabled tenant`, () => {
  it('its URLs answer 404 like an unknown one at once; its queued events wait and run once it is re-enabled', async () => {
    const { t, clock, receiver } = await setUp();
    const other = await t.otherTenant();
    receiver.queue('/fwd', { status: 503 }, { status: 200 });
    const source = await createSource(t, other.token, {
      rules: [{ name: 'relay', actions: [{ type: 'forward', url: receiver.url('/fwd') }] }],
    });

    // Accepted (and the source now cached); the forward fails with 503, so a retry is scheduled.
    const accepted = await post(t, source.path, { n: 1 });
    expect(accepted.statusCode, accepted.body).toBe(202);
    const eventId = accepted.data.id as string;
    const status = async () => {
      const { rows } = await t.db.query<{ status: string; attempts: number; error: string | null }>(
        'select status, attempts, error from inbound_events where id = $1',
        [eventId],
      );
      return rows[0];
    };
    await expect.poll(status).toEqual({ status: 'received', attempts: 1, error: 'relay / forward: HTTP 503' });
    expect(receiver.at('/fwd')).toHaveLength(1);

    await setDisabled(t, other.tenantId, true);
    const unknown = await post(t, `/hooks/hook_${'A'.repeat(27)}`, { n: 2 });
    const disabled = await post(t, source.path, { n: 2 });
    expect(unknown.statusCode).toBe(404);
    expect(seen(disabled)).toEqual(seen(unknown));
    // Nothing is logged for the refused request, as for an unknown URL.
    const { rows: logged } = await t.db.query('select id from inbound_events where source_id = $1', [source.id]);
    expect(logged).toHaveLength(1);

    // The retry comes due while the tenant is disabled: it is not routed.
    clock.advance((INBOUND_RETRY_SCHEDULE_MS[0] as number) + 1);
    await t.built.workers.inboundProcessor.drain();
    expect(await status()).toEqual({ status: 'received', attempts: 1, error: 'relay / forward: HTTP 503' });
    expect(receiver.at('/fwd')).toHaveLength(1);

    // Re-enabled: the waiting event is routed by the running processor, and the URL works again at once.
    await setDisabled(t, other.tenantId, false);
    t.built.workers.inboundProcessor.wake();
    await expect.poll(status).toEqual({ status: 'processed', attempts: 2, error: null });
    expect(receiver.at('/fwd')).toHaveLength(2);
    expect((await post(t, source.path, { n: 3 })).statusCode).toBe(202);
  });

  it('disabling on one node closes the URL on another node at once', async () => {
    const { t } = await setUp();
    // A second node: its own app, pool and source cache over the same database.
    const db = await openPostgres({ url: testDatabaseUrl(), schema: t.testDb.schema, namespace: t.testDb.schema });
    const node = await buildApp({
      config: t.config,
      db,
      log: pino({ level: 'silent' }),
      keyring: keyringFromText(t.masterKey, 'environment', 'test master key'),
      processMetrics: false,
    });
    cleanup.push(async () => {
      await node.close();
      await db.close();
    });
    const other = await t.otherTenant();
    const source = await createSource(t, other.token, {});
    const postB = (n: number) =>
      node.app.inject({
        method: 'POST',
        url: source.path,
        payload: JSON.stringify({ n }),
        headers: { 'content-type': 'application/json' },
      });
    expect((await postB(1)).statusCode).toBe(202); // cached on node B
    await setDisabled(t, other.tenantId, true); // on node A
    // Well within the cache's 60 s lifetime: the notification, not the expiry, closes the URL.
    await expect.poll(async () => (await postB(2)).statusCode, { timeout: 5000 }).toBe(404);
    await setDisabled(t, other.tenantId, false);
    await expect.poll(async () => (await postB(3)).statusCode, { timeout: 5000 }).toBe(202);
  });
});
