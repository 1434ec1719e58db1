import type { Queryable } from '../core/db/port.js';

/** Cloud storage transfers and their items (migration 0021). */
export type TransferState = 'pending' | 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled';
export type ItemState = 'queued' | 'running' | 'stored' | 'skipped' | 'failed' | 'cancelled';

export type TransferRow = {
  id: string;
  tenant_id: string;
  connection_id: string;
  direction: 'import' | 'export';
  root: string;
  remote_folder: string | null;
  folder: string;
  state: TransferState;
  execution_id: string | null;
  created_by: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
};

export type Verification = {
  by: string;
  /** What the vendor listed and what was received, when they differ (a vendor that rewrites files on download). */
  listed_size?: number;
  received_size?: number;
  listed?: string;
  received?: string;
  note?: string;
};

export type ItemRow = {
  id: string;
  transfer_id: string;
  tenant_id: string;
  kind: 'file' | 'folder';
  item_id: string | null;
  path: string;
  name: string;
  folder: string;
  file_id: string | null;
  size: string | null;
  media_type: string | null;
  vendor_hashes: Record<string, string>;
  version: string | null;
  export_as: string | null;
  rewritten: boolean;
  state: ItemState;
  phase: string | null;
  bytes_done: string;
  attempts: number;
  next_attempt_at: Date;
  lease_until: Date | null;
  verification: Verification | null;
  error_code: string | null;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
};

/** A claimed item with what its run needs of its transfer. */
export type ClaimedItem = ItemRow & {
  /** The file an earlier import stored from this vendor item at this version (still in the store), if any. */
  stored_before: string | null;
  connection_id: string;
  direction: 'import' | 'export';
  root: string;
  remote_folder: string | null;
  created_by: string | null;
};

export type NewItem = Pick<ItemRow, 'kind' | 'path' | 'name' | 'folder'> &
  Partial<Pick<ItemRow, 'item_id' | 'file_id' | 'media_type' | 'version' | 'export_as' | 'rewritten'>> & {
    id: string;
    size?: number | null;
    vendor_hashes?: Record<string, string>;
  };

export async function insertTransfer(
  q: Queryable,
  row: Pick<
    TransferRow,
    'id' | 'tenant_id' | 'connection_id' | 'direction' | 'root' | 'remote_folder' | 'folder' | 'created_by'
  > & { execution_id?: string | null },
): Promise<TransferRow> {
  const { rows } = await q.query<TransferRow>(
    `insert into storage_transfers (id, tenant_id, connection_id, direction, root, remote_folder, folder, created_by,
                                    execution_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning *`,
    [
      row.id,
      row.tenant_id,
      row.connection_id,
      row.direction,
      row.root,
      row.remote_folder,
      row.folder,
      row.created_by,
      row.execution_id ?? null,
    ],
  );
  return rows[0] as TransferRow;
}

/** Add items to a transfer in one statement (a folder's children, a selection); the worker is woken by the caller. */
export async function insertItems(q: Queryable, transfer: TransferRow, items: NewItem[]): Promise<void> {
  if (items.length === 0) return;
  await q.query(
    `insert into storage_transfer_items
       (id, transfer_id, tenant_id, kind, item_id, path, name, folder, file_id, size, media_type, vendor_hashes,
        version, export_as, rewritten)
     select i.id, $1, $2, i.kind, i.item_id, i.path, i.name, i.folder, i.file_id, i.size, i.media_type,
            coalesce(i.vendor_hashes, '{}'), i.version, i.export_as, coalesce(i.rewritten, false)
       from jsonb_to_recordset($3::jsonb) as i(id text, kind text, item_id text, path text, name text, folder text,
            file_id text, size bigint, media_type text, vendor_hashes jsonb, version text, export_as text,
            rewritten boolean)`,
    [transfer.id, transfer.tenant_id, JSON.stringify(items)],
  );
}

export async function getTransfer(q: Queryable, tenantId: string, id: string): Promise<TransferRow | undefined> {
  const { rows } = await q.query<TransferRow>('select * from storage_transfers where tenant_id = $1 and id = $2', [
    tenantId,
    id,
  ]);
  return rows[0];
}

export async function listTransfers(
  q: Queryable,
  tenantId: string,
  options: {
    direction?: 'import' | 'export' | undefined;
    connectionId?: string | undefined;
    before?: string | undefined;
    limit: number;
  },
): Promise<TransferRow[]> {
  const { rows } = await q.query<TransferRow>(
    `select * from storage_transfers
      where tenant_id = $1 and ($2::text is null or direction = $2) and ($3::text is null or connection_id = $3)
        and ($4::text is null or id < $4)
      order by id desc limit $5`,
    [tenantId, options.direction ?? null, options.connectionId ?? null, options.before ?? null, options.limit],
  );
  return rows;
}

