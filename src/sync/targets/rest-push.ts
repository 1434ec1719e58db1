import { mapInLanes } from '../../core/lanes.js';
import type { Manifest } from '../../catalog/manifest/manifest.js';
import {
  SyncError,
  type StreamWriter,
  type SyncRecord,
  type SyncTarget,
  type WriteOutcome,
  type WriteRequest,
} from '../engine/types.js';
import { send, type ReadContext, type VendorCaller } from '../sources/rest/pages.js';
import { renderTemplate } from '../sources/rest/request.js';
import { pushInBatches } from './rest-batch.js';
import {
  fillTemplate,
  hasVendorId,
  idempotencyKey,
  isRefusal,
  readWriteAnswer,
  recordFields,
  type PushResult,
  type Write,
} from './rest-push-body.js';

export { readWriteAnswer, type WriteAnswer } from './rest-push-body.js';

export type RestPushOptions = {
  /** The proxy's programmatic call (`proxy.call`): credentials, retries, rate budget and request log included. */
  call: VendorCaller;
  tenantId: string;
  connectionId: string;
  manifest: Manifest;
  config?: Record<string, unknown>;
  userId?: string | null;
  timeoutMs?: number;
};

/** Writes in flight at once per batch: a vendor answers each in tens of milliseconds, one after another is slow. */
const PUSH_CONCURRENCY = 16;

/**
 * Outbound push: each record is created or updated through the stream's `write` endpoints (update when it carries
 * the vendor id, create otherwise), one request per record, a few at once, within the connection's rate budget (the
 * proxy call holds it); where the stream declares the vendor's batch endpoints (`write.batch`), two records or more of
 * a kind go up to `max` a request instead (rest-batch.ts). Where the vendor deduplicates by an idempotency header,
 * each write carries a key derived from the run, the records' keys and the content, so a resumed run repeating a
 * write creates nothing twice; such writes are also retried on 5xx and network errors. A vendor refusal (4xx, or an
 * input a batch answer names as failed) rejects that record with the vendor's message and the batch goes on; a
 * vendor outage (5xx after retries, a timeout) ends the run, retryable.
 */
export function createRestPushTarget(options: RestPushOptions): SyncTarget {
  const config = options.config ?? {};
  return {
    open(request: WriteRequest): Promise<StreamWriter> {
      const stream = options.manifest.streams.find((s) => s.name === request.name);
      if (!stream?.write) {
        return Promise.reject(
          new SyncError(
            'stream_not_writable',
            `${options.manifest.name} declares no write endpoints for "${request.name}"`,
          ),
        );
      }
      const write = stream.write;
      const ctx: ReadContext = {
        call: options.call,
        tenantId: options.tenantId,
        connectionId: options.connectionId,
        userId: options.userId ?? null,
        requestId: request.executionId,
        timeoutMs: options.timeoutMs,
        signal: request.signal,
        pace: () => Promise.resolve(),
      };
      return Promise.resolve({
        async write(records) {
          // Up to PUSH_CONCURRENCY records in flight at once (each its own request, within the connection's rate
          // budget, which counts requests in flight); outcomes are kept in the records' order.
          // A failure (a vendor outage) stops the lanes; the batch fails with it once the requests sent have answered.
          const one = (record: SyncRecord) => {
            request.signal.throwIfAborted();
            return pushOne(ctx, write, stream.name, record, request, config);
          };
          const results = write.batch
            ? await pushInBatches(
                {
                  ctx,
                  write,
                  batch: write.batch,
                  stream: stream.name,
                  request,
                  config,
                  pushOne: one,
                  singleConcurrency: PUSH_CONCURRENCY,
                },
                records,
              )
            : await mapInLanes(records, PUSH_CONCURRENCY, one);
          const outcome: WriteOutcome = { created: 0, updated: 0, unchanged: 0, rejected: [], ids: [] };
          for (const result of results) {
            if ('rejected' in result) {
              outcome.rejected.push(result.rejected);
              outcome.ids?.push(undefined);
              continue;
            }
            if (result.outcome === 'created') outcome.created++;
            else outcome.updated++;
            outcome.ids?.push(result.id);
          }
          return outcome;
        },
        finish: () => Promise.resolve({ deleted: 0 }),
        abort: () => Promise.resolve(),
      });
    },
    close: () => Promise.resolve(),
  };
}

async function pushOne(
  ctx: ReadContext,
  write: Write,
  stream: string,
  record: SyncRecord,
  request: WriteRequest,
  config: Record<string, unknown>,
): Promise<PushResult> {
  const update = hasVendorId(write, record) && write.update !== undefined;
  const endpoint = update ? write.update : write.create;
  if (!endpoint) {
    return {
      rejected: {
        record,
        reason: `${stream} cannot be ${update ? 'updated' : 'created'} through the API (no endpoint declared)`,
      },
    };
  }
  const fields = recordFields(write, write.body, record);
  const body = write.body === undefined ? fields : fillTemplate(write.body, { fields, record });
  const payload =
    write.encoding === 'form'
      ? Buffer.from(formEncode(body as Record<string, unknown>))
      : Buffer.from(JSON.stringify(body));
  const headers: Record<string, string> = {
    'content-type': write.encoding === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
  };
  if (write.idempotency_header) headers[write.idempotency_header] = idempotencyKey(request, [record], payload);
  const answer = await send(
    ctx,
    { method: endpoint.method, path: renderTemplate(endpoint.path, { config, record }, true), headers, body: payload },
    `${stream}: ${update ? 'update' : 'create'}`,
    // Retried only when the vendor deduplicates (or the method is idempotent): a lost answer must not create twice.
    { retryUnsafe: Boolean(write.idempotency_header), accept: isRefusal },
  );
  const read = readWriteAnswer(write, answer.status, answer.headers, answer.body);
  if (!read.ok) return { rejected: { record, reason: read.reason } };
  if (update) return { outcome: 'updated', id: String(record[write.id_field]) };
  return { outcome: 'created', id: read.id };
}

/** Stripe-style form encoding: nested objects and arrays as `a[b]=1`, `list[0]=x`; null as an empty value. */
export function formEncode(value: Record<string, unknown>): string {
  const pairs: string[] = [];
  const walk = (prefix: string, v: unknown) => {
    if (v === undefined) return;
    if (v !== null && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) walk(prefix ? `${prefix}[${k}]` : k, inner);
      return;
    }
    pairs.push(`${encodeURIComponent(prefix)}=${encodeURIComponent(v === null ? '' : String(v))}`);
  };
  walk('', value);
  return pairs.join('&');
}
