import {
  childPath,
  header,
  json,
  vendorFailure,
  type ListPage,
  type StorageAdapter,
  type StorageAdapterFactory,
  type StorageContext,
  type StorageItem,
} from '../adapter.js';
import {
  base64ToHex,
  downloadAnswer,
  encodeSegment,
  keyItem,
  listingChanges,
  prefixItem,
  queryString,
} from './object-store.js';
import { bodyOf } from './transfer.js';

/**
 * Google Cloud Storage through the JSON API (https://cloud.google.com/storage/docs/json_api/v1), with the
 * connection's service-account JWT as the bearer: buckets of the project are the roots (or the configured one),
 * objects.list lists a prefix with `delimiter=/` (folders in `prefixes`) a page at a time (`pageToken`), objects.get
 * stats and, with `alt=media`, reads with `Range` and `ifGenerationMatch` (412 when the generation moved),
 * objects.insert with `uploadType=media` writes a file in one request (resumable uploads are not used). Objects report
 * md5Hash (absent for composite objects) and crc32c, both base64; the generation is the version.
 */
type GcsObject = {
  name: string;
  size?: string;
  updated?: string;
  generation?: string;
  md5Hash?: string;
  crc32c?: string;
  contentType?: string;
};

export function createGcsAdapter(ctx: StorageContext, options: { pageSize?: number } = {}): StorageAdapter {
  const pageSize = options.pageSize ?? 1000;
  const configured = typeof ctx.config.bucket === 'string' && ctx.config.bucket ? ctx.config.bucket : undefined;
  const project = String(ctx.config.project ?? '');

  async function get<T>(path: string, what: string, signal?: AbortSignal): Promise<T> {
    const answer = await ctx.call({ method: 'GET', path, ...opt(signal) });
    if (answer.status !== 200) throw vendorFailure(answer, what);
    return json<T>(answer, what);
  }

  async function listPage(bucket: string, prefix: string, delimited: boolean, cursor?: string, signal?: AbortSignal) {
    const query = queryString({
      prefix: prefix || undefined,
      delimiter: delimited ? '/' : undefined,
      maxResults: pageSize,
      pageToken: cursor,
    });
    const body = await get<{ items?: GcsObject[]; prefixes?: string[]; nextPageToken?: string }>(
      `/storage/v1/b/${encodeSegment(bucket)}/o${query}`,
      `the listing of ${bucket}/${prefix}`,
      signal,
    );
    const items = [
      ...(body.prefixes ?? []).map(prefixItem),
      ...(body.items ?? []).filter((o) => o.name !== prefix || !o.name.endsWith('/')).map(objectItem),
    ];
    const page: ListPage = { items };
    if (body.nextPageToken) page.cursor = body.nextPageToken;
    return page;
  }

  const adapter: StorageAdapter = {
    async roots(signal) {
      if (configured) return [{ id: configured, name: configured, kind: 'bucket' }];
      const roots = [];
      let pageToken: string | undefined;
      do {
        const body = await get<{ items?: { name: string }[]; nextPageToken?: string }>(
          `/storage/v1/b${queryString({ project, pageToken })}`,
          'the list of buckets',
          signal,
        );
        for (const b of body.items ?? []) roots.push({ id: b.name, name: b.name, kind: 'bucket' as const });
        pageToken = body.nextPageToken;
      } while (pageToken);
      return roots;
    },

    list: (bucket, folder, cursor, signal) => listPage(bucket, folder, true, cursor, signal),

    /** Object names that start with the query (the JSON API matches prefixes only). */
    search: (bucket, query, cursor, signal) => listPage(bucket, query.replace(/^\//, ''), false, cursor, signal),

    async stat(bucket, id, signal) {
      if (id.endsWith('/') || id === '') return prefixItem(id);
      return objectItem(await get<GcsObject>(objectPath(bucket, id), `the object ${bucket}/${id}`, signal));
    },

    async download(bucket, item, request) {
      const from = request.from ?? 0;
      const query = queryString({ alt: 'media', ifGenerationMatch: request.version });
      const answer = await ctx.stream({
        method: 'GET',
        path: `${objectPath(bucket, item.id)}${query}`,
        headers: from > 0 ? { range: `bytes=${from}-` } : {},
        ...opt(request.signal),
      });
      return downloadAnswer(answer, from, `the download of ${bucket}/${item.id}`, header(answer, 'x-goog-generation'));
    },

    async upload(bucket, request) {
      const name = childPath(request.folder.replace(/^\/+/, ''), request.name).replace(/^\//, '');
      const answer = await ctx.stream(
        {
          method: 'POST',
          path: `/upload/storage/v1/b/${encodeSegment(bucket)}/o${queryString({ uploadType: 'media', name })}`,
          headers: { 'content-length': String(request.size), 'content-type': request.mediaType },
          ...opt(request.signal),
        },
        { data: request.body },
      );
      const body = await bodyOf(answer, 1024 * 1024);
      const what = `the upload of ${bucket}/${name}`;
      if (answer.status !== 200) throw vendorFailure({ ...answer, body }, what);
      return objectItem(json<GcsObject>({ ...answer, body }, what));
    },

    changes: (bucket, cursor, signal) => listingChanges(cursor, (next) => listPage(bucket, '', false, next, signal)),
  };
  return adapter;
}

export const gcsAdapter: StorageAdapterFactory = (ctx) => createGcsAdapter(ctx);

const opt = (signal: AbortSignal | undefined) => (signal ? { signal } : {});
/** An object's name is one path segment: its slashes are encoded. */
const objectPath = (bucket: string, name: string) => `/storage/v1/b/${encodeSegment(bucket)}/o/${encodeSegment(name)}`;

function objectItem(o: GcsObject): StorageItem {
  const size = Number(o.size);
  const md5 = base64ToHex(o.md5Hash);
  return keyItem(o.name, {
    ...(o.size !== undefined && Number.isFinite(size) ? { size } : {}),
    ...(o.updated ? { modifiedAt: new Date(o.updated).toISOString() } : {}),
    ...(o.contentType ? { mediaType: o.contentType } : {}),
    ...(o.generation ? { version: o.generation } : {}),
    hashes: { ...(md5 ? { md5 } : {}), ...(o.crc32c ? { crc32c: o.crc32c } : {}) },
  });
}
