import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Clock } from '../core/clock.js';
import type { Db, Queryable } from '../core/db/port.js';
import { ApiError } from '../core/errors.js';
import { createGroupCommit } from '../core/group-commit.js';
import { newId } from '../core/ids.js';
import { createLocalBlobs, type BlobStore, type ByteRange } from './blobs.js';
import {
  addVersion,
  deleteFile,
  findFileByName,
  findFileBySha256,
  getFile,
  getFileInAnyTenant,
  insertFile,
  moveFile,
  type FileRow,
  type FileVersionRow,
} from './sql.js';
import { blobHeld, filesUsage, getVersion, tenantFilesQuota, unreferencedBlobs } from './sql-versions.js';
import { createUploads } from './uploads.js';
import { channels } from '../core/db/channels.js';
import { createNotifiedCache } from '../core/notified-cache.js';
import {
  checkName,
  DEFAULT_MEDIA_TYPE,
  normaliseFolder,
  tooLarge,
  type FileMeta,
  type StoreOutcome,
  type WriteOptions,
} from './common.js';

/**
 * The files store: a tenant's files, each keeping its id across versions, every version naming its bytes by
 * SHA-256. The bytes are kept once per tenant as a blob (blobs.ts: a local directory, or an S3-compatible bucket).
 * Bytes are written to a local temporary file while they are hashed and counted, flushed, then kept as the blob, so
 * a blob is never seen half-written and a crash leaves only a temporary file behind. A file larger than the limit,
 * or than the tenant's room under its quota, is refused as soon as its bytes pass it, and nothing of it is kept.
 *
 * Which blobs exist follows the file_versions rows, under one lock per tenant (`files:<tenant>`): a write records
 * its rows under it (checking the quota and that its blob is there), and a blob is removed under it once no version
 * names it. The bytes themselves are stored before the lock is taken, so a large upload never holds it.
 */
export type FileStoreOptions = {
  db: Db;
  /** The files directory: blobs (local backend), temporary files, upload parts, staging. */
  dir: string;
  /** The largest file an upload may hold, in bytes. */
  maxBytes: number;
  clock: Clock;
  /** How long an unfinished upload is kept (default 24 h). */
  uploadTtlMs?: number;
  /** Where the bytes live (default: `blobs/` in `dir`). */
  blobs?: BlobStore;
  /** A tenant's quota when it has none of its own; undefined: unlimited. */
  quotaBytes?: number | undefined;
};

export type { ByteRange };
export {
  checkName,
  DEFAULT_MEDIA_TYPE,
  normaliseFolder,
  tooLarge,
  type FileMeta,
  type StoreOutcome,
  type WriteOptions,
};

export type FileStore = ReturnType<typeof createFileStore>;

/** "report.pdf" → "report (2).pdf": the first such name the folder does not hold. */
async function freeName(q: Queryable, tenantId: string, folder: string, name: string): Promise<string> {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 2; n < 10_000; n++) {
    const candidate = `${stem} (${n})${ext}`;
    if (candidate.length <= 255 && !(await findFileByName(q, tenantId, folder, candidate))) return candidate;
  }
  throw new ApiError('conflict', `The folder holds too many files named like ${name}.`);
}

