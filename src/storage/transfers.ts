import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { HashKind } from '../catalog/manifest/storage.js';
import type { Clock } from '../core/clock.js';
import { channels } from '../core/db/channels.js';
import type { Queryable } from '../core/db/port.js';
import { ApiError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { createNotifiedCache } from '../core/notified-cache.js';
import { createWorker, type LeasedJobs, type WorkerSettings } from '../core/worker.js';
import type { FileRow, FileSource } from '../files/sql.js';
import { childPath, safeName, type StorageItem } from './adapter.js';
import { createHashes, normaliseHash, type Hashes } from './hashes.js';
import { openStorage, type OpenedStorage, type StorageDeps } from './open.js';
import {
  checkpointItem,
  claimItems,
  finishItem,
  insertItems,
  isCancelled,
  markCancelled,
  recoverItems,
  relistItem,
  retryItemAt,
  settleTransfer,
  type ClaimedItem,
  type NewItem,
  type TransferRow,
  type Verification,
} from './sql.js';

/** What transfers need of the files store (src/files/store.ts). */
export type TransferFiles = {
  stagingDir(): string;
  ensureRoom(tenantId: string, bytes: number): Promise<void>;
  adopt(
    tenantId: string,
    localFile: string,
    content: { sha256: string; size: number },
    meta: { name: string; folder?: string; mediaType?: string; source: FileSource; createdBy: string | null },
    inTx?: (tx: Queryable, outcome: { file: FileRow; created: boolean; newVersion: boolean }) => Promise<void>,
  ): Promise<{ file: FileRow; created: boolean; newVersion: boolean }>;
  get(tenantId: string, id: string): Promise<FileRow>;
  read(row: FileRow): Readable;
};

export type TransferDeps = StorageDeps & { files: TransferFiles; clock: Clock; log: Logger };

export type TransferSettings = WorkerSettings & {
  /** How long a claimed item may run between checkpoints before another node takes it (default 60 s). */
  leaseMs?: number;
  /** Attempts before a file fails (throttling waits do not count past this many: 10). */
  maxAttempts?: number;
  /** Bytes between checkpoints of a download (flushed to disk, offset recorded; default 16 MiB). */
  checkpointBytes?: number;
};

const THROTTLE_ATTEMPTS = 10;
/** Downloaded bytes are written to the part file in pieces of about this size. */
const WRITE_BYTES = 1024 * 1024;
const RETRYABLE = new Set([
  'upstream_unreachable',
  'upstream_timeout',
  'storage_vendor_error',
  'storage_hash_mismatch',
  'storage_item_changed',
  'rate_budget_exhausted',
]);

/** Where a selection's file goes: the store folder below the transfer's, following the vendor's folders. */
export function storeFolder(base: string, ...segments: string[]): string {
  return segments.reduce((folder, segment) => childPath(folder, safeName(segment)), base || '/');
}

/** A vendor item as a transfer item (a selected file or folder, or a folder's child). */
export function itemFor(entry: StorageItem, folder: string): NewItem {
  return {
    id: newId('stfi'),
    kind: entry.kind,
    item_id: entry.id,
    path: entry.path,
    name: safeName(entry.name),
    // A folder's own children go below it.
    folder: entry.kind === 'folder' ? storeFolder(folder, entry.name) : folder,
    size: entry.size ?? null,
    media_type: entry.exportAs ?? entry.mediaType ?? null,
    vendor_hashes: entry.hashes as Record<string, string>,
    version: entry.version ?? null,
    export_as: entry.exportAs ?? null,
    rewritten: entry.rewrittenOnDownload ?? false,
  };
}

/**
 * The storage worker: runs transfer items (an import's files and folders, an export's files) on every node, as the
 * other background engines do (core/worker.ts: claim under a lease, recover what a dead node held).
 *
 * A download streams into a part file in the staging directory while it is hashed — SHA-256 for the files store,
 * and the vendor's own hash to verify it. Every `checkpointBytes` the part file is flushed and its length recorded,
 * so a crash, a restart or a dropped connection resumes with a ranged read from there (the hashes are rebuilt from
 * the bytes on disk, never downloaded again). A file that changes at the vendor mid-download (its version moves, or
 * the precondition fails) starts over from its new listing. Verification is recorded per file: the vendor hash that
 * matched, or the size, or — for a vendor that rewrites files on download (SharePoint's Office files) — the bytes
 * received with the listed and received sizes side by side; never silently nothing.
 */
export function createTransfers(deps: TransferDeps, settings: TransferSettings) {
  const { db, files, clock, log } = deps;
  const leaseMs = settings.leaseMs ?? 60_000;
  const maxAttempts = settings.maxAttempts ?? 5;
  const checkpointBytes = settings.checkpointBytes ?? 16 * 1024 * 1024;

  const lease = () => new Date(clock.now().getTime() + leaseMs);
  let partsReady = false;
  const partPath = (itemId: string) => path.join(files.stagingDir(), 'transfers', `${itemId}.part`);

  // A connection's opened storage, reused by its transfer's files: forgotten on every node when the connection
  // changes (its state, config or credentials), and each call still goes through the proxy's own checks.
  const opened = createNotifiedCache<OpenedStorage>(db, {
    channel: channels.connectionChanged,
    ttlMs: 30_000,
    max: 1_000,
    matches: (payload, key) => key.split(' ')[1] === payload,
  });

  async function openFor(item: ClaimedItem): Promise<OpenedStorage> {
    const key = [item.tenant_id, item.connection_id, item.created_by ?? '', item.transfer_id].join(' ');
    return opened.get(key, () =>
      openStorage(deps, item.tenant_id, item.connection_id, {
        userId: item.created_by,
        requestId: item.transfer_id,
      }),
    );
  }

  /** A selected folder: list it (every page) and queue its children. */
  async function expandFolder(item: ClaimedItem, storage: OpenedStorage): Promise<void> {
    const transfer = { id: item.transfer_id, tenant_id: item.tenant_id } as TransferRow;
    let cursor: string | undefined;
    let children = 0;
    do {
      const page = await storage.adapter.list(item.root, item.item_id ?? '', cursor);
      await insertItems(
        db,
        transfer,
        page.items.map((entry) => itemFor(entry, item.folder)),
      );
      children += page.items.length;
      cursor = page.cursor;
      if (!(await checkpointItem(db, item.id, { leaseUntil: lease() }))) return;
    } while (cursor);
    await finishItem(db, item.id, { state: 'stored', phase: `${children} items` });
    await db.notify(db, channels.storageTransfers, '');
  }

  /** Rebuild the hashes of the bytes already on disk (a resumed download). */
  async function rehash(part: string, upTo: number, hashes: Hashes): Promise<void> {
    if (upTo === 0) return;
    const stream = fs.createReadStream(part, { start: 0, end: upTo - 1 });
    for await (const chunk of stream) await hashes.update(chunk as Buffer);
  }

  /**
   * The vendor hash a downloaded file is checked against: its SHA-256 when the vendor lists one (the store computes
   * it anyway), else the first of the connector's hashes the listing gave. Only that one is computed beside the
   * SHA-256: a Google Drive file listed with SHA-256, SHA-1 and MD5 costs one hash, not three.
   */
  function verifyingHash(item: ClaimedItem, storage: OpenedStorage): HashKind | undefined {
    const listed = storage.section.hashes.filter((k) => item.vendor_hashes[k] !== undefined);
    return listed.includes('sha256') ? 'sha256' : listed[0];
  }

  function verificationOf(
    item: ClaimedItem,
    storage: OpenedStorage,
    digests: Partial<Record<HashKind, string>>,
    received: number,
  ): Verification {
    const listedSize = item.size === null ? undefined : Number(item.size);
    if (item.export_as) {
      return { by: 'received', received_size: received, note: `exported as ${item.export_as}` };
    }
    const kind = verifyingHash(item, storage);
    const listed = kind ? normaliseHash(kind, item.vendor_hashes[kind] as string) : undefined;
    const got = kind ? digests[kind] : undefined;
    const sizeMatches = listedSize === undefined || listedSize === received;
    if (kind && listed !== undefined && got !== undefined && listed === got && sizeMatches) {
      return { by: kind, listed, received: got };
    }
    if (item.rewritten) {
      // The vendor rewrites this file on download: what it lists is not what it serves. Keep what was received,
      // and say so with both sizes, rather than reject good files or pretend they were checked.
      return {
        by: 'received',
        ...(listedSize !== undefined ? { listed_size: listedSize } : {}),
        received_size: received,
        ...(listed ? { listed } : {}),
        ...(got ? { received: got } : {}),
        note: 'the vendor rewrites this file on download; its listed size and hash do not apply',
      };
    }
    if (kind && listed !== undefined) {
      throw new ApiError(
        'storage_hash_mismatch',
        `The bytes of ${item.path} do not match the vendor's ${kind} (listed ${listed}, received ${got ?? 'none'}).`,
      );
    }
    if (!sizeMatches) {
      throw new ApiError(
        'storage_hash_mismatch',
        `${item.path} was listed at ${listedSize} bytes; ${received} arrived.`,
      );
    }
    if (listedSize !== undefined) return { by: 'size', listed_size: listedSize, received_size: received };
    return { by: 'received', received_size: received, note: 'the vendor reports neither a hash nor a size' };
  }

  async function importFile(item: ClaimedItem, storage: OpenedStorage, release: () => void): Promise<void> {
    if (item.stored_before) {
      await finishItem(db, item.id, {
        state: 'skipped',
        fileId: item.stored_before,
        phase: 'unchanged since the last import',
      });
      return;
    }
    const listedSize = item.size === null ? undefined : Number(item.size);
    if (listedSize !== undefined) await files.ensureRoom(item.tenant_id, listedSize - Number(item.bytes_done));

    const part = partPath(item.id);
    let offset = Number(item.bytes_done);
    const onDisk =
      offset === 0 && item.attempts === 1
        ? 0
        : await fs.promises.stat(part).then(
            (s) => s.size,
            () => 0,
          );
    // Bytes past the checkpoint were not flushed before the last stop: they do not count.
    if (onDisk < offset) offset = 0;
    if (!partsReady) {
      await fs.promises.mkdir(path.dirname(part), { recursive: true, mode: 0o700 });
      partsReady = true;
    }
    const handle = await fs.promises.open(part, onDisk === 0 ? 'w' : 'r+', 0o600);
    const verifying = verifyingHash(item, storage);
    const hashKinds = verifying ? [verifying] : [];
    let hashes = createHashes(hashKinds);
    try {
      if (onDisk > offset) await handle.truncate(offset);
      await rehash(part, offset, hashes);

      // Phases are worth a round trip only for a file that takes a while (a small one is done before anyone looks).
      const large = listedSize === undefined || listedSize >= checkpointBytes;
      if (large) await checkpointItem(db, item.id, { phase: 'downloading', bytesDone: offset, leaseUntil: lease() });
      const controller = new AbortController();
      const download = await storage.adapter.download(item.root, toStorageItem(item), {
        from: offset,
        ...(item.version ? { version: item.version } : {}),
        signal: controller.signal,
      });
      if (item.version && download.version && download.version !== item.version) {
        download.body.destroy();
        throw new ApiError('storage_item_changed', `${item.path} changed at the vendor since it was listed.`);
      }
      if (download.start !== offset) {
        // The vendor answered from another byte (it ignored the range): start over with what it sends.
        offset = download.start;
        await handle.truncate(offset);
        hashes.drop();
        hashes = createHashes(hashKinds);
        await rehash(part, offset, hashes);
      }

      // Received bytes are gathered into writes of about 1 MiB, one write in flight while the next gathers; a
      // checkpoint counts only bytes written and flushed.
      let position = offset;
      // Where the next write goes, and the bytes known written (a failed write does not count).
      let scheduled = offset;
      let written = offset;
      let gathered: Buffer[] = [];
      let gatheredBytes = 0;
      let writing: Promise<unknown> = Promise.resolve();
      // The batch goes to the hashing threads (which may hold the next one back) and to the disk at once.
      const write = (batch: Buffer) => {
        const at = scheduled;
        scheduled += batch.length;
        writing = Promise.all([hashes.update(batch), handle.write(batch, 0, batch.length, at)]).then(() => {
          written = at + batch.length;
        });
      };
      const flush = async () => {
        if (gatheredBytes > 0) {
          const batch = gathered.length === 1 ? (gathered[0] as Buffer) : Buffer.concat(gathered, gatheredBytes);
          gathered = [];
          gatheredBytes = 0;
          await writing;
          write(batch);
        }
        await writing;
      };
      let sinceCheckpoint = 0;
      let lastCheckpoint = Date.now();
      let checkpointing: Promise<void> | undefined;
      let stopped = false;
      try {
        for await (const chunk of download.body as AsyncIterable<Buffer>) {
          if (listedSize !== undefined && position + chunk.length > listedSize && !item.rewritten && !item.export_as) {
            throw new ApiError('storage_item_changed', `${item.path} is longer than listed: it changed at the vendor.`);
          }
          gathered.push(chunk);
          gatheredBytes += chunk.length;
          position += chunk.length;
          sinceCheckpoint += chunk.length;
          if (gatheredBytes >= WRITE_BYTES) {
            const batch = Buffer.concat(gathered, gatheredBytes);
            gathered = [];
            gatheredBytes = 0;
            await writing;
            write(batch);
          }
          if (stopped) break;
          // A checkpoint runs beside the download (its flush and round trip do not hold the line up); the next
          // one waits for it.
          if (!checkpointing && (sinceCheckpoint >= checkpointBytes || Date.now() - lastCheckpoint > 2000)) {
            await writing;
            const upTo = written;
            sinceCheckpoint = 0;
            lastCheckpoint = Date.now();
            checkpointing = (async () => {
              await handle.datasync();
              const live = await checkpointItem(db, item.id, {
                phase: 'downloading',
                bytesDone: upTo,
                leaseUntil: lease(),
              });
              if (!live || (await isCancelled(db, item.transfer_id))) stopped = true;
            })().finally(() => {
              checkpointing = undefined;
            });
          }
        }
        await checkpointing;
        if (stopped) {
          controller.abort();
          download.body.destroy();
          await writing.catch(() => {});
          await markCancelled(db, item.id);
          await fs.promises.rm(part, { force: true });
          return;
        }
        // The vendor's part is done: the next file's download may start while this one is flushed, verified and
        // recorded.
        release();
        await flush();
      } catch (error) {
        // What arrived before the cut counts, once on disk.
        await checkpointing?.catch(() => {});
        await flush().catch(() => {});
        await handle.datasync();
        await checkpointItem(db, item.id, { bytesDone: written, leaseUntil: lease() });
        if (error instanceof ApiError) throw error;
        // A cut connection: retried, resuming from the bytes on disk.
        throw new ApiError(
          'upstream_unreachable',
          `The download of ${item.path} was cut at byte ${written}: ${(error as Error).message}`,
        );
      }
      await handle.datasync();
      if (large) await checkpointItem(db, item.id, { phase: 'verifying', bytesDone: position, leaseUntil: lease() });

      const digests = await hashes.digest();
      let verification: Verification;
      try {
        verification = verificationOf(item, storage, digests, position);
      } catch (error) {
        // Bad bytes are not kept to resume from: the next attempt downloads the file again.
        await handle.truncate(0);
        await checkpointItem(db, item.id, { bytesDone: 0, leaseUntil: lease() });
        throw error;
      }
      await handle.close().catch(() => {});
      if (large) await checkpointItem(db, item.id, { phase: 'storing', leaseUntil: lease() });
      // The file and the item's outcome commit together: an item never says stored without its file.
      await files.adopt(
        item.tenant_id,
        part,
        { sha256: digests.sha256 as string, size: position },
        {
          name: item.name,
          folder: item.folder,
          ...(item.media_type ? { mediaType: item.media_type } : {}),
          source: {
            kind: 'import',
            connection_id: item.connection_id,
            path: item.path,
            ...(item.item_id ? { item_id: item.item_id } : {}),
            ...(item.version ? { version: item.version } : {}),
            import_id: item.transfer_id,
          } as FileSource,
          createdBy: item.created_by,
        },
        (tx, adopted) =>
          finishItem(tx, item.id, {
            state: adopted.created || adopted.newVersion ? 'stored' : 'skipped',
            fileId: adopted.file.id,
            bytesDone: position,
            verification,
            phase: adopted.created
              ? 'new file'
              : adopted.newVersion
                ? 'new version'
                : 'same bytes as the current version',
          }),
      );
    } finally {
      hashes.drop();
      await handle.close().catch(() => {});
    }
  }

  async function exportFile(item: ClaimedItem, storage: OpenedStorage): Promise<void> {
    const file = await files.get(item.tenant_id, item.file_id as string);
    const hashes = createHashes(storage.section.hashes);
    try {
      let sent = 0;
      let cancelled = false;
      const source = files.read(file);
      const body = (async function* () {
        let sinceCheckpoint = 0;
        let lastCheckpoint = Date.now();
        for await (const chunk of source as AsyncIterable<Buffer>) {
          await hashes.update(chunk);
          sent += chunk.length;
          sinceCheckpoint += chunk.length;
          yield chunk;
          if (sinceCheckpoint >= checkpointBytes || Date.now() - lastCheckpoint > 2000) {
            // A long upload holds its lease (past it, another node would take the file and upload it again) and shows
            // its progress; a cancelled export stops sending.
            sinceCheckpoint = 0;
            lastCheckpoint = Date.now();
            const live = await checkpointItem(db, item.id, { bytesDone: sent, leaseUntil: lease() });
            if (!live || (await isCancelled(db, item.transfer_id))) {
              cancelled = true;
              throw new ApiError('conflict', `The export of ${file.name} was cancelled.`);
            }
          }
        }
      })();
      await checkpointItem(db, item.id, { phase: 'uploading', leaseUntil: lease() });
      let written: StorageItem;
      try {
        written = await storage.adapter.upload(item.root, {
          folder: item.remote_folder ?? '',
          name: file.name,
          size: Number(file.size),
          mediaType: file.media_type,
          body,
        });
      } catch (error) {
        if (!cancelled) throw error;
        await markCancelled(db, item.id);
        return;
      } finally {
        source.destroy();
      }
      const digests = await hashes.digest();
      const kind = storage.section.hashes.find((k) => written.hashes[k] !== undefined && digests[k] !== undefined);
      let verification: Verification =
        written.size === undefined
          ? { by: 'received', received_size: sent, note: 'the vendor reports neither a hash nor a size' }
          : { by: 'size', listed_size: written.size, received_size: sent };
      if (kind) {
        const theirs = normaliseHash(kind, written.hashes[kind] as string);
        if (theirs !== digests[kind]) {
          throw new ApiError('storage_hash_mismatch', `The vendor stored other bytes for ${file.name} (${kind}).`);
        }
        verification = { by: kind, listed: theirs, received: digests[kind] as string };
      } else if (written.size !== undefined && written.size !== sent) {
        throw new ApiError(
          'storage_hash_mismatch',
          `The vendor stored ${written.size} bytes of ${file.name}; ${sent} were sent.`,
        );
      }
      await finishItem(db, item.id, {
        state: 'stored',
        bytesDone: sent,
        verification,
        phase: written.path,
      });
    } finally {
      // Its hashing thread forgets it whatever happened (digested, cancelled or failed).
      hashes.drop();
    }
  }

  /** A failed attempt: wait and try again (a throttle, a cut connection, a changed file), or fail the file. */
  async function failed(item: ClaimedItem, error: unknown, storage: OpenedStorage | undefined): Promise<void> {
    const problem =
      error instanceof ApiError
        ? error
        : new ApiError('upstream_unreachable', `The transfer of ${item.path} failed: ${(error as Error).message}`);
    const now = clock.now().getTime();
    if (problem.code === 'storage_throttled' && item.attempts < THROTTLE_ATTEMPTS) {
      const wait = Number(problem.extensions?.retry_after_ms ?? 0) || backoff(item.attempts);
      await retryItemAt(db, item.id, new Date(now + wait), { errorCode: problem.code, error: problem.detail });
      return;
    }
    if (problem.code === 'storage_item_changed' && storage && item.item_id && item.attempts < maxAttempts) {
      // Start over from what the vendor lists now.
      const fresh = await storage.adapter.stat(item.root, item.item_id).catch(() => undefined);
      if (fresh) {
        await relistItem(db, item.id, {
          size: fresh.size ?? null,
          version: fresh.version ?? null,
          vendor_hashes: fresh.hashes as Record<string, string>,
        });
        await fs.promises.rm(partPath(item.id), { force: true });
        await retryItemAt(db, item.id, new Date(now), { errorCode: problem.code, error: problem.detail, bytesDone: 0 });
        return;
      }
    }
    if (RETRYABLE.has(problem.code) && item.attempts < maxAttempts) {
      await retryItemAt(db, item.id, new Date(now + backoff(item.attempts)), {
        errorCode: problem.code,
        error: problem.detail,
      });
      return;
    }
    await fs.promises.rm(partPath(item.id), { force: true });
    await finishItem(db, item.id, { state: 'failed', errorCode: problem.code, error: problem.detail });
  }

  async function run(item: ClaimedItem, release: () => void): Promise<void> {
    let storage: OpenedStorage | undefined;
    try {
      storage = await openFor(item);
      if (item.direction === 'export') await exportFile(item, storage);
      else if (item.kind === 'folder') await expandFolder(item, storage);
      else await importFile(item, storage, release);
    } catch (error) {
      if (!(error instanceof ApiError)) log.warn({ err: error, item: item.id }, 'storage transfer item failed');
      await failed(item, error, storage);
    }
    const ended = await settleTransfer(db, item.transfer_id);
    if (ended) await db.notify(db, channels.storageTransferDone, ended.id);
  }

  const jobs: LeasedJobs<ClaimedItem> = {
    name: 'storage transfer items',
    wakeOn: [channels.storageTransfers],
    claim: (free, now) => claimItems(db, now, free, new Date(now.getTime() + leaseMs)),
    run,
    recover: (leaseEnded) => recoverItems(db, leaseEnded),
    failed: (error, job) => log.error({ err: error, item: job?.id }, 'storage transfer pass failed'),
  };
  const worker = createWorker(deps, jobs, settings);
  // Whoever waits for a transfer to end (a storage sync's batch), woken by the node that ended it.
  const waiters = new Map<string, Set<() => void>>();
  let unlisten: (() => Promise<void>) | undefined;

  return {
    async start() {
      await opened.start();
      unlisten = await db.listen(channels.storageTransferDone, (id) => {
        for (const wake of [...(waiters.get(id) ?? [])]) wake();
      });
      await worker.start();
    },
    async stop(graceMs?: number) {
      await worker.stop(graceMs);
      await unlisten?.();
      await opened.stop();
    },
    wake: () => worker.wake(),
    /**
     * Resolves when the transfer is announced ended, or after `atMostMs` (a notification can be lost: the caller
     * looks at the rows either way).
     */
    ended(id: string, atMostMs: number, signal?: AbortSignal): Promise<void> {
      return new Promise((resolve) => {
        const set = waiters.get(id) ?? new Set();
        waiters.set(id, set);
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          set.delete(done);
          if (set.size === 0) waiters.delete(id);
          resolve();
        };
        const timer = setTimeout(done, atMostMs);
        signal?.addEventListener('abort', done, { once: true });
        set.add(done);
      });
    },
  };
}

export type Transfers = ReturnType<typeof createTransfers>;

/** Waits between attempts: 1 s, 2 s, 4 s … up to a minute. */
function backoff(attempts: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.max(0, attempts - 1));
}

function toStorageItem(item: ClaimedItem): StorageItem {
  return {
    id: item.item_id ?? '',
    path: item.path,
    name: item.name,
    kind: 'file',
    ...(item.size !== null ? { size: Number(item.size) } : {}),
    ...(item.media_type ? { mediaType: item.media_type } : {}),
    hashes: item.vendor_hashes,
    ...(item.version ? { version: item.version } : {}),
    ...(item.export_as ? { exportAs: item.export_as } : {}),
    rewrittenOnDownload: item.rewritten,
  };
}
