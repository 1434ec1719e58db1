import { decodeCursor, downloadOf, encodeCursor, streamFailure } from './transfer.js';
import type { VendorStream } from '../../connections/proxy/proxy.js';
import {
  header,
  safeName,
  vendorFailure,
  type ChangesPage,
  type Download,
  type ListPage,
  type StorageAdapter,
  type StorageContext,
  type StorageItem,
} from '../adapter.js';

/**
 * What the object stores (S3, Azure Blob, GCS) share: flat keys read as folders at `/`, the byte-range download
 * answer checked the same way, and a change feed made from a listing, since none of them has one in its basic API.
 */

/** An object key as a StorageItem path and name: `/`-separated segments, each made safe. */
export function keyItem(
  key: string,
  fields: Omit<StorageItem, 'id' | 'path' | 'name' | 'kind' | 'hashes'> & { hashes?: StorageItem['hashes'] },
): StorageItem {
  const segments = key.replace(/\/$/, '').split('/').map(safeName);
  return {
    id: key,
    path: `/${segments.join('/')}`,
    name: segments.at(-1) ?? '_',
    kind: key.endsWith('/') ? 'folder' : 'file',
    ...fields,
    hashes: fields.hashes ?? {},
  };
}

/** A folder (a common prefix such as `reports/2026/`) as listed. */
export const prefixItem = (prefix: string): StorageItem => keyItem(prefix.endsWith('/') ? prefix : `${prefix}/`, {});

/** Each `/`-separated segment of a key percent-encoded for a URL path (`a b/c+d` → `a%20b/c%2Bd`). */
export const encodeKey = (key: string) => key.split('/').map(encodeSegment).join('/');

/** RFC 3986: everything but A-Z a-z 0-9 - _ . ~ encoded (encodeURIComponent leaves !'()* alone). */
export const encodeSegment = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A query string with every value percent-encoded (spaces as %20, never `+`), undefined values left out. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => (v === '' ? k : `${encodeSegment(k)}=${encodeSegment(String(v))}`));
  return parts.length ? `?${parts.join('&')}` : '';
}

/** A base64 digest (Content-MD5, md5Hash) as hex. */
export const base64ToHex = (value: string | undefined) =>
  value ? Buffer.from(value, 'base64').toString('hex') : undefined;

/**
 * A ranged download's answer: a failure mapped (412 → storage_item_changed), a 206 checked to start at the byte
 * asked for, a 200 to a ranged ask read as the whole file (start 0: the caller restarts).
 */
export async function downloadAnswer(
  answer: VendorStream,
  from: number,
  what: string,
  version: string | undefined,
): Promise<Download> {
  if (answer.status !== 200 && answer.status !== 206) throw await streamFailure(answer, what);
  return downloadOf(answer, from, version);
}

/**
 * The listing change feed. The cursor is the newest modification time seen and the keys (with their versions) at
 * that time: an object listed later with the same second-resolution time but another version is still a change, and
 * one already answered is not answered again. Removals cannot be told from a listing without the whole key set, so
 * they are not reported.
 */
type ListingCursor = { t: string; k: [string, string][] };

export async function listingChanges(
  cursor: string | null,
  listPage: (next: string | undefined) => Promise<ListPage>,
): Promise<ChangesPage> {
  async function* walk(): AsyncIterable<StorageItem> {
    let next: string | undefined;
    do {
      const page = await listPage(next);
      yield* page.items;
      next = page.cursor;
    } while (next);
  }
  const since = cursor === null ? undefined : decodeCursor(cursor, isListingCursor);
  const seen = new Map(since?.k ?? []);
  const changed: StorageItem[] = [];
  let newest = since?.t ?? '';
  let atNewest: [string, string][] = since?.k ?? [];
  for await (const item of walk()) {
    if (item.kind !== 'file' || !item.modifiedAt) continue;
    const at = new Date(item.modifiedAt).toISOString();
    const version = item.version ?? '';
    const isChange = !since || at > since.t || (at === since.t && seen.get(item.id) !== version);
    if (isChange) changed.push(item);
    if (at > newest) {
      newest = at;
      atNewest = [[item.id, version]];
    } else if (at === newest && !atNewest.some(([id, v]) => id === item.id && v === version)) {
      atNewest = [...atNewest.filter(([id]) => id !== item.id), [item.id, version]];
    }
  }
  const next: ListingCursor = { t: newest || new Date(0).toISOString(), k: atNewest };
  return { items: changed, cursor: encodeCursor(next), more: false };
}

const isListingCursor = (value: unknown): value is ListingCursor =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as ListingCursor).t === 'string' &&
  Array.isArray((value as ListingCursor).k);

/**
 * `stat` and `download` of a store addressed by key over plain HTTP (S3, Azure Blob): HEAD for the listing of one key
 * (a key ending in `/`, or none, is a folder), GET with `Range` from a byte and `If-Match` on the ETag listed.
 */
export function headAndGet(
  ctx: StorageContext,
  options: {
    path: (root: string, key: string) => string;
    /** What a key is called in messages: object, blob. */
    noun: string;
    headItem: (key: string, headers: Record<string, string | string[] | undefined>) => StorageItem;
  },
): Pick<StorageAdapter, 'stat' | 'download'> {
  const opt = (signal: AbortSignal | undefined) => (signal ? { signal } : {});
  return {
    async stat(root, id, signal) {
      if (id.endsWith('/') || id === '') return prefixItem(id);
      const answer = await ctx.call({ method: 'HEAD', path: options.path(root, id), ...opt(signal) });
      if (answer.status !== 200) throw vendorFailure(answer, `the ${options.noun} ${root}/${id}`);
      return options.headItem(id, answer.headers);
    },
    async download(root, item, request) {
      const from = request.from ?? 0;
      const headers: Record<string, string> = {};
      if (from > 0) headers.range = `bytes=${from}-`;
      if (request.version) headers['if-match'] = request.version;
      const answer = await ctx.stream({
        method: 'GET',
        path: options.path(root, item.id),
        headers,
        ...opt(request.signal),
      });
      return downloadAnswer(answer, from, `the download of ${root}/${item.id}`, header(answer, 'etag'));
    },
  };
}
