import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Db } from '../core/db/port.js';
import { ApiError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import {
  advanceUpload,
  completeUpload,
  deleteUpload,
  findFileByName,
  getUpload,
  insertUpload,
  takeExpiredUploads,
  type FileRow,
  type IfExists,
  type UploadRow,
} from './sql.js';
import {
  checkName,
  DEFAULT_MEDIA_TYPE,
  normaliseFolder,
  tooLarge,
  type FileStoreCore,
  type StoreOutcome,
} from './common.js';

/**
 * Resumable uploads (tus's model, over plain HTTP): an upload declares its size, then takes appends at its current
 * offset. Each append is flushed to disk before the offset moves (compare-and-set), and the part file is cut back
 * to the stored offset before the next append, so bytes of an append cut short by a crash or a dropped connection
 * are never counted. The last byte makes the file (or a new version of the one of that name).
 */
export type AppendOutcome = { upload: UploadRow; file?: FileRow; outcome?: StoreOutcome };

export function createUploads(deps: { db: Db; dir: string; clock: Clock; uploadTtlMs?: number; core: FileStoreCore }) {
  const { db, dir, clock, core } = deps;
  const { maxBytes } = core;
  const uploadTtlMs = deps.uploadTtlMs ?? 24 * 3600_000;
  const partsDir = path.join(dir, 'uploads');
  /** Appends running on this node, by upload id: a second one at the same time is refused, not interleaved. */
  const appending = new Set<string>();
  const partPath = (uploadId: string) => path.join(partsDir, uploadId);

  async function hashFile(file: string): Promise<string> {
    const hash = createHash('sha256');
    for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  }

  async function getOrThrow(tenantId: string, id: string): Promise<UploadRow> {
    const row = await getUpload(db, tenantId, id);
    if (!row) throw new ApiError('not_found', `Upload ${id} does not exist (or expired).`);
    return row;
  }

  /** The last byte arrived: hash the part and record it as the file (the upload names it in the same transaction). */
  async function finish(tenantId: string, upload: UploadRow, size: number): Promise<StoreOutcome> {
    const part = partPath(upload.id);
    // The part stays when this throws (over quota now, a name taken): an empty append at the end retries.
    const outcome = await core.record(
      tenantId,
      part,
      { sha256: await hashFile(part), size },
      {
        name: upload.name,
        folder: upload.folder,
        mediaType: upload.media_type,
        source: { kind: 'upload' },
        createdBy: upload.created_by,
        ifExists: upload.if_exists,
      },
      (tx, { file }) => completeUpload(tx, upload.id, file.id),
    );
    await fs.promises.rm(part, { force: true });
    return outcome;
  }

  return {
    async createUpload(
      tenantId: string,
      input: {
        name: string;
        folder?: string;
        mediaType?: string;
        size: number;
        createdBy: string | null;
        ifExists?: IfExists;
      },
    ): Promise<UploadRow> {
      const folder = normaliseFolder(input.folder);
      checkName(input.name);
      await core.ensureRoom(tenantId, input.size);
      if (input.size > maxBytes) throw tooLarge(maxBytes);
      const ifExists = input.ifExists ?? 'version';
      const taken = ifExists === 'fail' ? await findFileByName(db, tenantId, folder, input.name) : undefined;
      if (taken) {
        throw new ApiError('conflict', `${folder} already holds a file named ${input.name}.`, { file_id: taken.id });
      }
      return insertUpload(db, {
        id: newId('upl'),
        tenant_id: tenantId,
        name: input.name,
        folder,
        media_type: input.mediaType || DEFAULT_MEDIA_TYPE,
        size: String(input.size),
        created_by: input.createdBy,
        expires_at: new Date(clock.now().getTime() + uploadTtlMs),
        if_exists: ifExists,
      });
    },

    getUpload: getOrThrow,

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
      const upload = await getOrThrow(tenantId, id);
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
      // Room for the whole file, before any byte of this append is read (others may have used it since the start).
      await core.ensureRoom(tenantId, size);
      appending.add(id);
      try {
        await fs.promises.mkdir(partsDir, { recursive: true, mode: 0o700 });
        const part = partPath(id);
        // Bytes past the stored offset are from an append that did not finish: they do not count.
        if (received > 0) await fs.promises.truncate(part, received);
        const written = await core.writeLimited(input, part, received, {
          bytes: size - received,
          error: () =>
            new ApiError('body_too_large', `Upload ${id} declared ${size} bytes; this append goes past them.`, {
              limit: size,
            }),
        });
        const now = received + written;
        if (!(await advanceUpload(db, id, received, now))) {
          throw new ApiError('upload_offset_mismatch', `Upload ${id} moved on while this append ran.`, {
            offset: Number((await getOrThrow(tenantId, id)).received),
          });
        }
        const current = { ...upload, received: String(now) };
        if (now < size) return { upload: current };
        const outcome = await finish(tenantId, upload, size);
        return { upload: { ...current, file_id: outcome.file.id }, file: outcome.file, outcome };
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
