import type { Readable } from 'node:stream';
import type { HashKind, StorageSection } from '../catalog/manifest/storage.js';
import type { VendorAnswer, VendorCall, VendorStream, VendorUpload } from '../connections/proxy/proxy.js';
import { ApiError } from '../core/errors.js';
import { parseRetryAfter } from '../core/net/retry-after.js';

export type { HashKind } from '../catalog/manifest/storage.js';

/**
 * The storage adapter contract: one vendor's listing dialect (Graph, Drive, Dropbox, Box, S3, Azure Blob, GCS)
 * behind the same browse, download, upload and change-feed calls, as rclone keeps its backends. An adapter makes
 * every call through the connection (`StorageHttp`: the proxy's programmatic call — credentials, SSRF guard, rate
 * budget, request log), so it holds no credentials and opens no sockets of its own.
 */

/** A file or folder as a vendor lists it. */
export type StorageItem = {
  /** The vendor's id: a Graph/Drive/Box item id, Dropbox `id:…`, an object key or blob name. */
  id: string;
  /** Where it is below its root: `/reports/2026/q1.csv` (folders without a trailing slash). */
  path: string;
  name: string;
  kind: 'file' | 'folder';
  size?: number;
  /** ISO 8601. */
  modifiedAt?: string;
  mediaType?: string;
  /**
   * The hashes the vendor reports, as it reports them: hex for md5, sha1, sha256, dropbox; base64 for quickxor and
   * crc32c.
   */
  hashes: Partial<Record<HashKind, string>>;
  /** Changes whenever the content does (an ETag, rev, generation, version id): a read sends it back as a precondition. */
  version?: string;
  /** A change feed's removal. */
  deleted?: boolean;
  /** A vendor-native document (a Google Doc) has no bytes of its own: it is exported as this media type. */
  exportAs?: string;
  /** The listed size and hash will not match the bytes downloaded (SharePoint rewrites Office files). */
  rewrittenOnDownload?: boolean;
};

/** What is browsed first: a drive, SharePoint site's library, shared drive, bucket or container. */
export type StorageRoot = {
  id: string;
  name: string;
  kind: 'drive' | 'site' | 'shared_drive' | 'bucket' | 'container' | 'root';
  description?: string;
};

export type ListPage = { items: StorageItem[]; cursor?: string };

/** A page of the change feed: changes since the cursor given, and the cursor to continue (or start next time) from. */
export type ChangesPage = { items: StorageItem[]; cursor: string; more: boolean };

export type DownloadRequest = {
  /** The first byte wanted (a resumed download); the rest of the file from there. */
  from?: number;
  /** Refuse (412 storage_item_changed) unless the file is still at this version. */
  version?: string;
  signal?: AbortSignal;
};

export type Download = {
  body: Readable;
  /** The bytes this answer carries. */
  length?: number;
  /** The file's version as it was read (compared with the one listed: a change mid-download is caught). */
  version?: string;
  /** The byte the body starts at (0 unless a range was asked for and honoured). */
  start: number;
};

export type UploadRequest = {
  /** The folder path below the root, and the file's name in it. */
  folder: string;
  name: string;
  size: number;
  mediaType: string;
  body: AsyncIterable<Uint8Array>;
  signal?: AbortSignal;
};

export interface StorageAdapter {
  /** Drives, sites, buckets or containers to browse (one `root` for a single-root store). */
  roots(signal?: AbortSignal): Promise<StorageRoot[]>;
  /** One page of a folder's children (`folder` is an item id, or '' for the root's top). */
  list(root: string, folder: string, cursor?: string, signal?: AbortSignal): Promise<ListPage>;
  /** Files and folders whose name matches, where the vendor searches (manifest `storage.search`). */
  search?(root: string, query: string, cursor?: string, signal?: AbortSignal): Promise<ListPage>;
  /** One item by id, as listed (its size, hashes and version now). */
  stat(root: string, id: string, signal?: AbortSignal): Promise<StorageItem>;
  /** A file's bytes from `from` on; a ranged read answers only the rest. */
  download(root: string, item: StorageItem, request: DownloadRequest): Promise<Download>;
  /** Write a file; answers it as the vendor lists it. */
  upload(root: string, request: UploadRequest): Promise<StorageItem>;
  /**
   * The change feed: from `cursor` (null: the feed's start — everything now, then the cursor that follows it).
   * Stores without one (S3, Azure, GCS) list the tree and answer items modified after the cursor's time.
   */
  changes(root: string, cursor: string | null, signal?: AbortSignal): Promise<ChangesPage>;
}

