import { createHmac } from 'node:crypto';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { randomToken } from '../src/core/ids.js';
import { generateMasterKey } from '../src/vault/keyring.js';
import { createServeDatabase, serveApi, startServeProcess, type ServeProcess } from './helpers/serve-process.js';

/**
 * Inbound webhooks survive the process: under load, kill -9 the server; after a restart on the same database every
 * request that was answered 2xx is in the event log exactly once, and nothing else appears more than once.
 */
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()?.();
});

const SECRET = 'test-secret';
/** Concurrent senders, each on a keep-alive connection of its own. */
const SENDERS = 16;
/** The kill lands once this many requests have been acknowledged; the others are in flight or not yet sent. */
const KILL_AFTER = 400;

type Sent = {
  deliveryId: string;
  body: string;
  /** The HTTP status, when an answer arrived (none for requests cut off by the kill). */
  status?: number;
  /** The inbound event id of a 2xx answer. */
  id?: string;
  answer?: string;
};

type StoredEvent = { id: string; dedup_key: string | null; status: string; duplicate_of: string | null };

async function startNode(env: Record<string, string>): Promise<ServeProcess> {
  const node = await startServeProcess(env);
  cleanup.push(() => node.stop('SIGKILL'));
  await node.waitHealthy();
  return node;
}

function sign(body: string): string {
  return createHmac('sha256', SECRET).update(body).digest('hex');
}

/** One signed webhook to `url` (a node's base URL plus the source's /hooks/{token} path). */
async function deliver(dispatcher: Agent, url: string, deliveryId: string, body: string) {
  const res = await request(url, {
    method: 'POST',
    dispatcher,
    headers: { 'content-type': 'application/json', 'x-signature': sign(body), 'x-delivery-id': deliveryId },
    body,
  });
  return { status: res.statusCode, text: () => res.body.text() };
}

/** Every event of the source, through the API's cursor paging. */
async function listEvents(node: ServeProcess, token: string, sourceId: string): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `source_id=${sourceId}&limit=200${cursor ? `&cursor=${cursor}` : ''}`;
    const page = await serveApi(node, token, 'GET', `/v1/inbound/events?${query}`);
    expect(page.status).toBe(200);
    events.push(...(page.data.data as StoredEvent[]));
    cursor = page.data.next_cursor as string | null;
  } while (cursor);
  return events;
}

