import { ApiError } from '../../core/errors.js';
import {
  childPath,
  header,
  json,
  safeName,
  vendorFailure,
  type StorageAdapterFactory,
  type StorageContext,
  type StorageItem,
} from '../adapter.js';
import { downloadOf, rangeFrom, safePath, streamFailure } from './transfer.js';

/**
 * Dropbox API v2: one root (path '' is the top). Docs: files/list_folder (limit, cursor, has_more) and
 * files/list_folder/continue; the same listing with recursive + include_deleted is the change feed (`.tag: deleted`
 * entries carry no id, only their path; 409 `reset` means start over); files/search_v2; files/get_metadata.
 * Content endpoints (files/download with Range, files/upload up to 150 MB) live on content.dropboxapi.com with their
 * argument as JSON in the Dropbox-API-Arg header and their result in Dropbox-API-Result: the manifest names that host
 * in `other_base_urls.content`, so the calls go through the connection like the rest.
 */

const PAGE_SIZE = 500;
/** files/upload takes up to 150 MB; larger files need an upload session. */
const UPLOAD_LIMIT = 150 * 1024 * 1024;

type Metadata = {
  '.tag': 'file' | 'folder' | 'deleted';
  id?: string;
  name: string;
  path_lower?: string;
  path_display?: string;
  size?: number;
  server_modified?: string;
  rev?: string;
  content_hash?: string;
};
type ListAnswer = { entries: Metadata[]; cursor: string; has_more: boolean };
type SearchAnswer = { matches: { metadata: { metadata: Metadata } }[]; has_more: boolean; cursor?: string };

export const dropboxAdapter: StorageAdapterFactory = (ctx) => {
  const rpc = <T>(route: string, body: unknown, what: string, signal?: AbortSignal) =>
    call<T>(ctx, route, body, what, signal);

  return {
    roots: () => Promise.resolve([{ id: 'root', name: 'Dropbox', kind: 'root' }]),

    async list(_root, folder, cursor, signal) {
      const page = cursor
        ? await rpc<ListAnswer>('/files/list_folder/continue', { cursor }, 'a folder page', signal)
        : await rpc<ListAnswer>('/files/list_folder', { path: folder, limit: PAGE_SIZE }, 'a folder', signal);
      return { items: page.entries.map(toItem), ...(page.has_more ? { cursor: page.cursor } : {}) };
    },

    async search(_root, query, cursor, signal) {
      const page = cursor
        ? await rpc<SearchAnswer>('/files/search/continue_v2', { cursor }, 'a search page', signal)
        : await rpc<SearchAnswer>(
            '/files/search_v2',
            { query, options: { path: '', max_results: 100, file_status: 'active' } },
            'a search',
            signal,
          );
      const items = page.matches.map((m) => toItem(m.metadata.metadata));
      return { items, ...(page.has_more && page.cursor ? { cursor: page.cursor } : {}) };
    },

    async stat(_root, id, signal) {
      return toItem(await rpc<Metadata>('/files/get_metadata', { path: id }, 'the file', signal));
    },

    async download(_root, item, request) {
      const from = request.from ?? 0;
      const answer = await ctx.stream({
        method: 'POST',
        base: 'content',
        path: '/files/download',
        headers: { 'dropbox-api-arg': headerJson({ path: item.id }), ...rangeFrom(from) },
        retryUnsafe: true,
        ...(request.signal ? { signal: request.signal } : {}),
      });
      if (answer.status >= 300) throw notFoundOr(await streamFailure(answer, 'the download'), answer.status);
      const result = JSON.parse(header(answer, 'dropbox-api-result') ?? '{}') as Metadata;
      // files/download takes no precondition: the rev it answers with is compared (a `rev:` path would read that
      // old revision instead of refusing).
      if (request.version !== undefined && result.rev !== request.version) {
        answer.body.destroy();
        throw new ApiError('storage_item_changed', `${item.path} changed at Dropbox since it was listed.`);
      }
      return downloadOf(answer, from, result.rev);
    },

    async upload(_root, request) {
      if (request.size > UPLOAD_LIMIT) {
        throw new ApiError('validation_failed', 'Dropbox takes files of up to 150 MB in one upload.');
      }
      const target = `${request.folder.replace(/\/$/, '')}/${request.name}`;
      const answer = await ctx.stream(
        {
          method: 'POST',
          base: 'content',
          path: '/files/upload',
          headers: {
            'dropbox-api-arg': headerJson({ path: target, mode: 'overwrite', autorename: false, mute: true }),
            'content-type': 'application/octet-stream',
            'content-length': String(request.size),
          },
          ...(request.signal ? { signal: request.signal } : {}),
        },
        { data: request.body },
      );
      if (answer.status >= 300) throw await streamFailure(answer, 'the upload');
      const chunks: Buffer[] = [];
      for await (const chunk of answer.body) chunks.push(chunk as Buffer);
      return toItem(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Metadata);
    },

    async changes(root, cursor, signal) {
      const answer = await ctx.call({
        method: 'POST',
        ...(cursor
          ? { path: '/files/list_folder/continue', body: { cursor } }
          : {
              path: '/files/list_folder',
              body: { path: '', recursive: true, include_deleted: true, limit: PAGE_SIZE },
            }),
        retryUnsafe: true,
        ...(signal ? { signal } : {}),
      });
      // A cursor Dropbox can no longer continue (409 reset): the listing starts over.
      if (answer.status === 409 && cursor && /^reset/.test(errorSummary(answer.body))) {
        return this.changes(root, null, signal);
      }
      if (answer.status >= 300) throw failure(answer, 'the change feed');
      const page = json<ListAnswer>(answer, 'the change feed');
      return { items: page.entries.map(toItem), cursor: page.cursor, more: page.has_more };
    },
  };
};