/** A vendor call through the connection, without the connection's own fields. */
export type StorageRequest = Omit<VendorCall, 'tenantId' | 'connectionId' | 'userId' | 'kind'>;

/** What an adapter is made with: calls through one connection, and its settings. */
export type StorageContext = {
  call(request: StorageRequest): Promise<VendorAnswer>;
  stream(request: StorageRequest, upload?: VendorUpload): Promise<VendorStream>;
  /**
   * GET a pre-authenticated URL the vendor handed out (Graph's `@microsoft.graph.downloadUrl`, Box's download
   * redirect) without the connection's credentials, through the SSRF guard; the body is streamed. A PUT or POST
   * sends `body` (a chunk to Graph's upload session URL, which takes no Authorization header).
   */
  fetchUrl(
    url: string,
    init?: { method?: 'GET' | 'PUT' | 'POST'; headers?: Record<string, string>; body?: Buffer; signal?: AbortSignal },
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Readable }>;
  /** The connection's (non-secret) configuration: a bucket, account, container, region. */
  config: Record<string, unknown>;
  /** The connector's `storage:` section. */
  section: StorageSection;
};

export type StorageAdapterFactory = (ctx: StorageContext) => StorageAdapter;

/** A header's value, whether the vendor sent it once or more. */
export function header(answer: { headers: Record<string, string | string[] | undefined> }, name: string) {
  const value = answer.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The vendor's answer as JSON, or a storage_vendor_error naming what was asked. */
export function json<T>(answer: VendorAnswer, what: string): T {
  try {
    return JSON.parse(answer.body.toString('utf8')) as T;
  } catch {
    throw new ApiError('storage_vendor_error', `The vendor's answer to ${what} is not JSON (status ${answer.status}).`);
  }
}

/**
 * The error for a vendor answer that is not a success: throttling (429, 503, or a vendor's own signal such as
 * Drive's 403 `userRateLimitExceeded`) as storage_throttled with the wait in `retry_after_ms`; 404 as not_found;
 * 412 as storage_item_changed; the rest as storage_vendor_error with the vendor's status and message.
 */
export function vendorFailure(
  answer: { status: number; headers: Record<string, string | string[] | undefined>; body?: Buffer },
  what: string,
  options: { throttled?: boolean; message?: string } = {},
): ApiError {
  const message = options.message ?? vendorMessage(answer.body);
  if (options.throttled || answer.status === 429 || answer.status === 503) {
    const wait = parseRetryAfter(header(answer, 'retry-after'), { now: Date.now() });
    return new ApiError(
      'storage_throttled',
      `The vendor is throttling ${what}${wait !== undefined ? `; retry in ${Math.ceil(wait / 1000)} s` : ''}.`,
      { vendor_status: answer.status, ...(wait !== undefined ? { retry_after_ms: wait } : {}) },
    );
  }
  if (answer.status === 404) return new ApiError('not_found', `The vendor has no ${what}${suffix(message)}.`);
  if (answer.status === 412) {
    return new ApiError('storage_item_changed', `The file changed at the vendor while it was read (${what}).`);
  }
  return new ApiError('storage_vendor_error', `The vendor answered ${answer.status} to ${what}${suffix(message)}.`, {
    vendor_status: answer.status,
  });
}

const suffix = (message: string | undefined) => (message ? `: ${message}` : '');

/** A short, printable message from a vendor's error body (JSON `message`/`error.message`, XML `<Message>`). */
function vendorMessage(body: Buffer | undefined): string | undefined {
  if (!body?.length) return undefined;
  const text = body.subarray(0, 4096).toString('utf8');
  const xml = /<Message>([^<]{1,300})<\/Message>/.exec(text);
  if (xml) return xml[1];
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const error = parsed.error;
    const nested = typeof error === 'object' && error !== null ? (error as Record<string, unknown>).message : undefined;
    const candidate =
      nested ?? parsed.error_summary ?? parsed.message ?? (typeof error === 'string' ? error : undefined);
    return typeof candidate === 'string' ? candidate.slice(0, 300) : undefined;
  } catch {
    return undefined;
  }
}

/** A vendor's file name made safe to keep: no path separators, NUL or control characters, never `.` or `..`. */
export function safeName(name: string): string {
  const cleaned = name
    .replace(/[\\/\0]/g, '_')
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    .replace(/[\x00-\x1f\x7f]/g, '')
    .trim()
    .slice(0, 255);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? '_' : cleaned;
}

/** Join a folder path and a name below it (`/` + `a` = `/a`). */
export function childPath(folder: string, name: string): string {
  return `${folder === '/' || folder === '' ? '' : folder.replace(/\/$/, '')}/${name}`;
}
