import {
  childPath,
  header,
  vendorFailure,
  type ListPage,
  type StorageAdapter,
  type StorageAdapterFactory,
  type StorageContext,
  type StorageItem,
} from '../adapter.js';
import {
  encodeKey,
  encodeSegment,
  headAndGet,
  keyItem,
  listingChanges,
  prefixItem,
  queryString,
} from './object-store.js';
import { bodyOf } from './transfer.js';
import { childNamed, childrenNamed, childText, parseXml, type XmlElement } from './xml.js';

/**
 * Amazon S3 and S3-compatible stores, path-style (`/<bucket>/<key>`), through the connection's SigV4-signed calls
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/): buckets are the roots (ListBuckets, or the configured one),
 * ListObjectsV2 lists a prefix with `delimiter=/` (folders are CommonPrefixes) a page at a time
 * (`continuation-token`), HEAD stats, GET reads with `Range` and `If-Match` (412 PreconditionFailed when the ETag
 * moved), PUT writes a file in one request (S3 takes up to 5 GiB so; multipart uploads are not used). An ETag is the
 * object's MD5 only when it was not uploaded in parts (no `-` in it).
 */
export function createS3Adapter(ctx: StorageContext, options: { pageSize?: number } = {}): StorageAdapter {
  const pageSize = options.pageSize ?? 1000;
  const configured = typeof ctx.config.bucket === 'string' && ctx.config.bucket ? ctx.config.bucket : undefined;

  async function xml(path: string, what: string, signal?: AbortSignal): Promise<XmlElement> {
    const answer = await ctx.call({ method: 'GET', path, headers: { accept: 'application/xml' }, ...opt(signal) });
    if (answer.status !== 200) throw vendorFailure(answer, what, throttled(answer.body));
    return parseXml(answer.body, what);
  }

  function objectItem(element: XmlElement): StorageItem {
    const key = childText(element, 'Key') ?? '';
    const etag = childText(element, 'ETag');
    const size = Number(childText(element, 'Size'));
    const modified = childText(element, 'LastModified');
    return keyItem(key, {
      ...(Number.isFinite(size) ? { size } : {}),
      ...(modified ? { modifiedAt: new Date(modified).toISOString() } : {}),
      ...(etag ? { version: etag, hashes: md5Of(etag) } : {}),
    });
  }

  /** One ListObjectsV2 page: below a prefix, folders at `/` (delimited) or every key (flat). */
  async function listPage(bucket: string, prefix: string, delimited: boolean, cursor?: string, signal?: AbortSignal) {
    const query = queryString({
      'list-type': 2,
      prefix: prefix || undefined,
      delimiter: delimited ? '/' : undefined,
      'max-keys': pageSize,
      'continuation-token': cursor,
    });
    const doc = await xml(`/${encodeSegment(bucket)}${query}`, `the listing of ${bucket}/${prefix}`, signal);
    const items = [
      ...childrenNamed(doc, 'CommonPrefixes').map((p) => prefixItem(childText(p, 'Prefix') ?? '')),
      ...childrenNamed(doc, 'Contents')
        .map(objectItem)
        .filter((item) => item.id !== prefix || !item.id.endsWith('/')),
    ];
    const next = childText(doc, 'IsTruncated') === 'true' ? childText(doc, 'NextContinuationToken') : undefined;
    const page: ListPage = { items };
    if (next) page.cursor = next;
    return page;
  }

  const adapter: StorageAdapter = {
    async roots(signal) {
      if (configured) return [{ id: configured, name: configured, kind: 'bucket' }];
      const doc = await xml('/', 'the list of buckets', signal);
      return childrenNamed(childNamed(doc, 'Buckets'), 'Bucket').map((b) => {
        const name = childText(b, 'Name') ?? '';
        return { id: name, name, kind: 'bucket' as const };
      });
    },

    list: (bucket, folder, cursor, signal) => listPage(bucket, folder, true, cursor, signal),

    /** Keys that start with the query (S3 matches prefixes only). */
    search: (bucket, query, cursor, signal) => listPage(bucket, query.replace(/^\//, ''), false, cursor, signal),

    ...headAndGet(ctx, { path: objectPath, noun: 'object', headItem }),

    async upload(bucket, request) {
      const key = childPath(request.folder.replace(/^\/+/, ''), request.name).replace(/^\//, '');
      const answer = await ctx.stream(
        {
          method: 'PUT',
          path: objectPath(bucket, key),
          headers: { 'content-length': String(request.size), 'content-type': request.mediaType },
          ...opt(request.signal),
        },
        { data: request.body },
      );
      const body = await bodyOf(answer);
      if (answer.status !== 200) throw vendorFailure({ ...answer, body }, `the upload of ${bucket}/${key}`);
      return adapter.stat(bucket, key, request.signal);
    },

    changes: (bucket, cursor, signal) => listingChanges(cursor, (next) => listPage(bucket, '', false, next, signal)),
  };
  return adapter;
}

export const s3Adapter: StorageAdapterFactory = (ctx) => createS3Adapter(ctx);

const opt = (signal: AbortSignal | undefined) => (signal ? { signal } : {});
const objectPath = (bucket: string, key: string) => `/${encodeSegment(bucket)}/${encodeKey(key)}`;

/** A single-part ETag is the hex MD5 of the bytes; a multipart one (`"…-3"`) is not a hash of them. */
function md5Of(etag: string): StorageItem['hashes'] {
  const bare = etag.replace(/"/g, '');
  return /^[0-9a-f]{32}$/i.test(bare) ? { md5: bare.toLowerCase() } : {};
}

function headItem(key: string, headers: Record<string, string | string[] | undefined>): StorageItem {
  const get = (name: string) => header({ headers }, name);
  const etag = get('etag');
  const size = Number(get('content-length'));
  const modified = get('last-modified');
  const type = get('content-type');
  return keyItem(key, {
    ...(Number.isFinite(size) ? { size } : {}),
    ...(modified ? { modifiedAt: new Date(modified).toISOString() } : {}),
    ...(type ? { mediaType: type } : {}),
    ...(etag ? { version: etag, hashes: md5Of(etag) } : {}),
  });
}

/** S3's throttle answer is 503 SlowDown; an S3-compatible store may say so with another status. */
function throttled(body: Buffer): { throttled?: boolean } {
  return body.subarray(0, 512).toString('utf8').includes('<Code>SlowDown</Code>') ? { throttled: true } : {};
}
