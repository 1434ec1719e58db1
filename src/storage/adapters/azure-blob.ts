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
  base64ToHex,
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
 * Azure Blob Storage through the connection's Shared Key or SAS calls
 * (https://learn.microsoft.com/rest/api/storageservices/blob-service-rest-api): containers are the roots (List
 * Containers, or the configured one), List Blobs lists a prefix with `delimiter=/` (folders are BlobPrefix) a page
 * at a time (`marker` / NextMarker), HEAD is Get Blob Properties, GET reads with `Range` and `If-Match` (412
 * ConditionNotMet when the ETag moved), Put Blob writes a block blob in one request (up to 5000 MiB from version
 * 2019-12-12; block lists are not used). Content-MD5 (base64) is the MD5 of a blob put whole.
 */
export function createAzureBlobAdapter(ctx: StorageContext, options: { pageSize?: number } = {}): StorageAdapter {
  const pageSize = options.pageSize ?? 5000;
  const configured = typeof ctx.config.container === 'string' && ctx.config.container ? ctx.config.container : '';

  async function xml(path: string, what: string, signal?: AbortSignal): Promise<XmlElement> {
    const answer = await ctx.call({ method: 'GET', path, headers: { accept: 'application/xml' }, ...opt(signal) });
    if (answer.status !== 200) throw vendorFailure(answer, what, throttled(answer.body));
    return parseXml(answer.body, what);
  }

  function blobItem(element: XmlElement): StorageItem {
    const props = childNamed(element, 'Properties');
    const size = Number(childText(props, 'Content-Length'));
    const modified = childText(props, 'Last-Modified');
    const etag = childText(props, 'Etag');
    const md5 = base64ToHex(childText(props, 'Content-MD5') || undefined);
    const type = childText(props, 'Content-Type');
    return keyItem(childText(element, 'Name') ?? '', {
      ...(Number.isFinite(size) ? { size } : {}),
      ...(modified ? { modifiedAt: new Date(modified).toISOString() } : {}),
      ...(type ? { mediaType: type } : {}),
      ...(etag ? { version: etag } : {}),
      hashes: md5 ? { md5 } : {},
    });
  }

  async function listPage(
    container: string,
    prefix: string,
    delimited: boolean,
    cursor?: string,
    signal?: AbortSignal,
  ) {
    const query = queryString({
      restype: 'container',
      comp: 'list',
      prefix: prefix || undefined,
      delimiter: delimited ? '/' : undefined,
      marker: cursor,
      maxresults: pageSize,
    });
    const doc = await xml(`/${encodeSegment(container)}${query}`, `the listing of ${container}/${prefix}`, signal);
    const blobs = childNamed(doc, 'Blobs');
    const items = [
      ...childrenNamed(blobs, 'BlobPrefix').map((p) => prefixItem(childText(p, 'Name') ?? '')),
      ...childrenNamed(blobs, 'Blob').map(blobItem),
    ];
    const next = childText(doc, 'NextMarker');
    const page: ListPage = { items };
    if (next) page.cursor = next;
    return page;
  }

  const adapter: StorageAdapter = {
    async roots(signal) {
      if (configured) return [{ id: configured, name: configured, kind: 'container' }];
      const roots = [];
      let marker: string | undefined;
      do {
        const doc = await xml(`/${queryString({ comp: 'list', marker })}`, 'the list of containers', signal);
        for (const c of childrenNamed(childNamed(doc, 'Containers'), 'Container')) {
          const name = childText(c, 'Name') ?? '';
          roots.push({ id: name, name, kind: 'container' as const });
        }
        marker = childText(doc, 'NextMarker') || undefined;
      } while (marker);
      return roots;
    },

    list: (container, folder, cursor, signal) => listPage(container, folder, true, cursor, signal),

    /** Blob names that start with the query (Blob Storage matches prefixes only). */
    search: (container, query, cursor, signal) => listPage(container, query.replace(/^\//, ''), false, cursor, signal),

    ...headAndGet(ctx, { path: blobPath, noun: 'blob', headItem }),

    async upload(container, request) {
      const name = childPath(request.folder.replace(/^\/+/, ''), request.name).replace(/^\//, '');
      const answer = await ctx.stream(
        {
          method: 'PUT',
          path: blobPath(container, name),
          headers: {
            'content-length': String(request.size),
            'content-type': request.mediaType,
            'x-ms-blob-type': 'BlockBlob',
          },
          ...opt(request.signal),
        },
        { data: request.body },
      );
      const body = await bodyOf(answer);
      if (answer.status !== 201) throw vendorFailure({ ...answer, body }, `the upload of ${container}/${name}`);
      return adapter.stat(container, name, request.signal);
    },

    changes: (container, cursor, signal) =>
      listingChanges(cursor, (next) => listPage(container, '', false, next, signal)),
  };
  return adapter;
}

export const azureBlobAdapter: StorageAdapterFactory = (ctx) => createAzureBlobAdapter(ctx);

const opt = (signal: AbortSignal | undefined) => (signal ? { signal } : {});
const blobPath = (container: string, name: string) => `/${encodeSegment(container)}/${encodeKey(name)}`;

function headItem(name: string, headers: Record<string, string | string[] | undefined>): StorageItem {
  const get = (key: string) => header({ headers }, key);
  const size = Number(get('content-length'));
  const modified = get('last-modified');
  const etag = get('etag');
  const type = get('content-type');
  const md5 = base64ToHex(get('content-md5'));
  return keyItem(name, {
    ...(Number.isFinite(size) ? { size } : {}),
    ...(modified ? { modifiedAt: new Date(modified).toISOString() } : {}),
    ...(type ? { mediaType: type } : {}),
    ...(etag ? { version: etag } : {}),
    hashes: md5 ? { md5 } : {},
  });
}

/** Blob Storage throttles with 503 ServerBusy (and 500 OperationTimedOut under load). */
function throttled(body: Buffer): { throttled?: boolean } {
  const text = body.subarray(0, 512).toString('utf8');
  return text.includes('<Code>ServerBusy</Code>') || text.includes('<Code>OperationTimedOut</Code>')
    ? { throttled: true }
    : {};
}
