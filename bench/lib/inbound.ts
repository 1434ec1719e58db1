import { createHmac } from 'node:crypto';
import { randomToken } from '../../src/core/ids.js';
import type { BenchApi } from './api.js';
import { sampleOrder } from './payload.js';
import type { GeneratedRequest } from './requests.js';

export type SignedSource = {
  id: string;
  /** The path of its public `/hooks/{token}` URL (the URL names the configured public host). */
  path: string;
  /** When it was created: stored events are counted from a minute before. */
  createdAt: Date;
  /** A signed POST of ~1 KB JSON with a delivery id of its own at each call. */
  next: () => GeneratedRequest;
};

/**
 * An inbound source that verifies `generic_hmac` (sha256, hex, X-Signature) and deduplicates on X-Delivery-Id,
 * with the requests that pass its verification. `secret`: its signing secret (a reference server may check the same).
 */
export async function createSignedSource(api: BenchApi, secret = randomToken('whsec_bench_')): Promise<SignedSource> {
  const created = (await api.call('POST', '/v1/inbound/sources', {
    name: 'bench',
    verification: {
      type: 'generic_hmac',
      algorithm: 'sha256',
      encoding: 'hex',
      header: 'X-Signature',
      delivery_id_header: 'X-Delivery-Id',
    },
    secret,
  })) as { source: { id: string; url: string } };
  const hookPath = new URL(created.source.url).pathname;
  const data = sampleOrder(548);
  let sequence = 0;
  return {
    id: created.source.id,
    path: hookPath,
    createdAt: new Date(),
    next() {
      const id = `dlv_${process.pid}_${++sequence}`;
      const body = JSON.stringify({ id, type: 'order.placed', data });
      return {
        method: 'POST',
        path: hookPath,
        headers: {
          'content-type': 'application/json',
          'x-delivery-id': id,
          'x-signature': createHmac('sha256', secret).update(body).digest('hex'),
        },
        body,
      };
    },
  };
}

/**
 * Sanity: a signed request is stored, a wrongly signed one is refused (so a bench measures verification). The
 * signed one is an event of the source: count it among the acknowledged (`tallyAnswers(1)`).
 */
export async function probeSignedSource(origin: string, source: SignedSource): Promise<void> {
  const probe = source.next();
  const good = await fetch(`${origin}${probe.path}`, {
    method: 'POST',
    headers: probe.headers ?? {},
    body: probe.body ?? null,
  });
  if (good.status !== 202) throw new Error(`a signed request answered ${good.status}: ${await good.text()}`);
  const bad = await fetch(`${origin}${probe.path}`, {
    method: 'POST',
    headers: { ...probe.headers, 'x-signature': '00'.repeat(32), 'x-delivery-id': 'dlv_bad' },
    body: probe.body ?? null,
  });
  if (bad.status < 400) throw new Error(`a wrongly signed request answered ${bad.status}`);
}

/** Switchyard's answers to signed requests, counted: 2xx, and those of them that stored a new event. */
export function tallyAnswers(already = 0) {
  const tally = {
    acknowledged: already,
    /** `processed` when the source has no rules (a bench's has none), `received` when rules will run. */
    fresh: already,
    onResponse(status: number, text: string) {
      if (status < 200 || status >= 300) return;
      tally.acknowledged++;
      const answered = (JSON.parse(text) as { status?: string }).status;
      if (answered === 'received' || answered === 'processed') tally.fresh++;
    },
  };
  return tally;
}

/**
 * Once the processor is idle (no event of the source left `received`, waiting at most `timeoutMs`), the events the
 * source stored, counted through the API (`POST /v1/inbound/replay` with `dry_run`), and whether any of them is
 * `duplicate` or `failed`.
 */
export async function storedEvents(
  api: BenchApi,
  source: SignedSource,
  timeoutMs = 120_000,
): Promise<{ stored: number; duplicateOrFailed: boolean }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = (await api.call('GET', `/v1/inbound/events?source_id=${source.id}&status=received&limit=1`)) as {
      data: unknown[];
    };
    if (open.data.length === 0) break;
    if (Date.now() > deadline) throw new Error(`inbound events were still being processed after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const stored = await countStored(
    api,
    source.id,
    new Date(source.createdAt.getTime() - 60_000),
    new Date(Date.now() + 60_000),
  );
  const other = (await api.call(
    'GET',
    `/v1/inbound/events?source_id=${source.id}&status=duplicate,failed&limit=1`,
  )) as {
    data: unknown[];
  };
  return { stored, duplicateOrFailed: other.data.length > 0 };
}

/** Events the source stored in [since, until), by the replay dry run; a range over its limit is split in two. */
async function countStored(api: BenchApi, sourceId: string, since: Date, until: Date): Promise<number> {
  const { status, data } = (await api.request('POST', '/v1/inbound/replay', {
    since: since.toISOString(),
    until: until.toISOString(),
    source_id: sourceId,
    status: ['processed', 'failed', 'received'],
    dry_run: true,
  })) as { status: number; data: { count?: number; code?: string } };
  if (status === 200) return data.count as number;
  if (data.code !== 'replay_too_large') throw new Error(`replay dry run: ${status} ${JSON.stringify(data)}`);
  const middle = new Date((since.getTime() + until.getTime()) / 2);
  return (await countStored(api, sourceId, since, middle)) + (await countStored(api, sourceId, middle, until));
}
