import { mapInLanes } from '../../core/lanes.js';
import type { SyncRecord, WriteRequest } from '../engine/types.js';
import { send, type ReadContext } from '../sources/rest/pages.js';
import { renderTemplate } from '../sources/rest/request.js';
import {
  fillTemplate,
  hasVendorId,
  idempotencyKey,
  isRefusal,
  readWriteAnswer,
  recordFields,
  safeJson,
  safeRead,
  type PushResult,
  type Write,
} from './rest-push-body.js';

export type BatchWrite = NonNullable<Write['batch']>;
type Kind = 'create' | 'update';

/** Batch calls in flight at once per write: each carries up to `max` records, a few at once keep the vendor busy. */
const BATCH_CONCURRENCY = 4;

export type BatchPush = {
  ctx: ReadContext;
  write: Write;
  batch: BatchWrite;
  stream: string;
  request: WriteRequest;
  config: Record<string, unknown>;
  /** The one-record push (the stream's single endpoints), for lone records and inputs a batch left unaccounted. */
  pushOne: (record: SyncRecord) => Promise<PushResult>;
  singleConcurrency: number;
};

/**
 * Records pushed through the stream's batch endpoints: per kind (updates carry the vendor id, creates do not), chunks
 * of up to `max` records, a few calls at once; a kind without a batch endpoint, or with a lone record, goes one
 * record per request. Answers each record's result in the records' order. A vendor outage (a 5xx after retries, a
 * timeout) fails the whole write once the calls already sent have answered, as a one-by-one push does.
 */
export async function pushInBatches(p: BatchPush, records: SyncRecord[]): Promise<PushResult[]> {
  const results: PushResult[] = new Array(records.length);
  const chunks: { kind: Kind; indices: number[] }[] = [];
  const singles: number[] = [];
  for (const kind of ['update', 'create'] as const) {
    const indices = records.flatMap((r, i) => ((kind === 'update') === hasVendorId(p.write, r) ? [i] : []));
    if (!p.batch[kind] || indices.length < 2) singles.push(...indices);
    else
      for (let i = 0; i < indices.length; i += p.batch.max)
        chunks.push({ kind, indices: indices.slice(i, i + p.batch.max) });
  }
  const settled = await Promise.allSettled([
    mapInLanes(chunks, BATCH_CONCURRENCY, async ({ kind, indices }) => {
      const answered = await pushChunk(
        p,
        kind,
        indices.map((i) => records[i] as SyncRecord),
      );
      answered.forEach((result, j) => (results[indices[j] as number] = result));
    }),
    mapInLanes(singles, p.singleConcurrency, async (i) => {
      results[i] = await p.pushOne(records[i] as SyncRecord);
    }),
  ]);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return results;
}

/**
 * One batch call and what it came to for each of its records. Inputs the answer does not account for are never
 * counted as written: after a refusal of the whole call (HubSpot refuses a batch for one bad input, naming only that
 * one, and writes nothing) each is sent again on its own, so that it gets its own answer; an update a 2xx answer
 * leaves out is sent again on its own too (sending an update twice sets the same values); a create a 2xx answer
 * leaves out is rejected, not repeated, as the vendor may have created it.
 */
