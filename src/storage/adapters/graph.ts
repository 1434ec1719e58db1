import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ApiError } from '../../core/errors.js';
import { packageRoot } from '../../core/paths.js';
import { normaliseHash } from '../hashes.js';
import {
  childPath,
  json,
  safeName,
  vendorFailure,
  type StorageAdapterFactory,
  type StorageContext,
  type StorageItem,
  type StorageRequest,
  type StorageRoot,
} from '../adapter.js';
import { chunksOf, downloadOf, rangeFrom, readAll, safePath, streamFailure } from './transfer.js';

/**
 * OneDrive (personal and business) and SharePoint document libraries through Microsoft Graph v1.0, addressed as
 * `/drives/{drive-id}/…` whatever the drive. Docs: driveItem list children, search, get content (a 302 to a
 * pre-authenticated `@microsoft.graph.downloadUrl`), delta (nextLink pages, then a deltaLink; `deleted` facet; 410
 * resyncRequired), simple upload (up to 4 MB) and upload sessions (chunks in multiples of 320 KiB, sent to the
 * session's pre-authenticated uploadUrl without the Authorization header).
 */

const PAGE_SIZE = 200;
const SIMPLE_UPLOAD_LIMIT = 4 * 1024 * 1024;
/** Upload session chunks must be multiples of 320 KiB; 16 of them make 5 MiB. */
const CHUNK_BYTES = 320 * 1024 * 16;
const OFFICE_FILE = /\.(docx|xlsx|pptx)$/i;

const version: string = (
  JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }
).version;
/** Microsoft's throttling guidance asks ISVs to decorate their traffic: `ISV|CompanyName|AppName/Version`. */
const USER_AGENT = `ISV|Switchyard|Switchyard/${version}`;