describe('inbound webhook durability', () => {
  it.each(['embedded', 'postgres'] as const)(
    'kill -9 under load on %s: after a restart every acknowledged request is stored exactly once',
    async (kind) => {
      const database = await createServeDatabase(kind);
      cleanup.push(() => database.remove());
      const token = randomToken('syk_');
      const env: Record<string, string> = {
        ...database.env,
        SWITCHYARD_MASTER_KEY: generateMasterKey(),
        SWITCHYARD_ADMIN_TOKEN: token,
        SWITCHYARD_LOG_LEVEL: 'warn',
      };
      const node = await startNode(env);
      const created = await serveApi(node, token, 'POST', '/v1/inbound/sources', {
        name: 'crash',
        verification: {
          type: 'generic_hmac',
          algorithm: 'sha256',
          encoding: 'hex',
          header: 'X-Signature',
          delivery_id_header: 'X-Delivery-Id',
        },
        secret: SECRET,
      });
      expect(created.status).toBe(201);
      const source = created.data.source as { id: string; url: string };
      // The node's port changes with the restart; the token in the path is what names the source.
      const hookPath = new URL(source.url).pathname;

      const dispatcher = new Agent({ connections: SENDERS, keepAliveTimeout: 30_000 });
      cleanup.push(() => dispatcher.destroy().catch(() => {}));
      const sent: Sent[] = [];
      let acknowledged = 0;
      let stopping = false;
      let seq = 0;
      const kill = () => {
        if (stopping) return;
        stopping = true;
        node.proc.kill('SIGKILL');
      };
      // Should the process die on its own, the senders stop too (and the signal check below fails).
      void node.exited.then(() => (stopping = true));
      const sender = async (w: number) => {
        while (!stopping) {
          const n = seq++;
          const entry: Sent = {
            deliveryId: `dlv-${w}-${n}`,
            body: JSON.stringify({ n, sender: w, pad: 'x'.repeat(200 + (n % 300)) }),
          };
          sent.push(entry);
          try {
            const res = await deliver(dispatcher, `${node.url}${hookPath}`, entry.deliveryId, entry.body);
            // A 2xx status line is the acknowledgement, even should the kill cut off the rest of the answer.
            entry.status = res.status;
            entry.answer = await res.text();
            if (res.status >= 200 && res.status < 300) {
              entry.id = (JSON.parse(entry.answer) as { id: string }).id;
              if (++acknowledged >= KILL_AFTER) kill();
            }
          } catch {
            // Cut off by the kill (reset, refused or closed): it may or may not have been stored.
          }
        }
      };
      const senders = Promise.all(Array.from({ length: SENDERS }, (_, w) => sender(w)));
      const exit = await node.exited;
      // Only the kill ends the process: had it died on its own, its output says why.
      expect(exit.signal, node.output()).toBe('SIGKILL');
      await senders;

      const acked = sent.filter((s) => s.status !== undefined && s.status >= 200 && s.status < 300);
      expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER);
      // A live server answered everything with 202 received (each delivery id is new); the dead one answered nothing.
      expect(sent.filter((s) => s.status !== undefined && s.status !== 202).map((s) => [s.status, s.answer])).toEqual(
        [],
      );
      for (const s of acked) if (s.answer) expect(JSON.parse(s.answer)).toMatchObject({ status: 'processed' });
      const cutOff = sent.filter((s) => s.status === undefined);

      const restarted = await startNode(env);
      const events = await listEvents(restarted, token, source.id);
      const byKey = new Map<string, StoredEvent[]>();
      for (const event of events) {
        const key = event.dedup_key ?? '(none)';
        byKey.set(key, [...(byKey.get(key) ?? []), event]);
      }
      // Nothing acknowledged is missing, or stored under another id.
      const missing = acked.filter((s) => !byKey.has(s.deliveryId)).map((s) => `${s.deliveryId} ${s.id}`);
      expect(missing, `${missing.length} of ${acked.length} acknowledged requests are missing`).toEqual([]);
      const otherId = acked
        .filter((s) => s.id !== undefined && byKey.get(s.deliveryId)?.[0]?.id !== s.id)
        .map((s) => s.deliveryId);
      expect(otherId).toEqual([]);
      // No delivery id twice, and nothing stored that was not sent (no rejected requests, no duplicates).
      const twice = [...byKey].filter(([, rows]) => rows.length > 1).map(([key, rows]) => [key, rows.map((r) => r.id)]);
      expect(twice).toEqual([]);
      const sentIds = new Set(sent.map((s) => s.deliveryId));
      expect(events.filter((e) => !sentIds.has(e.dedup_key ?? '')).map((e) => [e.id, e.status])).toEqual([]);
      expect(events.filter((e) => e.status === 'duplicate' || e.status === 'rejected')).toEqual([]);
      // What was cut off by the kill is there at most once (checked above); the rest is exactly the acknowledged.
      const storedCutOff = cutOff.filter((s) => byKey.has(s.deliveryId)).length;
      expect(events).toHaveLength(acked.length + storedCutOff);

      // The raw bytes survived too, for a few events spread over the run.
      const withId = acked.filter((s) => s.id !== undefined);
      for (const s of [withId[0], withId[Math.floor(withId.length / 2)], withId.at(-1)] as Sent[]) {
        const detail = await serveApi(restarted, token, 'GET', `/v1/inbound/events/${s.id}?include_body=true`);
        expect(detail.status).toBe(200);
        expect(detail.data).toMatchObject({ dedup_key: s.deliveryId, body: s.body, body_encoding: 'utf8' });
      }

      // The source survived: the same URL takes a new request, and the dedup claims survived with the events.
      const after = await deliver(dispatcher, `${restarted.url}${hookPath}`, 'dlv-after-restart', '{"after":true}');
      expect(after.status).toBe(202);
      expect(JSON.parse(await after.text())).toMatchObject({ status: 'processed', duplicate_of: null });
      const first = withId[0] as Sent;
      const again = await deliver(dispatcher, `${restarted.url}${hookPath}`, first.deliveryId, first.body);
      expect(again.status).toBe(202);
      expect(JSON.parse(await again.text())).toMatchObject({ status: 'duplicate', duplicate_of: first.id });

      await dispatcher.close();
      expect((await restarted.stop()).code).toBe(0);
    },
    120_000,
  );
});