/** The tenant's files lock: rows naming blobs, and blob removals, one at a time per tenant. */
const lockTenantFiles = (q: Queryable, tenantId: string) =>
  q.query('select pg_advisory_xact_lock(hashtext($1))', [`files:${tenantId}`]);

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function createFileStore(options: FileStoreOptions) {
  const { db, dir, maxBytes } = options;
  const blobs = options.blobs ?? createLocalBlobs(dir);
  const tmpDir = path.join(dir, 'tmp');
  const staging = path.join(dir, 'staging');
  let stagingMade = false;

  // A tenant's own quota, kept per node: a superuser's change (PATCH /v1/tenants) notifies every node on commit.
  const quotas = createNotifiedCache<number | null>(db, {
    channel: channels.authInvalidate,
    ttlMs: 60_000,
    max: 10_000,
  });

  async function quotaOf(_q: Queryable, tenantId: string): Promise<number | null> {
    return (await quotas.get(tenantId, () => tenantFilesQuota(db, tenantId))) ?? options.quotaBytes ?? null;
  }

  async function room(q: Queryable, tenantId: string) {
    const quota = await quotaOf(q, tenantId);
    const usage = await filesUsage(q, tenantId);
    return { quota, used: usage.used_bytes, left: quota === null ? Infinity : Math.max(0, quota - usage.used_bytes) };
  }

  function quotaExceeded(quota: number, used: number, bytes: number): ApiError {
    return new ApiError(
      'files_quota_exceeded',
      `The tenant's files may hold ${quota} bytes; ${used} are used, and this file needs ${bytes} more.`,
      { quota_bytes: quota, used_bytes: used },
    );
  }

  async function ensureRoomIn(q: Queryable, tenantId: string, bytes: number): Promise<void> {
    // Without a quota there is nothing to add up (usage is a sum over every blob the tenant holds).
    if ((await quotaOf(q, tenantId)) === null) return;
    const { quota, used } = await room(q, tenantId);
    if (quota !== null && used + bytes > quota) throw quotaExceeded(quota, used, bytes);
  }

  /** Remove the blobs among these that no version names any more (after their rows went, or a write failed). */
  async function collectBlobs(tenantId: string, sha256s: string[]): Promise<void> {
    if (sha256s.length === 0) return;
    await db.transaction(async (tx) => {
      await lockTenantFiles(tx, tenantId);
      for (const sha256 of await unreferencedBlobs(tx, tenantId, sha256s)) await blobs.remove(tenantId, sha256);
    });
  }

  /** A file to record: a complete, hashed local file and what to record it as. */
  type RecordRequest = {
    tenantId: string;
    local: string;
    content: { sha256: string; size: number };
    meta: FileMeta & WriteOptions;
    inTx?: ((tx: Queryable, outcome: StoreOutcome) => Promise<void>) | undefined;
  };

  /** A file's bytes as the tenant's blob, before any lock (a large upload to a bucket must not hold it). */
  async function putBlob({ tenantId, local, content }: RecordRequest): Promise<void> {
    // A local blob is a hard link, cheaper than asking whether the tenant holds it already.
    if (blobs.kind === 'local' || !(await blobHeld(db, tenantId, content.sha256)))
      await blobs.put(tenantId, content.sha256, local, content.size);
  }

  /** A file's rows, in `tx`, which holds the tenant's files lock. */
  async function recordRows(tx: Queryable, request: RecordRequest): Promise<StoreOutcome> {
    const { tenantId, local, meta, inTx } = request;
    const { sha256, size } = request.content;
    const folder = normaliseFolder(meta.folder);
    let target = meta.replace
      ? await getFile(tx, tenantId, meta.replace)
      : await findFileByName(tx, tenantId, folder, meta.name);
    if (meta.replace && !target) throw new ApiError('not_found', `File ${meta.replace} does not exist.`);
    let name = meta.name;
    if (target && !meta.replace && meta.ifExists === 'fail') {
      throw new ApiError('conflict', `${folder} already holds a file named ${name}.`, { file_id: target.id });
    }
    if (target && !meta.replace && meta.ifExists === 'rename') {
      name = await freeName(tx, tenantId, folder, name);
      target = undefined;
    }
    if (target && target.sha256 === sha256) {
      const same = { file: target, created: false, newVersion: false };
      await inTx?.(tx, same);
      return same;
    }
    if ((await quotaOf(tx, tenantId)) === null) {
      if (!(await blobs.exists(tenantId, sha256))) await blobs.put(tenantId, sha256, local, size);
    } else if (!(await blobHeld(tx, tenantId, sha256))) {
      await ensureRoomIn(tx, tenantId, size);
      // A delete may have removed these bytes since they were stored (it removes blobs under this lock).
      if (!(await blobs.exists(tenantId, sha256))) await blobs.put(tenantId, sha256, local, size);
    }
    const version = {
      sha256,
      size: String(size),
      media_type: meta.mediaType || DEFAULT_MEDIA_TYPE,
      source: meta.source,
      created_by: meta.createdBy,
    };
    const file = target
      ? await addVersion(tx, tenantId, target.id, version)
      : await insertFile(tx, { id: newId('file'), tenant_id: tenantId, name, folder, ...version });
    const outcome = { file, created: !target, newVersion: Boolean(target) };
    await inTx?.(tx, outcome);
    return outcome;
  }

  /**
   * Record a complete, hashed local file: as a new file, or a new version of the one of that name (or `replace`),
   * unless its current version has these bytes. `local` stays for the caller to remove.
   */
  async function record(
    tenantId: string,
    local: string,
    content: { sha256: string; size: number },
    meta: FileMeta & WriteOptions,
    inTx?: (tx: Queryable, outcome: StoreOutcome) => Promise<void>,
  ): Promise<StoreOutcome> {
    return recordThrough({ tenantId, local, content, meta, inTx }, (request) =>
      db.transaction(async (tx) => {
        await lockTenantFiles(tx, tenantId);
        return recordRows(tx, request);
      }),
    );
  }

  /** The bytes first, outside the lock, then the rows by `write`; a failed write's bytes are collected again. */
  async function recordThrough(
    request: RecordRequest,
    write: (request: RecordRequest) => Promise<StoreOutcome>,
  ): Promise<StoreOutcome> {
    checkName(request.meta.name);
    await putBlob(request);
    try {
      return await write(request);
    } catch (error) {
      await collectBlobs(request.tenantId, [request.content.sha256]);
      throw error;
    }
  }

  /**
   * Imported files are recorded in groups: the files that finish while a group is being written share the next
   * transaction, so they take each tenant's files lock once and wait for one commit. One at a time, the lanes of an
   * import queued on that lock through each other's commit. Tenants are locked in order, so two nodes' groups cannot
   * deadlock; a group that fails is written again file by file, so only the file at fault fails.
   */
  const recordGroup = createGroupCommit<RecordRequest, StoreOutcome>(
    (requests) =>
      db.transaction(async (tx) => {
        const order = requests.map((_, i) => i);
        order.sort((a, b) =>
          compareText((requests[a] as RecordRequest).tenantId, (requests[b] as RecordRequest).tenantId),
        );
        const outcomes: StoreOutcome[] = new Array(requests.length);
        let locked: string | undefined;
        for (const i of order) {
          const request = requests[i] as RecordRequest;
          if (request.tenantId !== locked) {
            await lockTenantFiles(tx, request.tenantId);
            locked = request.tenantId;
          }
          outcomes[i] = await recordRows(tx, request);
        }
        return outcomes;
      }),
    { max: 32, retryAlone: true },
  );

  /** Write `input` to `file` (appending from `position`), at most `limit` bytes; answers the bytes written. */
  async function writeLimited(
    input: AsyncIterable<Uint8Array>,
    file: string,
    position: number,
    limit: { bytes: number; error: () => ApiError },
    hash?: ReturnType<typeof createHash>,
  ): Promise<number> {
    const handle = await fs.promises.open(file, position === 0 ? 'w' : 'r+', 0o600);
    let written = 0;
    try {
      for await (const chunk of input) {
        if (written + chunk.length > limit.bytes) throw limit.error();
        hash?.update(chunk);
        await handle.write(chunk, 0, chunk.length, position + written);
        written += chunk.length;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    return written;
  }

  async function getOrThrow(q: Queryable, tenantId: string, id: string): Promise<FileRow> {
    const row = await getFile(q, tenantId, id);
    if (!row) throw new ApiError('not_found', `File ${id} does not exist.`);
    return row;
  }

  const core = {
    maxBytes,
    blobs,
    record,
    writeLimited,
    ensureRoomIn,

    /** A local directory for part files of downloads in progress (local disk even when blobs live in a bucket). */
    /** Listen for quota changes made on other nodes. */
    start: () => quotas.start(),
    stop: () => quotas.stop(),

    stagingDir(): string {
      if (!stagingMade) {
        fs.mkdirSync(staging, { recursive: true, mode: 0o700 });
        stagingMade = true;
      }
      return staging;
    },

    /** Throws `files_quota_exceeded` (413) when the tenant's stored bytes and `bytes` more pass its quota. */
    ensureRoom(tenantId: string, bytes: number): Promise<void> {
      return ensureRoomIn(db, tenantId, bytes);
    },

    async usage(tenantId: string) {
      const [usage, quota] = await Promise.all([filesUsage(db, tenantId), quotaOf(db, tenantId)]);
      return { ...usage, quota_bytes: quota };
    },

    /**
     * Store bytes (an upload in one request, an export): a new file, or a new version of the one of that name.
     * Refused once past the size limit or the tenant's room, keeping nothing.
     */
    async write(
      tenantId: string,
      input: AsyncIterable<Uint8Array>,
      meta: FileMeta & WriteOptions,
    ): Promise<StoreOutcome> {
      const folder = normaliseFolder(meta.folder);
      checkName(meta.name);
      const { left, quota, used } = await room(db, tenantId);
      const limit =
        left < maxBytes
          ? { bytes: left, error: () => quotaExceeded(quota as number, used, left + 1) }
          : { bytes: maxBytes, error: () => tooLarge(maxBytes) };
      await fs.promises.mkdir(tmpDir, { recursive: true, mode: 0o700 });
      const tmp = path.join(tmpDir, randomBytes(12).toString('hex'));
      const hash = createHash('sha256');
      try {
        const size = await writeLimited(input, tmp, 0, limit, hash);
        return await record(tenantId, tmp, { sha256: hash.digest('hex'), size }, { ...meta, folder });
      } finally {
        await fs.promises.rm(tmp, { force: true });
      }
    },

    /** `write`, answering the file. */
    async put(tenantId: string, input: AsyncIterable<Uint8Array>, meta: FileMeta & WriteOptions): Promise<FileRow> {
      return (await core.write(tenantId, input, meta)).file;
    },

    /**
     * Move a complete, already-hashed local file into the store (the import engine's downloads): a new file, or a
     * new version of the one with that folder and name (or `replace`) — nothing new when its current version has
     * these bytes. The local file is removed once recorded (left in place when this throws).
     */
    async adopt(
      tenantId: string,
      localFile: string,
      content: { sha256: string; size: number },
      meta: FileMeta & { replace?: string },
      /** Runs in the transaction that records the file (the caller's own bookkeeping, committed with it). */
      inTx?: (tx: Queryable, outcome: StoreOutcome) => Promise<void>,
    ): Promise<StoreOutcome> {
      const versioned = { ...meta, ifExists: 'version' as const };
      const outcome = await recordThrough({ tenantId, local: localFile, content, meta: versioned, inTx }, recordGroup);
      await fs.promises.unlink(localFile).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      return outcome;
    },

    /** A file naming these bytes (its current version first), or undefined. */
    findBySha256(tenantId: string, sha256: string): Promise<FileRow | undefined> {
      return findFileBySha256(db, tenantId, sha256);
    },

    /** A file by id whatever its tenant (shared links: checked against the tenant it names before use). */
    findById(id: string): Promise<FileRow | undefined> {
      return getFileInAnyTenant(db, id);
    },

    get(tenantId: string, id: string): Promise<FileRow> {
      return getOrThrow(db, tenantId, id);
    },

    async getVersion(tenantId: string, id: string, version: number): Promise<FileVersionRow> {
      await getOrThrow(db, tenantId, id);
      const row = await getVersion(db, id, version);
      if (!row) throw new ApiError('not_found', `File ${id} has no version ${version}.`);
      return row;
    },

    /** Where a tenant's file's bytes are on this machine (to open in place, read only); undefined: no such file. */
    async storedPath(tenantId: string, id: string): Promise<string | undefined> {
      const row = await getFile(db, tenantId, id);
      return row ? blobs.localPath(tenantId, row.sha256) : undefined;
    },

    /** A file's current bytes, or a range of them (inclusive bounds, as HTTP ranges are). */
    read(row: Pick<FileRow, 'tenant_id' | 'sha256'>, range?: ByteRange): Readable {
      return blobs.read(row.tenant_id, row.sha256, range);
    },

    /** Make an earlier version's bytes the current version again (a new version; nothing when they are current). */
    async restore(tenantId: string, id: string, version: number, createdBy: string | null): Promise<StoreOutcome> {
      return db.transaction(async (tx) => {
        await lockTenantFiles(tx, tenantId);
        const file = await getOrThrow(tx, tenantId, id);
        const old = await getVersion(tx, id, version);
        if (!old) throw new ApiError('not_found', `File ${id} has no version ${version}.`);
        if (old.sha256 === file.sha256) return { file, created: false, newVersion: false };
        const made = await addVersion(tx, tenantId, id, { ...old, created_by: createdBy });
        return { file: made, created: false, newVersion: true };
      });
    },

    /** Rename a file or move it to another folder; 409 when the target name is taken. */
    async move(tenantId: string, id: string, to: { name?: string; folder?: string }): Promise<FileRow> {
      return db.transaction(async (tx) => {
        await lockTenantFiles(tx, tenantId);
        const file = await getOrThrow(tx, tenantId, id);
        const name = to.name === undefined ? file.name : checkName(to.name);
        const folder = to.folder === undefined ? file.folder : normaliseFolder(to.folder);
        if (name === file.name && folder === file.folder) return file;
        const taken = await findFileByName(tx, tenantId, folder, name);
        if (taken && taken.id !== id) {
          throw new ApiError('conflict', `${folder} already holds a file named ${name}.`, { file_id: taken.id });
        }
        return (await moveFile(tx, tenantId, id, { folder, name })) as FileRow;
      });
    },

    /** Delete a file and its versions; their bytes go once no other file of the tenant names them. */
    async remove(tenantId: string, id: string): Promise<FileRow> {
      const deleted = await db.transaction((tx) => deleteFile(tx, tenantId, id));
      if (!deleted) throw new ApiError('not_found', `File ${id} does not exist.`);
      // After the commit, under the lock: a write recording the same bytes meanwhile keeps them (or puts them back).
      await collectBlobs(tenantId, deleted.blobs);
      return deleted.row;
    },
  };

  return { ...core, ...createUploads({ ...options, core }) };
}
