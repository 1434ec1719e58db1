import { channels } from '../../core/db/channels.js';
import type { Db } from '../../core/db/port.js';
import { newId } from '../../core/ids.js';
import {
  insertItems,
  insertTransfer,
  cancelTransfer,
  type ItemRow,
  type NewItem,
  type TransferRow,
} from '../../storage/sql.js';
import { storeFolder } from '../../storage/transfers.js';
import {
  SyncError,
  type Rejected,
  type StreamWriter,
  type SyncRecord,
  type SyncTarget,
  type WriteOutcome,
} from '../engine/types.js';

export type FilesTargetOptions = {
  db: Db;
  tenantId: string;
  /** Where the files come from: the storage source's connection and root. */
  connectionId: string;
  root: string;
  /** The files store folder they go into (their folders below the source folder follow them). */
  folder: string;
  /** The storage worker: woken when files are queued. */
  wake(): void;
  /** Resolves when the storage worker announces the transfer ended, or after `atMostMs`. */
  ended(transferId: string, atMostMs: number, signal: AbortSignal): Promise<void>;
  /** Remove the files imported from vendor items the source reports deleted (deletion mode hard). */
  removeImported(itemIds: string[]): Promise<number>;
  /** The longest wait between looks at a batch's files should an end notification be lost (default 1 s). */
  pollMs?: number;
};

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * The files store as a sync target, for a storage source: each batch of file records becomes the items of this run's
 * import (one transfer per run, made by its first batch; a resumed run adds to the same one), run by the storage
 * worker like any import — resumable, verified, deduplicated — and the batch is written once every one of its files
 * is stored, skipped or failed. A file stored new counts as created, a new version as updated, one already imported
 * at its version as unchanged, and a failed one as rejected with its reason.
 */
export function createFilesTarget(options: FilesTargetOptions): SyncTarget {
  const { db } = options;
  const pollMs = options.pollMs ?? 1000;

  return {
    async open(request): Promise<StreamWriter> {
      let transfer: TransferRow | undefined;

      async function transferOfRun(): Promise<TransferRow> {
        if (transfer) return transfer;
        const { rows } = await db.query<TransferRow>(
          `select * from storage_transfers where tenant_id = $1 and execution_id = $2 and connection_id = $3`,
          [options.tenantId, request.executionId, options.connectionId],
        );
        transfer =
          rows[0] ??
          (await insertTransfer(db, {
            id: newId('stimp'),
            tenant_id: options.tenantId,
            connection_id: options.connectionId,
            direction: 'import',
            root: options.root,
            remote_folder: null,
            folder: options.folder,
            created_by: null,
            execution_id: request.executionId,
          }));
        return transfer;
      }

      async function waitFor(ids: string[]): Promise<ItemRow[]> {
        for (;;) {
          const { rows } = await db.query<ItemRow>('select * from storage_transfer_items where id = any($1)', [ids]);
          if (rows.every((r) => r.state !== 'queued' && r.state !== 'running')) return rows;
          if (request.signal.aborted) {
            await cancelTransfer(db, (await transferOfRun()).id);
            throw request.signal.reason;
          }
          // A batch is the run's only open files: it is done when the worker ends the transfer.
          await options.ended((await transferOfRun()).id, pollMs, request.signal);
        }
      }

      return {
        async write(records: SyncRecord[]): Promise<WriteOutcome> {
          if (records.length === 0) return { created: 0, updated: 0, unchanged: 0, rejected: [] };
          const run = await transferOfRun();
          const items: NewItem[] = records.map((r) => {
            const relative = str(r.relative_path) ?? str(r.path) ?? '';
            const parents = relative.split('/').filter(Boolean).slice(0, -1);
            const name = str(r.name);
            const id = str(r.id);
            if (!name || !id) throw new SyncError('mapping_invalid', 'A file record needs its id and name (map them).');
            return {
              id: newId('stfi'),
              kind: 'file',
              item_id: id,
              path: str(r.path) ?? relative,
              name,
              folder: storeFolder(options.folder, ...parents),
              size: typeof r.size === 'number' ? r.size : null,
              media_type: str(r.export_as) ?? str(r.media_type) ?? null,
              vendor_hashes: (r.hashes ?? {}) as Record<string, string>,
              version: str(r.version) ?? null,
              export_as: str(r.export_as) ?? null,
              rewritten: r.rewritten_on_download === true,
            };
          });
          await db.transaction(async (tx) => {
            await tx.query(`update storage_transfers set state = 'running', finished_at = null where id = $1`, [
              run.id,
            ]);
            await insertItems(tx, run, items);
            await db.notify(tx, channels.storageTransfers, '');
          });
          options.wake();
          const done = await waitFor(items.map((i) => i.id));
          const outcome: WriteOutcome = { created: 0, updated: 0, unchanged: 0, rejected: [] };
          const byId = new Map(done.map((d) => [d.id, d]));
          items.forEach((item, at) => {
            const row = byId.get(item.id);
            if (row?.state === 'stored' && row.phase === 'new version') outcome.updated++;
            else if (row?.state === 'stored') outcome.created++;
            else if (row?.state === 'skipped') outcome.unchanged++;
            else {
              const reason = row?.error
                ? `${row.error_code}: ${row.error}`
                : `the transfer was ${row?.state ?? 'lost'}`;
              outcome.rejected.push({ record: records[at] as SyncRecord, reason } satisfies Rejected);
            }
          });
          return outcome;
        },
        async delete(keys: SyncRecord[]): Promise<number> {
          const ids = keys.map((k) => str(k.id)).filter((id): id is string => id !== undefined);
          if (ids.length === 0) return 0;
          if (request.deletion.mode !== 'hard') {
            request.log('info', `${ids.length} file(s) were removed at the vendor; the imported copies are kept`);
            return 0;
          }
          return options.removeImported(ids);
        },
        finish: () => Promise.resolve({ deleted: 0 }),
        abort: () => Promise.resolve(),
      };
    },
    close: () => Promise.resolve(),
  };
}