/** Per transfer: its files by state, and their bytes (folders are not counted: they only expand). */
export type TransferCounts = {
  files: number;
  queued: number;
  running: number;
  stored: number;
  skipped: number;
  failed: number;
  cancelled: number;
  bytes_total: number;
  bytes_done: number;
  folders_pending: number;
};

export async function transferCounts(q: Queryable, ids: string[]): Promise<Map<string, TransferCounts>> {
  const out = new Map<string, TransferCounts>();
  if (ids.length === 0) return out;
  const { rows } = await q.query<Record<string, string>>(
    `select transfer_id,
            count(*) filter (where kind = 'file') as files,
            count(*) filter (where kind = 'file' and state = 'queued') as queued,
            count(*) filter (where kind = 'file' and state = 'running') as running,
            count(*) filter (where kind = 'file' and state = 'stored') as stored,
            count(*) filter (where kind = 'file' and state = 'skipped') as skipped,
            count(*) filter (where kind = 'file' and state = 'failed') as failed,
            count(*) filter (where kind = 'file' and state = 'cancelled') as cancelled,
            coalesce(sum(size) filter (where kind = 'file'), 0) as bytes_total,
            coalesce(sum(case when state in ('stored', 'skipped') then coalesce(size, bytes_done) else bytes_done end)
                     filter (where kind = 'file'), 0) as bytes_done,
            count(*) filter (where kind = 'folder' and state in ('queued', 'running')) as folders_pending
       from storage_transfer_items where transfer_id = any($1) group by transfer_id`,
    [ids],
  );
  for (const row of rows) {
    const { transfer_id, ...counts } = row;
    out.set(
      transfer_id as string,
      Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)])) as TransferCounts,
    );
  }
  return out;
}

export async function listItems(
  q: Queryable,
  transferId: string,
  options: { state?: string | undefined; after?: string | undefined; limit: number },
): Promise<ItemRow[]> {
  const { rows } = await q.query<ItemRow>(
    `select * from storage_transfer_items
      where transfer_id = $1 and kind = 'file' and ($2::text is null or state = $2) and ($3::text is null or id > $3)
      order by id limit $4`,
    [transferId, options.state ?? null, options.after ?? null, options.limit],
  );
  return rows;
}

/** Claim due items under a lease; their transfer starts running. */
export async function claimItems(q: Queryable, now: Date, limit: number, leaseUntil: Date): Promise<ClaimedItem[]> {
  const { rows } = await q.query<ClaimedItem>(
    `with due as (
       select id from storage_transfer_items
        where state = 'queued' and next_attempt_at <= $1
        order by next_attempt_at, id for update skip locked limit $2
     ), claimed as (
       update storage_transfer_items i
          set state = 'running', lease_until = $3, attempts = i.attempts + 1, started_at = coalesce(i.started_at, $1)
         from due where i.id = due.id
       returning i.*
     ), started as (
       update storage_transfers t set state = 'running', started_at = coalesce(t.started_at, $1)
        where t.id in (select transfer_id from claimed) and t.state = 'pending'
     )
     select c.*, t.connection_id, t.direction, t.root, t.remote_folder, t.created_by,
            (select p.file_id from storage_transfer_items p
               join storage_transfers pt on pt.id = p.transfer_id
               join files f on f.id = p.file_id and f.tenant_id = p.tenant_id
              where c.version is not null and t.direction = 'import'
                and p.tenant_id = c.tenant_id and p.item_id = c.item_id and p.version = c.version
                and p.state = 'stored' and pt.connection_id = t.connection_id
              limit 1) as stored_before
       from claimed c join storage_transfers t on t.id = c.transfer_id`,
    [now, limit, leaseUntil],
  );
  return rows;
}

/** Keep a long transfer's lease, and record how far it got (bytes flushed to the part file). */
export async function checkpointItem(
  q: Queryable,
  id: string,
  patch: { bytesDone?: number; phase?: string; leaseUntil: Date },
): Promise<boolean> {
  const { rowCount } = await q.query(
    `update storage_transfer_items
        set bytes_done = coalesce($2, bytes_done), phase = coalesce($3, phase), lease_until = $4
      where id = $1 and state = 'running'`,
    [id, patch.bytesDone ?? null, patch.phase ?? null, patch.leaseUntil],
  );
  return rowCount === 1;
}

/** Update what the listing said of a file (a fresh stat after it changed at the vendor). */
export async function relistItem(
  q: Queryable,
  id: string,
  item: { size: number | null; version: string | null; vendor_hashes: Record<string, string> },
): Promise<void> {
  await q.query(
    `update storage_transfer_items set size = $2, version = $3, vendor_hashes = $4, bytes_done = 0 where id = $1`,
    [id, item.size, item.version, JSON.stringify(item.vendor_hashes)],
  );
}

