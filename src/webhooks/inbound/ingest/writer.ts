import type { Db } from '../../../core/db/port.js';
import { createGroupCommit, ItemFailure } from '../../../core/group-commit.js';

export type IngestRow = {
  id: string;
  tenantId: string;
  sourceId: string;
  receivedAt: Date;
  /** `processed`: the source has no rules, so there is nothing to route (the event is logged and done). */
  status: 'received' | 'processed' | 'rejected';
  eventType: string | null;
  dedupKey: string | null;
  dedupWindowSeconds: number;
  remoteAddress: string;
  contentType: string | null;
  headers: Record<string, string>;
  /** null for rejected requests: their bodies are not kept. */
  body: Buffer | null;
  bodySize: number;
  rejection: string | null;
  /**
   * When a `received` event becomes due for the background processor (default: at once). A synchronous source's
   * request holds its event until its own deadline, so that it runs the rules itself instead of racing the
   * processor for the claim; if the request's node dies, the event is routed when the hold ends.
   */
  holdUntil?: Date | null;
};

export type IngestResult = {
  id: string;
  status: 'received' | 'processed' | 'duplicate' | 'rejected';
  duplicateOf: string | null;
};

/**
 * One statement stores a batch of requests: the dedup claims, the event rows and the rejection counters. A key
 * already held by an unexpired claim makes the event a `duplicate` (pointing at the event that holds it); an
 * expired claim is taken over. The main query reads `inbound_dedup` in the statement's snapshot, which is before
 * this batch's own claims, so `duplicate_of` names the earlier event.
 */
const STORE = `claimed as (
      insert into inbound_dedup (source_id, key, event_id, expires_at)
      select source_id, dedup_key, id, received_at + make_interval(secs => window_seconds) from input
      where status <> 'rejected' and dedup_key is not null and batch_duplicate_of is null
      on conflict (source_id, key) do update set event_id = excluded.event_id, expires_at = excluded.expires_at
        where inbound_dedup.expires_at <= now()
      returning event_id
    ), decided as (
      select i.*,
        case
          when i.status = 'rejected' then 'rejected'
          when i.batch_duplicate_of is not null then 'duplicate'
          when i.dedup_key is not null and not exists (select 1 from claimed c where c.event_id = i.id) then 'duplicate'
          else i.status
        end as final_status
      from input i
    ), written as (
      insert into inbound_events (id, tenant_id, source_id, received_at, status, event_type, dedup_key, duplicate_of,
        remote_address, content_type, headers, body, body_size, rejection, next_attempt_at, processed_at, results)
      select d.id, d.tenant_id, d.source_id, d.received_at, d.final_status, d.event_type, d.dedup_key,
        case when d.final_status = 'duplicate' then coalesce(d.batch_duplicate_of,
          (select x.event_id from inbound_dedup x where x.source_id = d.source_id and x.key = d.dedup_key)) end,
        d.remote_address, d.content_type, d.headers, d.body, d.body_size, d.rejection,
        case when d.final_status = 'received' then coalesce(d.due_at, d.received_at) end,
        case when d.final_status = 'processed' then d.received_at end,
        case when d.final_status = 'processed' then '{"matched_rules": [], "actions": []}'::jsonb end
      from decided d
      returning id, status, duplicate_of
    ), counted as (
      update inbound_sources s set rejected_count = s.rejected_count + r.n, last_rejected_at = now(),
        last_rejection = r.reason
      from (select source_id, count(*)::int as n, max(rejection) as reason from input where status = 'rejected'
            group by source_id) r
      where s.id = r.source_id
    )
    select id, status, duplicate_of from written`;

/**
 * The input columns and their types. The batch arrives as one array parameter per column, so the statement's text is
 * the same whatever the batch size: parsed and planned once per connection (a prepared statement), not per size.
 */
const INPUT: readonly (readonly [string, string])[] = [
  ['id', 'text'],
  ['tenant_id', 'text'],
  ['source_id', 'text'],
  ['received_at', 'timestamptz'],
  ['status', 'text'],
  ['event_type', 'text'],
  ['dedup_key', 'text'],
  ['window_seconds', 'int'],
  ['remote_address', 'text'],
  ['content_type', 'text'],
  ['headers', 'jsonb'],
  ['body', 'bytea'],
  ['body_size', 'int'],
  ['rejection', 'text'],
  ['batch_duplicate_of', 'text'],
  ['due_at', 'timestamptz'],
];

const BATCH_SQL = `with input as (
      select * from unnest(${INPUT.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
        as i (${INPUT.map(([name]) => name).join(', ')})
    ), ${STORE}`;

/**
 * Group commit for ingest (core/group-commit.ts): requests wait for the statement that stores them (nothing answers
 * 2xx before its row is committed), and while one batch is being written the next one gathers. At low load a batch is
 * one request, so nothing waits on a timer; under load batches grow and the per-request cost of a commit shrinks.
 */
export function createIngestWriter(
  db: Db,
  opts: { maxBatch?: number; concurrency?: number; onWritten?: (received: number) => void } = {},
) {
  type Stored = { id: string; status: IngestResult['status']; duplicate_of: string | null };

  async function store(batch: readonly IngestRow[], duplicateOf: readonly (string | null)[]): Promise<Stored[]> {
    const fields = batch.map((row, i) => [
      row.id,
      row.tenantId,
      row.sourceId,
      row.receivedAt,
      row.status,
      row.eventType,
      row.dedupKey,
      row.dedupWindowSeconds,
      row.remoteAddress,
      row.contentType,
      JSON.stringify(row.headers),
      row.body,
      row.bodySize,
      row.rejection,
      duplicateOf[i] ?? null,
      row.holdUntil ?? null,
    ]);
    const columns = INPUT.map((_, c) => fields.map((f) => f[c]));
    return (await db.query<Stored>(BATCH_SQL, columns)).rows;
  }

  async function writeBatch(batch: readonly IngestRow[]): Promise<(IngestResult | ItemFailure)[]> {
    // Two deliveries of one id in the same batch: the first claims the key, the others repeat it.
    const firstByKey = new Map<string, string>();
    const duplicateOf = batch.map((row) => {
      if (row.status === 'rejected' || row.dedupKey === null) return null;
      const key = `${row.sourceId}\0${row.dedupKey}`;
      const first = firstByKey.get(key);
      if (first) return first;
      firstByKey.set(key, row.id);
      return null;
    });
    const byId = new Map((await store(batch, duplicateOf)).map((r) => [r.id, r]));
    let received = 0;
    const results = batch.map((row) => {
      const r = byId.get(row.id);
      if (!r) return new ItemFailure(new Error(`inbound event ${row.id} was not stored`));
      if (r.status === 'received') received++;
      return { id: r.id, status: r.status, duplicateOf: r.duplicate_of };
    });
    if (received > 0) opts.onWritten?.(received);
    return results;
  }

  return {
    /** Store one request; resolves once its row is committed. */
    write: createGroupCommit<IngestRow, IngestResult>(writeBatch, {
      max: opts.maxBatch ?? 200,
      // The server takes a few batches in parallel over its pool.
      concurrency: opts.concurrency ?? 4,
    }),
  };
}

export type IngestWriter = ReturnType<typeof createIngestWriter>;
