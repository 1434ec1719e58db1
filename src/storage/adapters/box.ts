import { randomBytes } from 'node:crypto';
import { ApiError } from '../../core/errors.js';
import {
  childPath,
  json,
  safeName,
  vendorFailure,
  type StorageAdapterFactory,
  type StorageContext,
  type StorageItem,
  type StorageRequest,
} from '../adapter.js';
import { bodyOf, decodeCursor, downloadOf, encodeCursor, rangeFrom } from './transfer.js';

/**
 * Box API 2.0: one root, the folder `0` (All Files). Docs: GET /folders/{id}/items with `fields`, `limit` (1000 at
 * most) and marker paging (usemarker=true, next_marker); GET /search (offset paging); GET /files/{id}/content answers
 * 302 to a pre-authenticated dl.boxcloud.com URL (202 with Retry-After while the file is not ready), read with Range;
 * uploads are multipart (`attributes` JSON, then `file`) on upload.box.com — the manifest's `other_base_urls.upload`
 * — and a name already in use (409 item_name_in_use) takes a new version instead; the change feed is the user's event
 * stream (stream_type=changes; stream_position=now, then next_stream_position), started by a walk of the tree.
 */

const PAGE_SIZE = 1000;
const EVENTS_PAGE = 500;
const FIELDS = 'id,type,name,size,modified_at,sha1,etag,path_collection,item_status';

type BoxItem = {
  id: string;
  type: 'file' | 'folder' | 'web_link';
  name?: string;
  size?: number;
  modified_at?: string;
  sha1?: string;
  etag?: string;
  item_status?: string;
  path_collection?: { entries: { id: string; name: string }[] };
};
type ItemsPage = { entries: BoxItem[]; next_marker?: string | null };
type EventsPage = {
  entries: { event_type: string; source?: BoxItem | null }[];
  next_stream_position: string | number;
  chunk_size: number;
};
type FeedCursor = { position: string; walk?: { queue: { id: string; path: string }[]; marker?: string } };
const isFeedCursor = (v: unknown): v is FeedCursor =>
  typeof v === 'object' && v !== null && typeof (v as FeedCursor).position === 'string';

