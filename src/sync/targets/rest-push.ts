import { mapInLanes } from '../../core/lanes.js';
import { createHash } from 'node:crypto';
import type { Manifest } from '../../catalog/manifest/manifest.js';
import { matchesRule } from '../../connections/responses.js';
import { readJsonPath } from '../../core/json-path.js';
import {
  SyncError,
  type Rejected,
  type StreamWriter,
  type SyncRecord,
  type SyncTarget,
  type WriteOutcome,
  type WriteRequest,
} from '../engine/types.js';
import { vendorMessage } from '../sources/rest/errors.js';
import { send, type ReadContext, type VendorCaller } from '../sources/rest/pages.js';
import { renderTemplate, type ManifestStream } from '../sources/rest/request.js';

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

type Write = NonNullable<ManifestStream['write']>;

/** Writes in flight at once per batch: a vendor answers each in tens of milliseconds, one after another is slow. */
const PUSH_CONCURRENCY = 16;

/**
 * Outbound push: each record is created or updated through the stream's `write` endpoints (update when it carries
 * the vendor id, create otherwise), one request per record, a few at once, within the connection's rate budget (the
 * proxy call holds it). Where the vendor deduplicates by an idempotency header, each write carries a key derived from the run,
 * the record's key and its content, so a resumed run repeating a write creates nothing twice; such writes are also
 * retried on 5xx and network errors. A vendor refusal (4xx) rejects that record with the vendor's message and the
 * batch goes on; a vendor outage (5xx after retries, a timeout) ends the run, retryable.
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
          const results = await mapInLanes(records, PUSH_CONCURRENCY, (record) => {
            request.signal.throwIfAborted();
            return pushOne(ctx, write, stream.name, record, request, config);
          });
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
): Promise<{ outcome: 'created' | 'updated'; id: string | undefined } | { rejected: Rejected }> {
  const id = record[write.id_field];
  const update = id !== undefined && id !== null && id !== '' && write.update !== undefined;
  const endpoint = update ? write.update : write.create;
  if (!endpoint) {
    return {
      rejected: {
        record,
        reason: `${stream} cannot be ${update ? 'updated' : 'created'} through the API (no endpoint declared)`,
      },
    };
  }
  const fields = unwrapped(
    write.body,
    Object.fromEntries(Object.entries(record).filter(([k]) => k !== write.id_field)),
  );
  const body = write.body === undefined ? fields : fillBody(write.body, fields, record);
  const payload =
    write.encoding === 'form'
      ? Buffer.from(formEncode(body as Record<string, unknown>))
      : Buffer.from(JSON.stringify(body));
  const headers: Record<string, string> = {
    'content-type': write.encoding === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
  };
  if (write.idempotency_header) headers[write.idempotency_header] = idempotencyKey(request, record, payload);
  const answer = await send(
    ctx,
    { method: endpoint.method, path: renderTemplate(endpoint.path, { config, record }, true), headers, body: payload },
    `${stream}: ${update ? 'update' : 'create'}`,
    // Retried only when the vendor deduplicates (or the method is idempotent): a lost answer must not create twice.
    {
      retryUnsafe: Boolean(write.idempotency_header),
      accept: (status) => status >= 400 && status < 500 && status !== 401 && status !== 403 && status !== 429,
    },
  );
  const read = readWriteAnswer(write, answer.status, answer.headers, answer.body);
  if (!read.ok) return { rejected: { record, reason: read.reason } };
  if (update) return { outcome: 'updated', id: String(id) };
  return { outcome: 'created', id: read.id };
}

/**
 * A record read in the vendor's own shape is written in it too: when the body template puts the record under one
 * key (HubSpot's `{properties: "{{record}}"}`) and the record holds that key as an object (as HubSpot's listing
 * answers it), its fields are the ones sent, not nested twice.
 */
function unwrapped(template: unknown, fields: SyncRecord): SyncRecord {
  if (!template || typeof template !== 'object' || Array.isArray(template)) return fields;
  const wrapping = Object.entries(template).find(([, v]) => typeof v === 'string' && /^\{\{\s*record\s*\}\}$/.test(v));
  const key = wrapping?.[0];
  const inner = key === undefined ? undefined : fields[key];
  if (key === undefined || !inner || typeof inner !== 'object' || Array.isArray(inner)) return fields;
  const rest = Object.fromEntries(Object.entries(fields).filter(([k]) => k !== key));
  return { ...rest, ...(inner as SyncRecord) };
}

export type WriteAnswer = { ok: true; id?: string } | { ok: false; reason: string };

/**
 * What the vendor said to one write, as the stream's `write` declares: a refusal (a 4xx, or a 2xx failing `success`
 * where the vendor reports each record's outcome in the body) with the vendor's message at `error_path`; otherwise
 * the vendor id at `id_path` when the answer carries one (a create's new id).
 */
export function readWriteAnswer(
  write: Write,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): WriteAnswer {
  const parsed = safeJson(body);
  const flat = Object.fromEntries(
    Object.entries(headers).map(([k, v]): [string, string] => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
  );
  const refused =
    status >= 400 ||
    (write.success !== undefined &&
      !matchesRule({ status, headers: flat, text: body.toString('utf8'), json: parsed }, write.success));
  if (refused) {
    const said = write.error_path && parsed !== undefined ? safeRead(parsed, write.error_path) : undefined;
    return { ok: false, reason: `${status}: ${typeof said === 'string' ? said : vendorMessage(body)}` };
  }
  const id = write.id_path && parsed !== undefined ? safeRead(parsed, write.id_path) : undefined;
  return typeof id === 'string' || typeof id === 'number' ? { ok: true, id: String(id) } : { ok: true };
}

/** The body template with "{{record}}" replaced by the record's fields and "{{record.f}}" by one field's value. */
function fillBody(template: unknown, fields: SyncRecord, record: SyncRecord): unknown {
  if (typeof template === 'string') {
    if (/^\{\{\s*record\s*\}\}$/.test(template)) return fields;
    const one = /^\{\{\s*record\.([A-Za-z0-9_]+)\s*\}\}$/.exec(template);
    return one ? record[one[1] as string] : template;
  }
  if (Array.isArray(template)) return template.map((t) => fillBody(t, fields, record));
  if (template && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fillBody(v, fields, record)]));
  }
  return template;
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

/**
 * The same run writing the same content to the same record gets the same key (a resumed run's repeat is a replay at
 * the vendor); different content or another run gets another key (a real change is sent).
 */
function idempotencyKey(request: WriteRequest, record: SyncRecord, payload: Buffer): string {
  const key = JSON.stringify(request.primaryKey.map((k) => record[k] ?? null));
  return `sy-${createHash('sha256').update(request.executionId).update('\0').update(key).update('\0').update(payload).digest('hex').slice(0, 48)}`;
}

function safeRead(json: unknown, path: string): unknown {
  try {
    return readJsonPath(json, path);
  } catch {
    return undefined;
  }
}

function safeJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