async function pushChunk(p: BatchPush, kind: Kind, records: SyncRecord[]): Promise<PushResult[]> {
  p.request.signal.throwIfAborted();
  const endpoint = p.batch[kind] as NonNullable<BatchWrite[Kind]>;
  const refs = records.map((_, i) => String(i));
  const inputs = records.map((record, i) =>
    fillTemplate(endpoint.input, { fields: recordFields(p.write, endpoint.input, record), record, ref: refs[i] }),
  );
  const payload = Buffer.from(JSON.stringify(fillTemplate(p.batch.body, { inputs })));
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (p.write.idempotency_header) headers[p.write.idempotency_header] = idempotencyKey(p.request, records, payload);
  const answer = await send(
    p.ctx,
    {
      method: endpoint.method,
      path: renderTemplate(endpoint.path, { config: p.config }, true),
      headers,
      body: payload,
    },
    `${p.stream}: batch ${kind}`,
    // A create is retried only where the vendor deduplicates: a lost answer must not create twice.
    { retryUnsafe: kind === 'update' || Boolean(p.write.idempotency_header), accept: isRefusal },
  );
  const read = readBatchAnswer(p.batch, p.write, kind, records, answer.status, answer.body);
  const single = kind === 'update' ? p.write.update : p.write.create;
  const refused = answer.status >= 400;
  const again: number[] = [];
  const results = read.map((result, i): PushResult | undefined => {
    if (result) return result;
    const record = records[i] as SyncRecord;
    if ((refused || kind === 'update') && single) return void again.push(i);
    const whole = refused ? readWriteAnswer(p.write, answer.status, answer.headers, answer.body) : undefined;
    const reason =
      whole && !whole.ok
        ? whole.reason
        : `the vendor's answer to the batch ${kind} names no outcome for this record` +
          (kind === 'create' ? '; it may have been created' : '');
    return { rejected: { record, reason } };
  });
  await mapInLanes(again, p.singleConcurrency, async (i) => {
    results[i] = await p.pushOne(records[i] as SyncRecord);
  });
  return results as PushResult[];
}

/**
 * What a batch answer says of each input, as the stream's `batch` declares: a result matched to its input (by
 * position when the list has one result per input, by the ref it echoes, or by the id an update sent) is written,
 * unless the result itself says otherwise;
 * a refusal listed apart rejects the inputs whose refs it names, with the vendor's message. An input neither names is
 * undefined: not known to be written.
 */
export function readBatchAnswer(
  batch: BatchWrite,
  write: Write,
  kind: Kind,
  records: SyncRecord[],
  status: number,
  body: Buffer,
): (PushResult | undefined)[] {
  const out: (PushResult | undefined)[] = new Array(records.length).fill(undefined);
  const parsed = safeJson(body);
  if (parsed === undefined) return out;
  const byRef = new Map(records.map((_, i) => [String(i), i]));
  const byId = new Map(records.map((r, i) => [String(r[write.id_field]), i]));
  const reject = (i: number, reason: string) => (out[i] ??= { rejected: { record: records[i] as SyncRecord, reason } });
  // Refusals first: an input both listed as refused and among the results is not counted as written.
  for (const error of listAt(parsed, batch.errors?.path)) {
    const named = safeRead(error, batch.errors?.ref_path as string);
    const message = safeRead(error, batch.errors?.message_path as string);
    const reason = typeof message === 'string' ? message : JSON.stringify(error);
    for (const ref of Array.isArray(named) ? named : [named]) {
      const i = byRef.get(String(ref));
      if (i !== undefined) reject(i, reason);
    }
  }
  if (status >= 300) return out;
  const { results } = batch;
  const listed = listAt(parsed, results.path);
  // Positions mean something only when there is one result per input: a list of another length cannot say which
  // result is whose, so none is taken (updates are then sent again alone; creates are not assumed written).
  if (results.in_order && listed.length !== records.length) return out;
  listed.forEach((result, position) => {
    let i = results.in_order ? position : undefined;
    if (i === undefined && results.ref_path) i = byRef.get(String(safeRead(result, results.ref_path)));
    if (i === undefined && kind === 'update') i = byId.get(String(safeRead(result, results.id_path)));
    if (i === undefined || out[i] || i >= records.length) return;
    if (results.success && safeRead(result, results.success.path) !== results.success.equals) {
      const said = results.error_path ? safeRead(result, results.error_path) : undefined;
      reject(i, typeof said === 'string' ? said : JSON.stringify(result));
      return;
    }
    const id = kind === 'update' ? (records[i] as SyncRecord)[write.id_field] : safeRead(result, results.id_path);
    out[i] = {
      outcome: kind === 'update' ? 'updated' : 'created',
      id: typeof id === 'string' || typeof id === 'number' ? String(id) : undefined,
    };
  });
  return out;
}

function listAt(json: unknown, path: string | undefined): unknown[] {
  if (path === undefined) return [];
  const list = safeRead(json, path);
  return Array.isArray(list) ? list : [];
}