export async function finishItem(
  q: Queryable,
  id: string,
  outcome: {
    state: 'stored' | 'skipped' | 'failed';
    fileId?: string | null;
    bytesDone?: number;
    verification?: Verification | null;
    phase?: string | null;
    errorCode?: string | null;
    error?: string | null;
  },
): Promise<void> {
  await q.query(
    `update storage_transfer_items
        set state = $2, file_id = coalesce($3, file_id), bytes_done = coalesce($4, bytes_done), verification = $5,
            phase = $6, error_code = $7, error = $8, lease_until = null, finished_at = now()
      where id = $1 and state = 'running'`,
    [
      id,
      outcome.state,
      outcome.fileId ?? null,
      outcome.bytesDone ?? null,
      outcome.verification ? JSON.stringify(outcome.verification) : null,
      outcome.phase ?? null,
      outcome.errorCode ?? null,
      outcome.error ?? null,
    ],
  );
}

/** Put a running item back in the queue, to run again at `at` (a throttle's wait, a backoff). */
export async function retryItemAt(
  q: Queryable,
  id: string,
  at: Date,
  reason: { errorCode: string; error: string; bytesDone?: number },
): Promise<void> {
  await q.query(
    `update storage_transfer_items
        set state = 'queued', next_attempt_at = $2, lease_until = null, phase = null, error_code = $3, error = $4,
            bytes_done = coalesce($5, bytes_done)
      where id = $1 and state = 'running'`,
    [id, at, reason.errorCode, reason.error, reason.bytesDone ?? null],
  );
}

/**
 * End a transfer whose items are all done: succeeded, partial (some failed), failed (none stored or skipped), or
 * cancelled. Answers it when this call ended it.
 */
export async function settleTransfer(q: Queryable, id: string): Promise<TransferRow | undefined> {
  // Most calls find files still open (one look in a small index); only the last one counts every file.
  const open = await q.query(
    `select 1 from storage_transfer_items where transfer_id = $1 and state in ('queued', 'running') limit 1`,
    [id],
  );
  if (open.rowCount > 0) return undefined;
  const { rows } = await q.query<TransferRow>(
    `update storage_transfers t
        set state = case
              when t.state = 'cancelled' then 'cancelled'
              when s.failed = 0 then 'succeeded'
              when s.done > 0 then 'partial'
              else 'failed' end,
            finished_at = now()
       from (select count(*) filter (where state = 'failed' and kind = 'file') as failed,
                    count(*) filter (where state in ('stored', 'skipped') and kind = 'file') as done,
                    count(*) filter (where state in ('queued', 'running')) as open
               from storage_transfer_items where transfer_id = $1) s
      where t.id = $1 and s.open = 0 and t.finished_at is null
      returning t.*`,
    [id],
  );
  return rows[0];
}

/** Cancel a transfer: its queued items at once; running ones stop at their next checkpoint. */
export async function cancelTransfer(q: Queryable, id: string): Promise<void> {
  await q.query(
    `update storage_transfer_items set state = 'cancelled', finished_at = now()
      where transfer_id = $1 and state = 'queued'`,
    [id],
  );
  // Ended now unless a file is running: that one stops at its next checkpoint and ends the transfer.
  await q.query(
    `update storage_transfers set state = 'cancelled',
            finished_at = case when exists (select 1 from storage_transfer_items
                                             where transfer_id = $1 and state = 'running') then null else now() end
      where id = $1 and finished_at is null`,
    [id],
  );
}

/** Whether a transfer was cancelled (a running item checks at each checkpoint). */
export async function isCancelled(q: Queryable, id: string): Promise<boolean> {
  const { rows } = await q.query<{ state: string }>('select state from storage_transfers where id = $1', [id]);
  return rows[0]?.state !== 'running' && rows[0]?.state !== 'pending';
}

export async function markCancelled(q: Queryable, itemId: string): Promise<void> {
  await q.query(
    `update storage_transfer_items set state = 'cancelled', lease_until = null, finished_at = now()
      where id = $1 and state = 'running'`,
    [itemId],
  );
}

/** Queue a finished transfer's failed (and cancelled) files again; answers how many. */
export async function retryFailed(q: Queryable, id: string): Promise<number> {
  const { rowCount } = await q.query(
    `update storage_transfer_items
        set state = 'queued', attempts = 0, next_attempt_at = now(), error_code = null, error = null,
            finished_at = null
      where transfer_id = $1 and state in ('failed', 'cancelled')`,
    [id],
  );
  if (rowCount) {
    await q.query(`update storage_transfers set state = 'running', finished_at = null where id = $1`, [id]);
  }
  return rowCount ?? 0;
}

export async function recoverItems(q: Queryable, leaseEnded: Date | 'all'): Promise<number> {
  const { rowCount } = await q.query(
    `update storage_transfer_items set state = 'queued', lease_until = null, phase = null
      where state = 'running' and ($1::timestamptz is null or lease_until < $1)`,
    [leaseEnded === 'all' ? null : leaseEnded],
  );
  return rowCount ?? 0;
}
