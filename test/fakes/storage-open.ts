import { afterEach } from 'vitest';
import { Readable } from 'node:stream';
import { parseCidr } from '../../src/core/net/cidr.js';
import { createOutbound } from '../../src/core/net/http-client.js';
import type { Download, StorageAdapter, StorageItem, UploadRequest } from '../../src/storage/adapter.js';
import { openStorage } from '../../src/storage/open.js';
import { connectVendor, type VendorConnection } from './connect.js';

/**
 * The storage test utilities: a connection's storage opened as the import engine opens it, and the bytes, uploads,
 * pages and change feeds the adapter tests read and write through it.
 */

/**
 * Open a connection's storage as the import engine does: every call through the app's proxy, pre-authenticated
 * URLs through the SSRF guard with loopback allowed.
 */
async function openOn(conn: VendorConnection) {
  const outbound = createOutbound({ allow: [parseCidr('127.0.0.0/8')] });
  const deps = { db: conn.t.db, registry: conn.t.built.registry, proxy: conn.t.built.proxy, outbound };
  const opened = await openStorage(deps, conn.t.tenantId, conn.connectionId);
  return { adapter: opened.adapter as StorageAdapter, outbound };
}

/** The storage adapter of a connection made with connectVendor (its outbound client lives as long as the test file). */
export async function storageOf(conn: VendorConnection): Promise<StorageAdapter> {
  return (await openOn(conn)).adapter;
}

/** A running app with an OAuth connection of `slug` pointed at a storage fake, and the connection's storage opened. */
export async function openFakeStorage(slug: string, fakeUrl: string, config: Record<string, unknown> = {}) {
  const conn = await connectVendor(slug, fakeUrl, { oauth: config });
  const { adapter, outbound } = await openOn(conn);
  return {
    ...conn,
    storage: adapter,
    async close() {
      await conn.t.close();
      await outbound.close();
    },
  };
}

export type FakeStorage = Awaited<ReturnType<typeof openFakeStorage>>;

/** The bytes of a download (or of any stream), read whole. */
export async function bytesOf(from: Download | AsyncIterable<unknown>): Promise<Buffer> {
  const body = 'body' in from ? from.body : from;
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** An upload body from bytes, in chunks of up to `chunk` bytes (64 KiB). */
export const uploadBody = (data: Buffer, chunk = 65_536): AsyncIterable<Uint8Array> =>
  Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += chunk) yield data.subarray(i, i + chunk);
    })(),
  );

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
    body: uploadBody(data, Math.max(1, Math.ceil(data.length / 2))),
  };
}

/** Deterministic bytes of a size (not compressible text, not all zeros). */
export function bytesOfSize(size: number, seed = 1): Buffer {
  const out = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = x >> 16;
  }
  return out;
}

/**
 * Every page of a listing (or a search) to its end: its items, their paths in order (a folder's with a trailing
 * `/`), and how many pages it took.
 */
export async function allPages(
  page: (cursor?: string) => Promise<{ items: StorageItem[]; cursor?: string }>,
): Promise<{ items: StorageItem[]; paths: string[]; pages: number }> {
  const items: StorageItem[] = [];
  let pages = 0;
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    pages += 1;
    items.push(...next.items);
    cursor = next.cursor;
  } while (cursor);
  return { items, paths: items.map((i) => (i.kind === 'folder' ? `${i.path}/` : i.path)), pages };
}

/** A folder listed page by page to its end. */
export const listAll = (storage: StorageAdapter, root: string, folder: string) =>
  allPages((cursor) => storage.list(root, folder, cursor));

/** The change feed from `cursor` until it has no more: its items, pages and the cursor to start from next time. */
export async function drainChanges(storage: StorageAdapter, root: string, cursor: string | null) {
  const items: StorageItem[] = [];
  let pages = 0;
  let page = await storage.changes(root, cursor);
  for (;;) {
    items.push(...page.items);
    pages += 1;
    if (!page.more) return { items, pages, cursor: page.cursor };
    page = await storage.changes(root, page.cursor);
  }
}

/** The error a call fails with (undefined when it succeeds). */
export const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as { code: string; extensions?: Record<string, unknown> },
  );

/**
 * A test file's fake storage: `setup(pageSize)` starts the fake and a running app connected to it (as `slug`); each
 * test's are closed after it.
 */
export function useFakeStorage<F extends { url: string; close(): Promise<void> }>(
  slug: string,
  start: (options: { pageSize?: number }) => Promise<F>,
) {
  let fake: F | undefined;
  let conn: FakeStorage | undefined;
  afterEach(async () => {
    await conn?.close();
    await fake?.close();
    conn = fake = undefined;
  });
  return async (pageSize?: number) => {
    fake = await start(pageSize ? { pageSize } : {});
    conn = await openFakeStorage(slug, fake.url);
    return { fake, conn, storage: conn.storage };
  };
}
