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
 * Google Drive API v3: My Drive and the shared drives (drives.list). Docs: files.list (`q`, pageToken →
 * nextPageToken, supportsAllDrives + includeItemsFromAllDrives, corpora=drive with driveId), files.get alt=media
 * (Range), files.export for Google-native documents (10 MB at most: 403 exportSizeLimitExceeded), resumable
 * uploads on /upload/drive/v3 (the manifest's `other_base_urls.upload`), changes.getStartPageToken then changes.list
 * (nextPageToken between pages, newStartPageToken at the end; `removed` or `file.trashed` is a deletion). Drive
 * throttles with 429 or 403 userRateLimitExceeded / rateLimitExceeded.
 *
 * Scope: browsing a whole drive needs drive.readonly (restricted: verification and a security assessment for a
 * public app); the manifest's default drive.file only sees the files the app created or the user picked, so with it
 * the listings show just those. The adapter works with either and asks for nothing more.
 */

const PAGE_SIZE = 200;
const FOLDER = 'application/vnd.google-apps.folder';
const NATIVE = 'application/vnd.google-apps.';
const FIELDS = 'id,name,mimeType,size,modifiedTime,md5Checksum,sha1Checksum,sha256Checksum,version,parents,trashed';
const ALL_DRIVES = { supportsAllDrives: true };

type DriveFile = {
  id: string;
  name?: string;
  mimeType?: string;
  size?: string;
  modifiedTime?: string;
  md5Checksum?: string;
  sha1Checksum?: string;
  sha256Checksum?: string;
  version?: string;
  parents?: string[];
  trashed?: boolean;
};
type FileList = { files: DriveFile[]; nextPageToken?: string };
type ChangeList = {
  changes: { fileId: string; removed?: boolean; file?: DriveFile }[];
  nextPageToken?: string;
  newStartPageToken?: string;
};
/** The change feed's own cursor: a walk of the tree (the feed's start), or Drive's page token after it. */
type FeedCursor = { token: string; walk?: { queue: { id: string; path: string }[]; page?: string } };

const isFeedCursor = (v: unknown): v is FeedCursor =>
  typeof v === 'object' && v !== null && typeof (v as FeedCursor).token === 'string';
const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export const googleDriveAdapter: StorageAdapterFactory = (ctx) => {
  const folderPaths = new Map<string, string>();
  let myDriveRoot: Promise<string> | undefined;

  const get = <T>(what: string, request: Omit<StorageRequest, 'method'>) =>
    call<T>(ctx, what, { method: 'GET', ...request });
  /** `root` is My Drive (the alias), anything else a shared drive's id (which is its top folder's id too). */
  const topOf = (root: string) => {
    if (root !== 'root') return Promise.resolve(root);
    myDriveRoot ??= get<DriveFile>('My Drive', { path: '/files/root', query: { fields: 'id' } }).then((f) => f.id);
    return myDriveRoot;
  };
  const corpus = (root: string) =>
    root === 'root'
      ? { corpora: 'user', ...ALL_DRIVES }
      : { corpora: 'drive', driveId: root, includeItemsFromAllDrives: true, ...ALL_DRIVES };

  async function folderPath(root: string, id: string, signal?: AbortSignal): Promise<string> {
    if (id === root || id === (await topOf(root))) return '';
    const known = folderPaths.get(id);
    if (known !== undefined) return known;
    const folder = await get<DriveFile>('a folder', {
      path: `/files/${encodeURIComponent(id)}`,
      query: { fields: 'id,name,parents', ...ALL_DRIVES },
      ...(signal ? { signal } : {}),
    });
    const parent = folder.parents?.[0];
    const found = childPath(parent ? await folderPath(root, parent, signal) : '', safeName(folder.name ?? id));
    folderPaths.set(id, found);
    return found;
  }

  async function toItem(
    root: string,
    file: DriveFile,
    signal?: AbortSignal,
    parentPath?: string,
  ): Promise<StorageItem> {
    const name = safeName(file.name ?? file.id);
    const parent = file.parents?.[0];
    const at = parentPath ?? (parent ? await folderPath(root, parent, signal).catch(() => '') : '');
    const itemPath = childPath(at, name);
    const folder = file.mimeType === FOLDER;
    if (folder) folderPaths.set(file.id, itemPath);
    const exportAs = file.mimeType?.startsWith(NATIVE) ? ctx.section.export_formats[file.mimeType] : undefined;
    return {
      id: file.id,
      path: itemPath,
      name,
      kind: folder ? 'folder' : 'file',
      ...(file.size !== undefined ? { size: Number(file.size) } : {}),
      ...(file.modifiedTime ? { modifiedAt: file.modifiedTime } : {}),
      ...(file.mimeType && !folder ? { mediaType: file.mimeType } : {}),
      hashes: {
        ...(file.sha256Checksum ? { sha256: file.sha256Checksum } : {}),
        ...(file.sha1Checksum ? { sha1: file.sha1Checksum } : {}),
        ...(file.md5Checksum ? { md5: file.md5Checksum } : {}),
      },
      ...(file.version ? { version: file.version } : {}),
      ...(file.trashed ? { deleted: true } : {}),
      ...(exportAs ? { exportAs } : {}),
    };
  }

  const toItems = async (root: string, files: DriveFile[], signal?: AbortSignal, parentPath?: string) => {
    const out: StorageItem[] = [];
    for (const f of files) out.push(await toItem(root, f, signal, parentPath));
    return out;
  };

  const listFolder = (root: string, folder: string, page: string | undefined, signal?: AbortSignal) =>
    get<FileList>('a folder', {
      path: '/files',
      query: {
        q: `${quote(folder)} in parents and trashed=false`,
        pageSize: PAGE_SIZE,
        fields: `nextPageToken,files(${FIELDS})`,
        ...corpus(root),
        ...(page ? { pageToken: page } : {}),
      },
      ...(signal ? { signal } : {}),
    });

  return {
    async roots(signal) {
      const shared = await get<{ drives: { id: string; name: string }[] }>('your shared drives', {
        path: '/drives',
        query: { pageSize: 100 },
        ...(signal ? { signal } : {}),
      });
      return [
        { id: 'root', name: 'My Drive', kind: 'drive' as const },
        ...shared.drives.map((d) => ({ id: d.id, name: d.name, kind: 'shared_drive' as const })),
      ];
    },

    async list(root, folder, cursor, signal) {
      const id = folder || (await topOf(root));
      const page = await listFolder(root, id, cursor, signal);
      const at = await folderPath(root, id, signal);
      return {
        items: await toItems(root, page.files, signal, at),
        ...(page.nextPageToken ? { cursor: page.nextPageToken } : {}),
      };
    },

    async search(root, query, cursor, signal) {
      const page = await get<FileList>('a search', {
        path: '/files',
        query: {
          q: `name contains ${quote(query)} and trashed=false`,
          pageSize: PAGE_SIZE,
          fields: `nextPageToken,files(${FIELDS})`,
          ...corpus(root),
          ...(cursor ? { pageToken: cursor } : {}),
        },
        ...(signal ? { signal } : {}),
      });
      return {
        items: await toItems(root, page.files, signal),
        ...(page.nextPageToken ? { cursor: page.nextPageToken } : {}),
      };
    },

    async stat(root, id, signal) {
      const file = await get<DriveFile>('the file', {
        path: `/files/${encodeURIComponent(id)}`,
        query: { fields: FIELDS, ...ALL_DRIVES },
        ...(signal ? { signal } : {}),
      });
      return toItem(root, file, signal);
    },

    async download(root, item, request) {
      const opts = request.signal ? { signal: request.signal } : {};
      // Drive takes no precondition on a read: the file's version now is compared with the one listed.
      const fresh = await this.stat(root, item.id, request.signal);
      if (request.version !== undefined && fresh.version !== request.version) {
        throw new ApiError('storage_item_changed', `${item.path} changed at Google Drive since it was listed.`);
      }
      const id = encodeURIComponent(item.id);
      if (fresh.exportAs) {
        // An export is made anew each time and is not ranged: it is always read from its first byte.
        const answer = await ctx.stream({
          method: 'GET',
          path: `/files/${id}/export`,
          query: { mimeType: fresh.exportAs },
          ...opts,
        });
        if (answer.status >= 300)
          throw exportFailure(driveFailure({ ...answer, body: await bodyOf(answer) }, 'the export'), item.path);
        return downloadOf(answer, 0, fresh.version);
      }
      if (item.mediaType?.startsWith(NATIVE)) {
        throw new ApiError('storage_vendor_error', `${item.path} is a Google document with no export format.`);
      }
      const from = request.from ?? 0;
      const answer = await ctx.stream({
        method: 'GET',
        path: `/files/${id}`,
        query: { alt: 'media', ...ALL_DRIVES },
        headers: rangeFrom(from),
        ...opts,
      });
      if (answer.status >= 300) throw driveFailure({ ...answer, body: await bodyOf(answer) }, 'the download');
      return downloadOf(answer, from, fresh.version);
    },

    async upload(root, request) {
      const opts = request.signal ? { signal: request.signal } : {};
      const parent = await folderAt(root, request.folder, request.signal);
      const existing = await get<FileList>('the folder', {
        path: '/files',
        query: {
          q: `name = ${quote(request.name)} and ${quote(parent)} in parents and trashed=false`,
          fields: 'files(id)',
          ...corpus(root),
        },
        ...opts,
      });
      const replace = existing.files[0]?.id;
      // A resumable upload: the session is opened with the metadata, then the bytes are PUT to its URI.
      const session = await ctx.call({
        method: replace ? 'PATCH' : 'POST',
        base: 'upload',
        path: replace ? `/files/${encodeURIComponent(replace)}` : '/files',
        query: { uploadType: 'resumable', ...ALL_DRIVES },
        headers: { 'x-upload-content-type': request.mediaType, 'x-upload-content-length': String(request.size) },
        body: replace ? {} : { name: request.name, parents: [parent] },
        ...opts,
      });
      const location = session.headers.location;
      if (session.status >= 300 || typeof location !== 'string') throw vendorFailure(session, 'the upload session');
      const answer = await ctx.stream(
        { method: 'PUT', base: 'upload', url: location, headers: { 'content-length': String(request.size) }, ...opts },
        { data: request.body },
      );
      if (answer.status >= 300) throw driveFailure({ ...answer, body: await bodyOf(answer) }, 'the upload');
      const chunks: Buffer[] = [];
      for await (const chunk of answer.body) chunks.push(chunk as Buffer);
      const uploaded = JSON.parse(Buffer.concat(chunks).toString('utf8')) as DriveFile;
      return this.stat(root, uploaded.id, request.signal);
    },

    async changes(root, cursor, signal) {
      if (cursor === null) {
        // The feed's start: the page token for what changes from now, then a walk of everything there is.
        const start = await get<{ startPageToken: string }>('the change feed', {
          path: '/changes/startPageToken',
          query: { ...ALL_DRIVES, ...(root === 'root' ? {} : { driveId: root }) },
          ...(signal ? { signal } : {}),
        });
        return this.changes(
          root,
          encodeCursor({ token: start.startPageToken, walk: { queue: [{ id: await topOf(root), path: '' }] } }),
          signal,
        );
      }
      const state = decodeCursor(cursor, isFeedCursor);
      if (state.walk) return walkStep(root, state.token, state.walk, signal);
      const page = await get<ChangeList>('the change feed', {
        path: '/changes',
        query: {
          pageToken: state.token,
          pageSize: PAGE_SIZE,
          includeRemoved: true,
          includeItemsFromAllDrives: true,
          fields: `nextPageToken,newStartPageToken,changes(fileId,removed,file(${FIELDS}))`,
          ...ALL_DRIVES,
          ...(root === 'root' ? {} : { driveId: root }),
        },
        ...(signal ? { signal } : {}),
      });
      const items: StorageItem[] = [];
      for (const change of page.changes) {
        if (change.removed || !change.file) {
          // Removed for good (or no longer visible): Drive answers only its id.
          items.push({ id: change.fileId, path: '', name: '', kind: 'file', hashes: {}, deleted: true });
        } else items.push(await toItem(root, change.file, signal));
      }
      const next = page.nextPageToken ?? page.newStartPageToken;
      if (!next)
        throw new ApiError('storage_vendor_error', 'The change feed page has neither a next nor a new start token.');
      return { items, cursor: encodeCursor({ token: next }), more: Boolean(page.nextPageToken) };
    },
  };

  /** One page of the tree walk that starts the change feed; the folders it finds join the queue. */
  async function walkStep(root: string, token: string, walk: NonNullable<FeedCursor['walk']>, signal?: AbortSignal) {
    const [head, ...rest] = walk.queue;
    if (!head) return { items: [], cursor: encodeCursor({ token }), more: false };
    const page = await listFolder(root, head.id, walk.page, signal);
    const items = await toItems(root, page.files, signal, head.path);
    const found = items.filter((i) => i.kind === 'folder').map((i) => ({ id: i.id, path: i.path }));
    const next: FeedCursor['walk'] = page.nextPageToken
      ? { queue: [head, ...rest, ...found], page: page.nextPageToken }
      : { queue: [...rest, ...found] };
    const done = next.queue.length === 0;
    return { items, cursor: encodeCursor(done ? { token } : { token, walk: next }), more: !done };
  }

  /** The folder id at a path below the root, its missing folders created. */
  async function folderAt(root: string, folder: string, signal?: AbortSignal): Promise<string> {
    let id = await topOf(root);
    for (const name of folder.split('/').filter(Boolean)) {
      const found = await get<FileList>('a folder', {
        path: '/files',
        query: {
          q: `name = ${quote(name)} and ${quote(id)} in parents and mimeType = '${FOLDER}' and trashed=false`,
          fields: 'files(id)',
          ...corpus(root),
        },
        ...(signal ? { signal } : {}),
      });
      id =
        found.files[0]?.id ??
        (
          await call<DriveFile>(ctx, 'a new folder', {
            method: 'POST',
            path: '/files',
            query: { fields: 'id', ...ALL_DRIVES },
            body: { name, mimeType: FOLDER, parents: [id] },
            ...(signal ? { signal } : {}),
          })
        ).id;
    }
    return id;
  }
};

async function call<T>(ctx: StorageContext, what: string, request: StorageRequest): Promise<T> {
  const answer = await ctx.call(request);
  if (answer.status >= 300) throw driveFailure(answer, what);
  return json<T>(answer, what);
}

/** Drive's 403 userRateLimitExceeded / rateLimitExceeded is throttling, as a 429 is. */
function driveFailure(
  answer: { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer },
  what: string,
) {
  const reason = /"reason"\s*:\s*"(\w+)"/.exec(answer.body.toString('utf8'))?.[1];
  const throttled = answer.status === 403 && (reason === 'userRateLimitExceeded' || reason === 'rateLimitExceeded');
  const error = vendorFailure(answer, what, throttled ? { throttled: true } : {});
  if (reason) error.extensions.reason = reason;
  return error;
}

/** 403 exportSizeLimitExceeded: the document is larger than Drive exports (10 MB). */
function exportFailure(error: ApiError, path: string): ApiError {
  if (error.extensions.reason !== 'exportSizeLimitExceeded') return error;
  return new ApiError(
    'storage_export_too_large',
    `${path} is larger than Google Drive exports (10 MB); download it from Drive as a file instead.`,
  );
}
