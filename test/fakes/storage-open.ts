import { Readable } from 'node:stream';
import { parseCidr } from '../../src/core/net/cidr.js';
import { createOutbound } from '../../src/core/net/http-client.js';
import type { Download, StorageAdapter, StorageItem } from '../../src/storage/adapter.js';
import { openStorage } from '../../src/storage/open.js';
import { connectVendor } from './connect.js';

/**
 * A running app with an OAuth connection of `slug` pointed at a storage fake, and the connection's storage opened
 * as the import engine opens it (every call through the app's proxy; pre-authenticated URLs through the SSRF guard,
 * loopback allowed).
 */
export async function openFakeStorage(slug: string, fakeUrl: string, config: Record<string, unknown> = {}) {
  const conn = await connectVendor(slug, fakeUrl, { oauth: config });
  const outbound = createOutbound({ allow: [parseCidr('127.0.0.0/8')] });
  const deps = { db: conn.t.db, registry: conn.t.built.registry, proxy: conn.t.built.proxy, outbound };
  const opened = await openStorage(deps, conn.t.tenantId, conn.connectionId);
  return {
    ...conn,
    storage: opened.adapter as StorageAdapter,
    async close() {
      await conn.t.close();
      await outbound.close();
    },
  };
}

export type FakeStorage = Awaited<ReturnType<typeof openFakeStorage>>;

/** A download's bytes, read whole. */
export async function bytesOf(download: Download): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of download.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** An upload body from bytes, in chunks of up to 64 KiB. */
export const uploadBody = (data: Buffer): AsyncIterable<Uint8Array> =>
  Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += 65_536) yield data.subarray(i, i + 65_536);
    })(),
  );

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

/** A folder listed page by page to its end. */
export async function listAll(storage: StorageAdapter, root: string, folder: string) {
  const items: StorageItem[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await storage.list(root, folder, cursor);
    items.push(...page.items);
    cursor = page.cursor;
    pages += 1;
  } while (cursor);
  return { items, pages };
}

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
