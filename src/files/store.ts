import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Clock } from '../core/clock.js';
import type { Db } from '../core/db/port.js';
import { ApiError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import {
  advanceUpload,
  completeUpload,
  deleteFile,
  deleteUpload,
  getFile,
  getUpload,
  insertFile,
  insertUpload,
  takeExpiredUploads,
  type FileRow,
  type FileSource,
  type UploadRow,
} from './sql.js';

/**
 * The files store: a tenant's files, each a row naming its bytes by SHA-256, the bytes kept once per tenant under
 * `blobs/<tenant>/<first two hex>/<sha256>` in the files directory (the data dir's `files` by default; several nodes
 * share one directory — an S3-compatible bucket is the later option). Bytes are written to a temporary file while
 * they are hashed and counted, flushed to disk, then renamed into place, so a blob is never seen half-written and
 * a crash leaves only a temporary file behind. A file larger than the limit is refused as soon as its bytes pass
 * it, and nothing of it is kept.
 *
 * Resumable uploads (tus's model, over plain HTTP): an upload declares its size, then takes appends at its current
 * offset. Each append is flushed to disk before the offset moves (compare-and-set), and the part file is cut back
 * to the stored offset before the next append, so bytes of an append cut short by a crash or a dropped connection
 * are never counted. The last byte makes the file.
 */
export type FileStoreOptions = {
  db: Db;
  /** The files directory. */
  dir: string;
  /** The largest file, in bytes. */
  maxBytes: number;
  clock: Clock;
  /** How long an unfinished upload is kept (default 24 h). */
  uploadTtlMs?: number;
};

export type FileMeta = {
  name: string;
  folder?: string;
  mediaType?: string;
  source: FileSource;
  createdBy: string | null;
};

export type ByteRange = { start: number; end: number };

export type AppendOutcome = { upload: UploadRow; file?: FileRow };

export type FileStore = ReturnType<typeof createFileStore>;

const DEFAULT_MEDIA_TYPE = 'application/octet-stream';

/** A folder path as stored: `/`, or `/a/b` (no trailing slash, no empty, `.` or `..` segments). */
export function normaliseFolder(folder: string | undefined): string {
  if (folder === undefined || folder === '' || folder === '/') return '/';
  const parts = folder.split('/').filter((p) => p !== '');
  if (parts.some((p) => p === '.' || p === '..')) {
    throw new ApiError('validation_failed', 'A folder may not contain "." or ".." segments.', {
      errors: [{ path: 'folder', message: 'no . or .. segments' }],
    });
  }
  return `/${parts.join('/')}`;
}

export function tooLarge(maxBytes: number): ApiError {
  return new ApiError('body_too_large', `Files may hold at most ${maxBytes} bytes (SWITCHYARD_MAX_FILE_SIZE).`, {
    limit: maxBytes,
  });
}

export function createFileStore(options: FileStoreOptions) {
  const { db, dir, maxBytes, clock } = options;
  const uploadTtlMs = options.uploadTtlMs ?? 24 * 3600_000;
  const tmpDir = path.join(dir, 'tmp');
  const partsDir = path.join(dir, 'uploads');
  /** Appends running on this node, by upload id: a second one at the same time is refused, not interleaved. */
  const appending = new Set<string>();

  function blobPath(tenantId: string, sha256: string): string {
    return path.join(dir, 'blobs', tenantId, sha256.slice(0, 2), sha256);
  }

  const partPath = (uploadId: string) => path.join(partsDir, uploadId);

  /** Write `input` to `file` (appending from `position`), at most `limit` bytes; answers the bytes written. */
  async function writeLimited(
    input: AsyncIterable<Uint8Array>,
    file: string,
    position: number,
    limit: number,
    hash?: ReturnType<typeof createHash>,
  ): Promise<number> {
    const handle = await fs.promises.open(file, position === 0 ? 'w' : 'r+', 0o600);
    let written = 0;
    try {
      for await (const chunk of input) {
        if (written + chunk.length > limit) throw tooLarge(maxBytes);
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

  /** Move a complete, hashed temporary file into its blob place (or drop it: the same bytes are there already). */
  async function keepBlob(tenantId: string, sha256: string, from: string): Promise<void> {
    const to = blobPath(tenantId, sha256);
    if (fs.existsSync(to)) {
      await fs.promises.rm(from, { force: true });
      return;
    }
    await fs.promises.mkdir(path.dirname(to), { recursive: true, mode: 0o700 });
    await fs.promises.rename(from, to);
  }

  async function hashFile(file: string): Promise<string> {
    const hash = createHash('sha256');
    for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  }

  function fileRow(tenantId: string, meta: FileMeta, size: number, sha256: string): Omit<FileRow, 'created_at'> {
    return {
      id: newId('file'),
      tenant_id: tenantId,
      name: meta.name,
      folder: normaliseFolder(meta.folder),
      size: String(size),
      media_type: meta.mediaType || DEFAULT_MEDIA_TYPE,
      sha256,
      source: meta.source,
      created_by: meta.createdBy,
    };
  }

  return {
    maxBytes,
    blobPath,

    /** Store bytes as a new file (an upload in one request, an export). */
    async put(tenantId: string, input: AsyncIterable<Uint8Array>, meta: FileMeta): Promise<FileRow> {
      await fs.promises.mkdir(tmpDir, { recursive: true, mode: 0o700 });
      const tmp = path.join(tmpDir, randomBytes(12).toString('hex'));
      const hash = createHash('sha256');
      try {
        const size = await writeLimited(input, tmp, 0, maxBytes, hash);
        const sha256 = hash.digest('hex');
        await keepBlob(tenantId, sha256, tmp);
        return await insertFile(db, fileRow(tenantId, meta, size, sha256));
      } finally {
        await fs.promises.rm(tmp, { force: true });
      }
    },

    async get(tenantId: string, id: string): Promise<FileRow> {
      const row = await getFile(db, tenantId, id);
      if (!row) throw new ApiError('not_found', `File ${id} does not exist.`);
      return row;
    },

    /** Where a tenant's file's bytes are on disk (to open in place, read only); undefined: no such file. */
    async storedPath(tenantId: string, id: string): Promise<string | undefined> {
      const row = await getFile(db, tenantId, id);
      return row ? blobPath(tenantId, row.sha256) : undefined;
    },

    /** A file's bytes, or a range of them (inclusive bounds, as HTTP ranges are). */
    read(row: FileRow, range?: ByteRange): Readable {
      return fs.createReadStream(blobPath(row.tenant_id, row.sha256), range ?? {});
    },

    /** Delete a file; its bytes go once no other file of the tenant names them. */
    async remove(tenantId: string, id: string): Promise<FileRow> {
      const deleted = await db.transaction(async (tx) => {
        // Serialises with another delete of a file holding the same bytes, so one of them removes the blob.
        await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`files:${tenantId}`]);
        return deleteFile(tx, tenantId, id);
      });
      if (!deleted) throw new ApiError('not_found', `File ${id} does not exist.`);
      if (!deleted.shared) await fs.promises.rm(blobPath(tenantId, deleted.row.sha256), { force: true });
      return deleted.row;
    },

    async createUpload(
      tenantId: string,
      input: { name: string; folder?: string; mediaType?: string; size: number; createdBy: string | null },
    ): Promise<UploadRow> {
      if (input.size > maxBytes) throw tooLarge(maxBytes);
      return insertUpload(db, {
        id: newId('upl'),
        tenant_id: tenantId,
        name: input.name,
        folder: normaliseFolder(input.folder),
        media_type: input.mediaType || DEFAULT_MEDIA_TYPE,
        size: String(input.size),
        created_by: input.createdBy,
        expires_at: new Date(clock.now().getTime() + uploadTtlMs),
      });
    },

    async getUpload(tenantId: string, id: string): Promise<UploadRow> {
      const row = await getUpload(db, tenantId, id);
      if (!row) throw new ApiError('not_found', `Upload ${id} does not exist (or expired).`);
      return row;
    },

    /**
     * Append bytes at `offset` (which must be the upload's current offset). Answers the upload, and the file once
     * its last byte arrived. Bytes past the declared size are refused (413), keeping the ones before them unstored.
     */
    async append(
      tenantId: string,
      id: string,
      offset: number,
      input: AsyncIterable<Uint8Array>,
    ): Promise<AppendOutcome> {
      const upload = await this.getUpload(tenantId, id);
      if (upload.file_id) {
        throw new ApiError('conflict', `Upload ${id} is complete: it made file ${upload.file_id}.`, {
          file_id: upload.file_id,
        });
      }
      const received = Number(upload.received);
      const size = Number(upload.size);
      if (offset !== received) {
        throw new ApiError('upload_offset_mismatch', `Upload ${id} is at byte ${received}; send from there.`, {
          offset: received,
        });
      }
      if (appending.has(id)) {
        throw new ApiError('conflict', `Another request is appending to upload ${id}; retry once it ends.`);
      }
      appending.add(id);
      try {
        await fs.promises.mkdir(partsDir, { recursive: true, mode: 0o700 });
        const part = partPath(id);
        // Bytes past the stored offset are from an append that did not finish: they do not count.
        if (received > 0) await fs.promises.truncate(part, received);
        let written: number;
        try {
          written = await writeLimited(input, part, received, size - received);
        } catch (error) {
          if (error instanceof ApiError && error.code === 'body_too_large') {
            throw new ApiError('body_too_large', `Upload ${id} declared ${size} bytes; this append goes past them.`, {
              limit: size,
            });
          }
          throw error;
        }
        const now = received + written;
        if (!(await advanceUpload(db, id, received, now))) {
          throw new ApiError('upload_offset_mismatch', `Upload ${id} moved on while this append ran.`, {
            offset: Number((await this.getUpload(tenantId, id)).received),
          });
        }
        const current = { ...upload, received: String(now) };
        if (now < size) return { upload: current };
        const sha256 = await hashFile(part);
        await keepBlob(tenantId, sha256, part);
        const file = await db.transaction(async (tx) => {
          const made = await insertFile(
            tx,
            fileRow(
              tenantId,
              {
                name: upload.name,
                folder: upload.folder,
                mediaType: upload.media_type,
                source: { kind: 'upload' },
                createdBy: upload.created_by,
              },
              size,
              sha256,
            ),
          );
          await completeUpload(tx, id, made.id);
          return made;
        });
        return { upload: { ...current, file_id: file.id }, file };
      } finally {
        appending.delete(id);
      }
    },

    async abortUpload(tenantId: string, id: string): Promise<UploadRow> {
      const row = await deleteUpload(db, tenantId, id);
      if (!row) throw new ApiError('not_found', `Upload ${id} does not exist (or expired).`);
      await fs.promises.rm(partPath(id), { force: true });
      return row;
    },

    /** Remove uploads left unfinished past their expiry (the sweep the server runs). Answers how many. */
    async sweepUploads(): Promise<number> {
      const expired = await takeExpiredUploads(db, clock.now(), 100);
      for (const row of expired) await fs.promises.rm(partPath(row.id), { force: true });
      return expired.length;
    },
  };
}