async function call<T>(ctx: StorageContext, route: string, body: unknown, what: string, signal?: AbortSignal) {
  // Every listing is a POST that only reads: safe to send again.
  const answer = await ctx.call({
    method: 'POST',
    path: route,
    body,
    retryUnsafe: true,
    ...(signal ? { signal } : {}),
  });
  if (answer.status >= 300) throw failure(answer, what);
  return json<T>(answer, what);
}

function toItem(m: Metadata): StorageItem {
  const name = safeName(m.name);
  const deleted = m['.tag'] === 'deleted';
  return {
    // Deleted entries carry no id: Dropbox's sync is path-based, so they are known by their lower-cased path.
    id: m.id ?? (m.path_lower as string),
    path: childPath(safePath(parentOf(m.path_display ?? m.path_lower ?? '', m.name)), name),
    name,
    kind: m['.tag'] === 'folder' ? 'folder' : 'file',
    ...(m.size !== undefined ? { size: m.size } : {}),
    ...(m.server_modified ? { modifiedAt: m.server_modified } : {}),
    hashes: m.content_hash ? { dropbox: m.content_hash } : {},
    ...(m.rev ? { version: m.rev } : {}),
    ...(deleted ? { deleted: true } : {}),
  };
}

/** The folder part of a Dropbox path: the path without the entry's own name at its end. */
function parentOf(path: string, name: string): string {
  if (path.toLowerCase().endsWith(`/${name.toLowerCase()}`)) return path.slice(0, -(name.length + 1));
  return path.slice(0, Math.max(0, path.lastIndexOf('/')));
}

const errorSummary = (body: Buffer) => {
  try {
    return String((JSON.parse(body.toString('utf8')) as { error_summary?: string }).error_summary ?? '');
  } catch {
    return '';
  }
};

/** Dropbox answers route errors with 409 and an error_summary: a missing path is not_found. */
function failure(
  answer: { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer },
  what: string,
) {
  const summary = errorSummary(answer.body);
  if (answer.status === 409 && /not_found/.test(summary))
    return new ApiError('not_found', `Dropbox has no ${what} (${summary}).`);
  return vendorFailure(answer, what, summary.startsWith('too_many_requests') ? { throttled: true } : {});
}

function notFoundOr(error: ApiError, status: number): ApiError {
  return status === 409 && /not_found/.test(error.detail) ? new ApiError('not_found', error.detail) : error;
}

/**
 * The JSON of a Dropbox-API-Arg header: HTTP headers carry ASCII, so every character above 0x7E is escaped as
 * \uXXXX (Dropbox's "JSON encoding" guidance).
 */
function headerJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