export const boxAdapter: StorageAdapterFactory = (ctx) => {
  const get = <T>(what: string, request: Omit<StorageRequest, 'method'>) =>
    call<T>(ctx, what, { method: 'GET', ...request });
  const listFolder = (folder: string, marker: string | undefined, signal?: AbortSignal) =>
    get<ItemsPage>('a folder', {
      path: `/folders/${encodeURIComponent(folder || '0')}/items`,
      query: { fields: FIELDS, limit: PAGE_SIZE, usemarker: true, ...(marker ? { marker } : {}) },
      ...(signal ? { signal } : {}),
    });

  async function stat(id: string, signal?: AbortSignal): Promise<BoxItem> {
    const opts = { query: { fields: FIELDS }, ...(signal ? { signal } : {}) };
    const file = await ctx.call({ method: 'GET', path: `/files/${encodeURIComponent(id)}`, ...opts });
    if (file.status < 300) return json<BoxItem>(file, 'the file');
    if (file.status !== 404) throw vendorFailure(file, 'the file');
    return get<BoxItem>('the item', { path: `/folders/${encodeURIComponent(id)}`, ...opts });
  }

  async function walkStep(position: string, walk: NonNullable<FeedCursor['walk']>, signal?: AbortSignal) {
    const [head, ...rest] = walk.queue;
    if (!head) return { items: [], cursor: encodeCursor({ position }), more: false };
    const page = await listFolder(head.id, walk.marker, signal);
    const items = page.entries.filter((e) => e.type !== 'web_link').map(toItem);
    const found = items.filter((i) => i.kind === 'folder').map((i) => ({ id: i.id, path: i.path }));
    const next: FeedCursor['walk'] = page.next_marker
      ? { queue: [head, ...rest, ...found], marker: page.next_marker }
      : { queue: [...rest, ...found] };
    const done = next.queue.length === 0;
    return { items, cursor: encodeCursor(done ? { position } : { position, walk: next }), more: !done };
  }

  /** A child of a folder by type and name (pages of up to 1000 read until it is found). */
  async function childNamed(folder: string, name: string, type: BoxItem['type'], signal?: AbortSignal) {
    let marker: string | undefined;
    do {
      const page = await listFolder(folder, marker, signal);
      const found = page.entries.find((e) => e.type === type && e.name === name);
      if (found) return found;
      marker = page.next_marker ?? undefined;
    } while (marker);
    return undefined;
  }

  /** The folder id at a path below All Files, its missing folders created. */
  async function folderAt(folder: string, signal?: AbortSignal): Promise<string> {
    let id = '0';
    for (const name of folder.split('/').filter(Boolean)) {
      const found = await childNamed(id, name, 'folder', signal);
      id =
        found?.id ??
        (
          await call<BoxItem>(ctx, 'a new folder', {
            method: 'POST',
            path: '/folders',
            body: { name, parent: { id } },
            ...(signal ? { signal } : {}),
          })
        ).id;
    }
    return id;
  }

  return {
    roots: () => Promise.resolve([{ id: '0', name: 'All Files', kind: 'root' as const }]),

    async list(_root, folder, cursor, signal) {
      const page = await listFolder(folder, cursor, signal);
      return {
        items: page.entries.filter((e) => e.type !== 'web_link').map(toItem),
        ...(page.next_marker ? { cursor: page.next_marker } : {}),
      };
    },

    async search(_root, query, cursor, signal) {
      const offset = cursor ? Number(cursor) : 0;
      const page = await get<{ entries: BoxItem[]; total_count: number }>('a search', {
        path: '/search',
        query: { query, fields: FIELDS, limit: 100, offset, content_types: 'name' },
        ...(signal ? { signal } : {}),
      });
      const next = offset + page.entries.length;
      return {
        items: page.entries.filter((e) => e.type !== 'web_link').map(toItem),
        ...(page.entries.length > 0 && next < page.total_count ? { cursor: String(next) } : {}),
      };
    },

    async stat(_root, id, signal) {
      return toItem(await stat(id, signal));
    },

    async download(_root, item, request) {
      const opts = request.signal ? { signal: request.signal } : {};
      // The download takes no precondition: the file's etag now is compared with the one listed.
      const fresh = await stat(item.id, request.signal);
      if (request.version !== undefined && fresh.etag !== request.version) {
        throw new ApiError('storage_item_changed', `${item.path} changed at Box since it was listed.`);
      }
      const redirect = await ctx.call({
        method: 'GET',
        path: `/files/${encodeURIComponent(item.id)}/content`,
        maxResponseBytes: 65_536,
        ...opts,
      });
      const location = redirect.headers.location;
      if (redirect.status === 202) throw vendorFailure(redirect, 'the download (not ready yet)', { throttled: true });
      if (redirect.status !== 302 || typeof location !== 'string') throw vendorFailure(redirect, 'the download');
      const from = request.from ?? 0;
      const answer = await ctx.fetchUrl(location, { headers: rangeFrom(from), ...opts });
      if (answer.status >= 300) throw vendorFailure({ ...answer, body: await bodyOf(answer) }, 'the download');
      return downloadOf(answer, from, fresh.etag);
    },

    async upload(_root, request) {
      const parent = await folderAt(request.folder, request.signal);
      // A name already in the folder takes a new version of that file (uploading beside it answers 409
      // item_name_in_use, and a streamed body cannot be sent twice).
      const existing = await childNamed(parent, request.name, 'file', request.signal);
      const answer = existing
        ? await uploadForm(ctx, `/files/${encodeURIComponent(existing.id)}/content`, { name: request.name }, request)
        : await uploadForm(ctx, '/files/content', { name: request.name, parent: { id: parent } }, request);
      if (answer.status >= 300) throw vendorFailure(answer, 'the upload');
      const file = (JSON.parse(answer.body.toString('utf8')) as { entries: BoxItem[] }).entries[0];
      if (!file) throw new ApiError('storage_vendor_error', 'Box answered the upload without the file.');
      return toItem(file);
    },

    async changes(_root, cursor, signal) {
      const opts = signal ? { signal } : {};
      if (cursor === null) {
        // The feed's start: the stream's position now, then a walk of everything there is.
        const now = await get<EventsPage>('the event stream', {
          path: '/events',
          query: { stream_type: 'changes', stream_position: 'now' },
          ...opts,
        });
        const start = encodeCursor({
          position: String(now.next_stream_position),
          walk: { queue: [{ id: '0', path: '' }] },
        });
        return this.changes(_root, start, signal);
      }
      const state = decodeCursor(cursor, isFeedCursor);
      if (state.walk) return walkStep(state.position, state.walk, signal);
      const page = await get<EventsPage>('the event stream', {
        path: '/events',
        query: { stream_type: 'changes', stream_position: state.position, limit: EVENTS_PAGE },
        ...opts,
      });
      // Events come at least once and an item may change several times: the last event of each item wins.
      const latest = new Map<string, StorageItem>();
      for (const event of page.entries) {
        const source = event.source;
        if (!source || (source.type !== 'file' && source.type !== 'folder') || !event.event_type.startsWith('ITEM_'))
          continue;
        const item = toItem(source);
        const gone =
          event.event_type === 'ITEM_TRASH' || (source.item_status !== undefined && source.item_status !== 'active');
        latest.delete(item.id);
        latest.set(item.id, gone ? { ...item, deleted: true } : item);
      }
      return {
        items: [...latest.values()],
        cursor: encodeCursor({ position: String(page.next_stream_position) }),
        more: page.chunk_size > 0,
      };
    },
  };
};

