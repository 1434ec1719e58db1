import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';

/**
 * Where the files store keeps bytes: one blob per tenant and SHA-256, written once (the store hashes the bytes into a
 * local file first, so the name is known before anything is stored) and never changed. Two places: a local
 * directory (the default; several nodes share it as a mounted directory) and an S3-compatible bucket (blobs-s3.ts).
 * Which blobs exist is the store's business (file_versions rows, under the tenant's lock); a backend only keeps,
 * reads and removes them.
 */
export type ByteRange = { start: number; end: number };

export type BlobStore = {
  kind: 'local' | 's3';
  /**
   * Keep the complete file `from` as the tenant's blob `sha256` (nothing to do when it is there already). `from`
   * stays where it is: the caller removes it once the row naming the blob is committed.
   */
  put(tenantId: string, sha256: string, from: string, size: number): Promise<void>;
  exists(tenantId: string, sha256: string): Promise<boolean>;
  /** The blob's bytes, or a range of them (inclusive bounds, as HTTP ranges are). */
  read(tenantId: string, sha256: string, range?: ByteRange): Readable;
  remove(tenantId: string, sha256: string): Promise<void>;
  /** A path on this machine holding the blob's bytes, to open in place (read only). */
  localPath(tenantId: string, sha256: string): Promise<string>;
};

/** `blobs/<tenant>/<first two hex>/<sha256>`: the key in either backend (the bucket puts its prefix first). */
export const blobKey = (tenantId: string, sha256: string) => `blobs/${tenantId}/${sha256.slice(0, 2)}/${sha256}`;

export function createLocalBlobs(dir: string): BlobStore {
  const blobPath = (tenantId: string, sha256: string) => path.join(dir, ...blobKey(tenantId, sha256).split('/'));
  /** Directories made by this process (a blob's directory is made once, not checked on every write). */
  const made = new Set<string>();

  return {
    kind: 'local',
    async put(tenantId, sha256, from) {
      const to = blobPath(tenantId, sha256);
      const folder = path.dirname(to);
      if (!made.has(folder)) {
        const first = await fs.promises.mkdir(folder, { recursive: true, mode: 0o700 });
        // Directories made now are entries in their parents: durable before a blob in them is.
        if (first) {
          for (let entry = folder; entry !== path.dirname(first); entry = path.dirname(entry)) {
            await flush(path.dirname(entry));
          }
        }
        made.add(folder);
      }
      // A hard link: the blob appears whole at once (never half-written), and `from` stays for the caller.
      try {
        await fs.promises.link(from, to);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') return;
        if (code !== 'EXDEV' && code !== 'EPERM') throw error;
        // Another file system (or one without links): copy beside the blob, flushed, then rename into place.
        const tmp = `${to}.${process.pid}.part`;
        await fs.promises.copyFile(from, tmp);
        await flush(tmp);
        await fs.promises.rename(tmp, to);
      }
      // The caller flushed the bytes; the blob's name must last as well before a row that names it commits (a
      // power cut after the commit would otherwise leave the row without its blob).
      await flush(folder);
    },
    async exists(tenantId, sha256) {
      return fs.existsSync(blobPath(tenantId, sha256));
    },
    read(tenantId, sha256, range) {
      return fs.createReadStream(blobPath(tenantId, sha256), range ?? {});
    },
    async remove(tenantId, sha256) {
      await fs.promises.rm(blobPath(tenantId, sha256), { force: true });
    },
    async localPath(tenantId, sha256) {
      return blobPath(tenantId, sha256);
    },
  };
}

/** Make a file's bytes, or a directory's entries (a file linked, renamed or made in it), durable. */
async function flush(file: string): Promise<void> {
  const handle = await fs.promises.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A Readable that starts once `open` answers (an S3 GetObject is a request first, then a body). */
export function lazyReadable(open: () => Promise<AsyncIterable<Uint8Array>>): Readable {
  return Readable.from(
    (async function* () {
      yield* await open();
    })(),
    { objectMode: false },
  );
}
