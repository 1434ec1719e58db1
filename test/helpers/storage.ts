import type { Readable } from 'node:stream';
import { createOutbound } from '../../src/core/net/http-client.js';
import type { StorageAdapter, UploadRequest } from '../../src/storage/adapter.js';
import { openStorage } from '../../src/storage/open.js';
import type { VendorConnection } from '../fakes/connect.js';

/** A connection's storage adapter, opened as the import engine opens it (calls through the app's own proxy). */
export async function storageOf(conn: VendorConnection): Promise<StorageAdapter> {
  const { t } = conn;
  const outbound = createOutbound({ allow: t.config.allowPrivateNetworks });
  const deps = { db: t.db, registry: t.built.registry, proxy: t.built.proxy, outbound };
  return (await openStorage(deps, t.tenantId, conn.connectionId)).adapter;
}

/** An upload of these bytes, streamed in two chunks. */
export function uploadOf(
  folder: string,
  name: string,
  bytes: Buffer | string,
  mediaType = 'text/plain',
): UploadRequest {
  const data = Buffer.from(bytes);
  return {
    folder,
    name,
    size: data.length,
    mediaType,
    body: (async function* () {
      yield data.subarray(0, Math.ceil(data.length / 2));
      yield data.subarray(Math.ceil(data.length / 2));
    })(),
  };
}

export async function bytesOf(body: Readable): Promise<string> {
  return Buffer.concat((await body.toArray()) as Buffer[]).toString('utf8');
}

/** Every page of a listing, its items' paths in order, and how many pages it took. */
export async function allPages(
  page: (cursor?: string) => Promise<{ items: { path: string; kind: string }[]; cursor?: string }>,
): Promise<{ paths: string[]; pages: number }> {
  const paths: string[] = [];
  let pages = 0;
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    pages += 1;
    paths.push(...next.items.map((i) => (i.kind === 'folder' ? `${i.path}/` : i.path)));
    cursor = next.cursor;
  } while (cursor);
  return { paths, pages };
}
