import type { StorageAdapter, StorageItem } from '../../../storage/adapter.js';
import type { ReadRequest, SourceBatch, StreamSpec, SyncRecord, SyncSource } from '../../engine/types.js';

/** The one stream a storage source reads: the files below the chosen folder. */
export const STORAGE_STREAM = 'files';

export type StorageSourceOptions = {
  adapter: StorageAdapter;
  root: string;
  /** The folder below which files are read (its id; '' for the root's top) and its path. */
  folder: { id: string; path: string };
};

const fields = [
  { name: 'id', type: 'string' },
  { name: 'path', type: 'string' },
  { name: 'relative_path', type: 'string' },
  { name: 'name', type: 'string' },
  { name: 'size', type: 'integer' },
  { name: 'modified_at', type: 'timestamp' },
  { name: 'media_type', type: 'string' },
  { name: 'hashes', type: 'object' },
  { name: 'version', type: 'string' },
  { name: 'export_as', type: 'string' },
  { name: 'rewritten_on_download', type: 'boolean' },
];

/**
 * A connection's drive or bucket as a sync source: one stream, `files`, whose records are the files below a folder
 * (their metadata: path, size, hashes, version). Every read goes through the vendor's change feed (Graph delta,
 * Drive changes, the Dropbox cursor, or a listing by modified time for S3, Azure and GCS): a full read takes it from
 * the start, an incremental or delta read from the cursor the last run saved, and the feed's removals are the
 * stream's deletions. Paired with the files-store target (src/sync/targets/files.ts), a scheduled sync keeps an
 * import up to date.
 */
export function createStorageSource(options: StorageSourceOptions): SyncSource {
  const { adapter, root, folder } = options;
  const base = folder.path === '/' ? '' : folder.path.replace(/\/$/, '');
  const below = (item: StorageItem) => base === '' || item.path.startsWith(`${base}/`);

  const spec: StreamSpec = {
    name: STORAGE_STREAM,
    primaryKey: ['id'],
    cursorField: 'modified_at',
    supports: { full: true, incremental: true, delta: true },
    fields,
    description: 'Files below the folder, from the vendor’s change feed',
  };

  const record = (item: StorageItem): SyncRecord => ({
    id: item.id,
    path: item.path,
    relative_path: base === '' ? item.path : item.path.slice(base.length),
    name: item.name,
    size: item.size ?? null,
    modified_at: item.modifiedAt ?? null,
    media_type: item.mediaType ?? null,
    hashes: item.hashes,
    version: item.version ?? null,
    export_as: item.exportAs ?? null,
    rewritten_on_download: item.rewrittenOnDownload ?? false,
  });

  return {
    discover: () => Promise.resolve([spec]),
    async sample(_stream, limit, signal) {
      const page = await adapter.list(root, folder.id, undefined, signal);
      return page.items
        .filter((i) => i.kind === 'file')
        .slice(0, limit)
        .map(record);
    },
    async *read(request: ReadRequest): AsyncIterable<SourceBatch> {
      let cursor = request.mode === 'full' ? null : ((request.state?.delta_token as string | undefined) ?? null);
      request.log(
        'info',
        cursor ? 'Reading the changes since the last run' : 'Reading every file (the feed from its start)',
      );
      for (;;) {
        request.signal.throwIfAborted();
        const page = await adapter.changes(root, cursor, request.signal);
        const files = page.items.filter((i) => i.kind === 'file' && below(i));
        cursor = page.cursor;
        yield {
          records: files.filter((i) => !i.deleted).map(record),
          deleted: files.filter((i) => i.deleted).map((i) => ({ id: i.id })),
          // The feed's cursor holds once this page is written; between pages the vendor's token moves on too.
          state: { delta_token: cursor },
        };
        if (!page.more) return;
      }
    },
    close: () => Promise.resolve(),
  };
}