type DriveItem = {
  id: string;
  name?: string;
  size?: number;
  eTag?: string;
  cTag?: string;
  lastModifiedDateTime?: string;
  file?: { mimeType?: string; hashes?: { quickXorHash?: string; sha1Hash?: string; sha256Hash?: string } };
  folder?: unknown;
  root?: unknown;
  deleted?: unknown;
  parentReference?: { id?: string; path?: string };
  '@microsoft.graph.downloadUrl'?: string;
};
type Drive = { id: string; name?: string; driveType?: string; description?: string };
type Page<T> = { value: T[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };

const enc = encodeURIComponent;

export const graphAdapter: StorageAdapterFactory = (ctx) => {
  const driveTypes = new Map<string, Promise<string | undefined>>();
  /** Folder paths by `drive/id`, learnt from listings and looked up for delta items (which carry no path). */
  const folderPaths = new Map<string, string>();

  const get = <T>(what: string, request: Omit<StorageRequest, 'method'>) =>
    call<T>(ctx, what, { method: 'GET', ...request });

  const driveType = (root: string) => {
    let known = driveTypes.get(root);
    if (!known) {
      known = get<Drive>('the drive', { path: `/drives/${enc(root)}`, query: { $select: 'id,driveType' } }).then(
        (d) => d.driveType,
      );
      driveTypes.set(root, known);
    }
    return known;
  };

  /** The path of a folder below the drive's root, from its parentReference.path or by looking it up by id. */
  async function folderPath(root: string, id: string, signal?: AbortSignal): Promise<string> {
    const known = folderPaths.get(`${root}/${id}`);
    if (known !== undefined) return known;
    const folder = await get<DriveItem>('a folder', {
      path: `/drives/${enc(root)}/items/${enc(id)}`,
      query: { $select: 'id,name,root,parentReference' },
      ...(signal ? { signal } : {}),
    });
    const found = folder.root ? '' : childPath(await parentPath(root, folder, signal), safeName(folder.name ?? id));
    folderPaths.set(`${root}/${id}`, found);
    return found;
  }

  async function parentPath(root: string, item: DriveItem, signal?: AbortSignal): Promise<string> {
    const ref = item.parentReference;
    const at = ref?.path?.indexOf('root:') ?? -1;
    if (ref?.path && at >= 0) return safePath(ref.path.slice(at + 'root:'.length), decode);
    if (!ref?.id) return '';
    return folderPath(root, ref.id, signal).catch((error: unknown) => {
      // A deleted item's folder may be gone too: its path is then unknown, and the item is keyed by id.
      if (error instanceof ApiError && error.code === 'not_found') return '';
      throw error;
    });
  }

  async function toItem(root: string, item: DriveItem, signal?: AbortSignal): Promise<StorageItem> {
    const name = safeName(item.name ?? item.id);
    const itemPath = item.root ? '' : childPath(await parentPath(root, item, signal), name);
    const folder = Boolean(item.folder ?? item.root);
    if (folder) folderPaths.set(`${root}/${item.id}`, itemPath);
    const hashes = item.file?.hashes;
    const office = !folder && OFFICE_FILE.test(name) && (await driveType(root)) === 'documentLibrary';
    return {
      id: item.id,
      path: itemPath,
      name,
      kind: folder ? 'folder' : 'file',
      ...(item.size !== undefined && !folder ? { size: item.size } : {}),
      ...(item.lastModifiedDateTime ? { modifiedAt: item.lastModifiedDateTime } : {}),
      ...(item.file?.mimeType ? { mediaType: item.file.mimeType } : {}),
      hashes: {
        ...(hashes?.quickXorHash ? { quickxor: normaliseHash('quickxor', hashes.quickXorHash) } : {}),
        ...(hashes?.sha1Hash ? { sha1: normaliseHash('sha1', hashes.sha1Hash) } : {}),
        ...(hashes?.sha256Hash ? { sha256: normaliseHash('sha256', hashes.sha256Hash) } : {}),
      },
      // cTag changes with the content only; eTag with the metadata too.
      ...((item.cTag ?? item.eTag) ? { version: (item.cTag ?? item.eTag) as string } : {}),
      ...(item.deleted ? { deleted: true } : {}),
      ...(office ? { rewrittenOnDownload: true } : {}),
    };
  }

  const items = (root: string, list: DriveItem[], signal?: AbortSignal) =>
    // In order: a delta page lists a folder before what is in it, so its path is known when they come.
    list.reduce<Promise<StorageItem[]>>(
      async (done, item) => [...(await done), await toItem(root, item, signal)],
      Promise.resolve([]),
    );

  return {
    async roots(signal) {
      const opts = signal ? { signal } : {};
      const mine = await get<Drive>('your drive', { path: '/me/drive', ...opts });
      const drives = await get<Page<Drive>>('your drives', { path: '/me/drives', ...opts });
      const roots = new Map<string, StorageRoot>();
      for (const d of [mine, ...drives.value]) roots.set(d.id, rootOf(d, 'drive'));
      // Followed SharePoint sites need Sites.Read.All (or Files.Read.All); OneDrive Personal has none.
      const followed = await ctx.call({ method: 'GET', path: '/me/followedSites', headers: graphHeaders, ...opts });
      if (followed.status < 300) {
        for (const site of json<Page<{ id: string; displayName?: string }>>(followed, 'followed sites').value) {
          const libraries = await get<Page<Drive>>('a site’s libraries', { path: `/sites/${enc(site.id)}/drives` });
          for (const d of libraries.value) {
            roots.set(d.id, { ...rootOf(d, 'site'), name: `${site.displayName ?? site.id} / ${d.name ?? d.id}` });
          }
        }
      } else if (![400, 403, 404].includes(followed.status)) throw vendorFailure(followed, 'followed sites');
      return [...roots.values()];
    },

    async list(root, folder, cursor, signal) {
      const opts = signal ? { signal } : {};
      const page = cursor
        ? await get<Page<DriveItem>>('a folder page', { url: cursor, ...opts })
        : await get<Page<DriveItem>>('a folder', {
            path: `/drives/${enc(root)}/items/${enc(folder || 'root')}/children`,
            query: { $top: PAGE_SIZE },
            ...opts,
          });
      const next = page['@odata.nextLink'];
      return { items: await items(root, page.value, signal), ...(next ? { cursor: next } : {}) };
    },

    async search(root, query, cursor, signal) {
      const opts = signal ? { signal } : {};
      const q = enc(query.replace(/'/g, "''"));
      const page = cursor
        ? await get<Page<DriveItem>>('a search page', { url: cursor, ...opts })
        : await get<Page<DriveItem>>('a search', { path: `/drives/${enc(root)}/root/search(q='${q}')`, ...opts });
      const next = page['@odata.nextLink'];
      return { items: await items(root, page.value, signal), ...(next ? { cursor: next } : {}) };
    },

    async stat(root, id, signal) {
      const item = await get<DriveItem>('the file', {
        path: `/drives/${enc(root)}/items/${enc(id)}`,
        ...(signal ? { signal } : {}),
      });
      return toItem(root, item, signal);
    },

    async download(root, item, request) {
      const opts = request.signal ? { signal: request.signal } : {};
      // Graph documents no If-Match on a download: the item is read fresh (with its pre-authenticated download URL)
      // and its version compared.
      const fresh = await get<DriveItem>('the file', { path: `/drives/${enc(root)}/items/${enc(item.id)}`, ...opts });
      const current = fresh.cTag ?? fresh.eTag;
      if (request.version !== undefined && current !== request.version && fresh.eTag !== request.version) {
        throw new ApiError('storage_item_changed', `${item.path || item.id} changed at OneDrive since it was listed.`);
      }
      const from = request.from ?? 0;
      let url = fresh['@microsoft.graph.downloadUrl'];
      if (!url) {
        const redirect = await ctx.call({
          method: 'GET',
          path: `/drives/${enc(root)}/items/${enc(item.id)}/content`,
          headers: graphHeaders,
          maxResponseBytes: 65_536,
          ...opts,
        });
        const location = redirect.headers.location;
        if (redirect.status !== 302 || typeof location !== 'string') throw vendorFailure(redirect, 'the download');
        url = location;
      }
      const answer = await ctx.fetchUrl(url, { headers: rangeFrom(from), ...opts });
      if (answer.status >= 300) throw await streamFailure(answer, 'the download');
      return downloadOf(answer, from, current);
    },

    async upload(root, request) {
      const target = `/drives/${enc(root)}/root:${childPath(request.folder, request.name)
        .split('/')
        .map(enc)
        .join('/')}:`;
      const opts = request.signal ? { signal: request.signal } : {};
      let uploaded: DriveItem;
      if (request.size <= SIMPLE_UPLOAD_LIMIT) {
        const body = await readAll(request.body, request.size);
        uploaded = await call<DriveItem>(ctx, 'the upload', {
          method: 'PUT',
          path: `${target}/content`,
          headers: { 'content-type': request.mediaType },
          body,
          ...opts,
        });
      } else {
        uploaded = await uploadSession(ctx, target, request.size, request.body, request.signal);
      }
      return toItem(root, uploaded, request.signal);
    },

    async changes(root, cursor, signal) {
      const opts = signal ? { signal } : {};
      const answer = await ctx.call({
        method: 'GET',
        headers: graphHeaders,
        ...(cursor ? { url: cursor } : { path: `/drives/${enc(root)}/root/delta`, query: { $top: PAGE_SIZE } }),
        ...opts,
      });
      // An expired delta token: 410 Gone (resyncRequired); the feed starts over with everything now.
      if (answer.status === 410 && cursor) return this.changes(root, null, signal);
      if (answer.status >= 300) throw vendorFailure(answer, 'the change feed');
      const page = json<Page<DriveItem>>(answer, 'the change feed');
      const next = page['@odata.nextLink'] ?? page['@odata.deltaLink'];
      if (!next)
        throw new ApiError('storage_vendor_error', 'The change feed page has neither a next nor a delta link.');
      const changed = page.value.filter((i) => !i.root);
      return { items: await items(root, changed, signal), cursor: next, more: Boolean(page['@odata.nextLink']) };
    },
  };
};

const graphHeaders = { 'user-agent': USER_AGENT };

async function call<T>(ctx: StorageContext, what: string, request: StorageRequest): Promise<T> {
  const answer = await ctx.call({ ...request, headers: { ...graphHeaders, ...request.headers } });
  if (answer.status >= 300) throw vendorFailure(answer, what);
  return json<T>(answer, what);
}

/** A file above 4 MB: an upload session, its chunks PUT to the session's URL (no credentials go there). */
async function uploadSession(
  ctx: StorageContext,
  target: string,
  size: number,
  body: AsyncIterable<Uint8Array>,
  signal?: AbortSignal,
): Promise<DriveItem> {
  const opts = signal ? { signal } : {};
  const session = await call<{ uploadUrl: string }>(ctx, 'an upload session', {
    method: 'POST',
    path: `${target}/createUploadSession`,
    body: { item: { '@microsoft.graph.conflictBehavior': 'replace' } },
    ...opts,
  });
  let start = 0;
  for await (const chunk of chunksOf(body, CHUNK_BYTES)) {
    const end = start + chunk.length - 1;
    const answer = await ctx.fetchUrl(session.uploadUrl, {
      method: 'PUT',
      headers: { 'content-range': `bytes ${start}-${end}/${size}`, 'content-length': String(chunk.length) },
      body: chunk,
      ...opts,
    });
    const text = await readText(answer.body);
    if (answer.status >= 300) throw vendorFailure({ ...answer, body: Buffer.from(text) }, 'an upload chunk');
    start = end + 1;
    // 202 while more is expected; 200/201 with the item once the last byte is in.
    if (answer.status !== 202) return JSON.parse(text) as DriveItem;
  }
  throw new ApiError('validation_failed', `The upload ended after ${start} of ${size} bytes.`);
}

async function readText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function rootOf(drive: Drive, kind: StorageRoot['kind']): StorageRoot {
  return {
    id: drive.id,
    name: drive.name ?? drive.id,
    kind,
    ...(drive.driveType ? { description: drive.driveType } : {}),
  };
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