async function call<T>(ctx: StorageContext, what: string, request: StorageRequest): Promise<T> {
  const answer = await ctx.call(request);
  if (answer.status >= 300) throw vendorFailure(answer, what);
  return json<T>(answer, what);
}

function toItem(item: BoxItem): StorageItem {
  const name = safeName(item.name ?? item.id);
  // path_collection runs from All Files (id 0) down to the item's folder.
  const folders = (item.path_collection?.entries ?? []).filter((e) => e.id !== '0');
  const parent = folders.reduce((at, e) => childPath(at, safeName(e.name)), '');
  const folder = item.type === 'folder';
  return {
    id: item.id,
    path: childPath(parent, name),
    name,
    kind: folder ? 'folder' : 'file',
    ...(item.size !== undefined && !folder ? { size: item.size } : {}),
    ...(item.modified_at ? { modifiedAt: item.modified_at } : {}),
    hashes: item.sha1 ? { sha1: item.sha1 } : {},
    ...(item.etag ? { version: item.etag } : {}),
    ...(item.item_status && item.item_status !== 'active' ? { deleted: true } : {}),
  };
}

/** A multipart upload: the `attributes` part first, then the file's bytes streamed as the `file` part. */
async function uploadForm(
  ctx: StorageContext,
  path: string,
  attributes: unknown,
  request: { name: string; size: number; mediaType: string; body: AsyncIterable<Uint8Array>; signal?: AbortSignal },
) {
  const boundary = `switchyard-${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="attributes"\r\n\r\n${JSON.stringify(attributes)}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${request.name.replace(/["\r\n\\]/g, '_')}"\r\n` +
      `Content-Type: ${request.mediaType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const answer = await ctx.stream(
    {
      method: 'POST',
      base: 'upload',
      path,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + request.size + tail.length),
      },
      ...(request.signal ? { signal: request.signal } : {}),
    },
    {
      data: (async function* () {
        yield head;
        yield* request.body;
        yield tail;
      })(),
    },
  );
  return { status: answer.status, headers: answer.headers, body: await bodyOf(answer, 1024 * 1024) };
}
