import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NotFound,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { FilesS3Config } from '../core/config.js';
import { blobKey, lazyReadable, type BlobStore } from './blobs.js';

/** Multipart upload parts: S3's smallest (5 MiB) times 2, four in flight — at most ~40 MiB buffered per upload. */
const PART_BYTES = 10 * 2 ** 20;
const PARTS_IN_FLIGHT = 4;

/**
 * Blobs in an S3-compatible bucket, for several nodes: what they outgrow a shared disk into. The bucket and its
 * endpoint are operator configuration (SWITCHYARD_FILES_S3_*), never an address a tenant supplies, so the client is
 * not routed through the SSRF guard (src/core/net/ssrf.ts) — a private MinIO endpoint is the usual setup.
 *
 * Writes stream the already-hashed local file as a multipart upload (lib-storage, constant memory); reads are a
 * GetObject with `Range`. What opens a file in place (SQLite) gets a copy downloaded to `cacheDir`, by SHA-256 (the
 * same bytes are the same copy), checked against its hash before it is used.
 */
export function createS3Blobs(config: FilesS3Config, cacheDir: string): BlobStore & { client: S3Client } {
  const client = new S3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle,
    ...(config.credentials ? { credentials: config.credentials } : {}),
    // Checksums only where S3 requires them: many S3-compatible stores refuse the newer trailing CRC32 uploads,
    // and every blob is checked against its SHA-256 by the store anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = config.bucket;
  const keyOf = (tenantId: string, sha256: string) => `${config.prefix}${blobKey(tenantId, sha256)}`;
  const cachePath = (sha256: string) => path.join(cacheDir, sha256);

  async function exists(tenantId: string, sha256: string): Promise<boolean> {
    try {
      await client.send(new HeadObjectCommand({ Bucket, Key: keyOf(tenantId, sha256) }));
      return true;
    } catch (error) {
      if (error instanceof NotFound) return false;
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return false;
      throw error;
    }
  }

  async function body(tenantId: string, sha256: string, range?: string) {
    const res = await client.send(
      new GetObjectCommand({ Bucket, Key: keyOf(tenantId, sha256), ...(range ? { Range: range } : {}) }),
    );
    return res.Body as unknown as AsyncIterable<Uint8Array>;
  }

  return {
    kind: 's3',
    client,
    exists,
    async put(tenantId, sha256, from, size) {
      if (await exists(tenantId, sha256)) return;
      const upload = new Upload({
        client,
        params: {
          Bucket,
          Key: keyOf(tenantId, sha256),
          Body: fs.createReadStream(from),
          ContentLength: size,
          ContentType: 'application/octet-stream',
        },
        partSize: PART_BYTES,
        queueSize: PARTS_IN_FLIGHT,
      });
      await upload.done();
    },
    read(tenantId, sha256, range) {
      return lazyReadable(() => body(tenantId, sha256, range ? `bytes=${range.start}-${range.end}` : undefined));
    },
    async remove(tenantId, sha256) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: keyOf(tenantId, sha256) }));
      await fs.promises.rm(cachePath(sha256), { force: true });
    },
    async localPath(tenantId, sha256) {
      const cached = cachePath(sha256);
      if (fs.existsSync(cached)) return cached;
      await fs.promises.mkdir(cacheDir, { recursive: true, mode: 0o700 });
      const tmp = `${cached}.${randomBytes(6).toString('hex')}.part`;
      try {
        const hash = createHash('sha256');
        await pipeline(
          await body(tenantId, sha256),
          async function* (chunks: AsyncIterable<Uint8Array>) {
            for await (const chunk of chunks) {
              hash.update(chunk);
              yield chunk;
            }
          },
          fs.createWriteStream(tmp, { mode: 0o600 }),
        );
        if (hash.digest('hex') !== sha256) throw new Error(`The bucket's copy of blob ${sha256} has other bytes.`);
        await fs.promises.rename(tmp, cached);
      } finally {
        await fs.promises.rm(tmp, { force: true });
      }
      return cached;
    },
  };
}
