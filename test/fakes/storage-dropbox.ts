/*
 * A Dropbox API v2 files fake, as documented:
 * - https://www.dropbox.com/developers/documentation/http/documentation#files-list_folder (path '' is the root,
 *   limit, recursive, include_deleted; {entries, cursor, has_more}; files/list_folder/continue {cursor}; after the
 *   last page the cursor answers what changed since; 409 `reset` when the cursor must be dropped)
 * - …#files-search_v2 and search/continue_v2; …#files-get_metadata
 * - …#formats (content endpoints on content.dropboxapi.com: argument in Dropbox-API-Arg, result in
 *   Dropbox-API-Result; HTTP range requests supported)
 * - …#files-download, …#files-upload (up to 150 MB, mode overwrite)
 * - https://www.dropbox.com/developers/reference/content-hash (content_hash: SHA-256 of the 4 MiB blocks' SHA-256s)
 * - …#error-handling (route errors 409 {error_summary, error}; 429 too_many_requests with Retry-After)
 * Deleted entries are {".tag": "deleted", name, path_lower, path_display} with no id.
 */
import { createFakeTree, createThrottle, hashOf, servedBytes, type FakeNode } from './storage-tree.js';
import { startFakeServer, type FakeReply, type FakeRequest } from './server.js';

const TOKEN = 'Bearer sync-access';

type Cursor = { path: string; recursive: boolean; deleted: boolean; offset: number; since: number; changes: boolean };

export async function startDropboxFake(options: { pageSize?: number } = {}) {
  const tree = createFakeTree({ rootId: 'id:root', idPrefix: 'id:a4ayc_80_OEAAAAAAAA' });
  const throttle = createThrottle();
  let resetBefore = 0;
  let epoch = 0;

  const routeError = (summary: string, error: unknown): FakeReply => ({
    status: 409,
    json: { error_summary: `${summary}/..`, error },
  });

  function metadata(node: FakeNode) {
    const path = tree.pathOf(node.id);
    if (node.deleted) return { '.tag': 'deleted', name: node.name, path_lower: path.toLowerCase(), path_display: path };
    const common = { name: node.name, id: node.id, path_lower: path.toLowerCase(), path_display: path };
    if (node.folder) return { '.tag': 'folder', ...common };
    return {
      '.tag': 'file',
      ...common,
      client_modified: node.modifiedAt,
      server_modified: node.modifiedAt,
      rev: node.version.toString(16).padStart(9, '0'),
      size: node.data.length,
      content_hash: hashOf('dropbox', node.data),
      is_downloadable: true,
    };
  }

  /** A path, `id:…` or '' to its node. */
  const resolve = (path: string) =>
    path === '' ? tree.root : path.startsWith('id:') ? tree.get(path) : tree.at(path.replace(/\/$/, ''));

  const below = (folder: FakeNode, node: FakeNode, recursive: boolean) => {
    if (recursive) return folder.id === tree.root.id || tree.pathOf(node.id).startsWith(`${tree.pathOf(folder.id)}/`);
    return node.parent === folder.id;
  };

  function listing(cursor: Cursor): FakeReply {
    const folder = resolve(cursor.path);
    if (!folder) return routeError('path/not_found', { '.tag': 'path', path: { '.tag': 'not_found' } });
    const nodes = cursor.changes
      ? tree.changedSince(cursor.since).filter((n) => cursor.deleted || !n.deleted)
      : tree.all();
    const entries = nodes.filter((n) => below(folder, n, cursor.recursive)).map(metadata);
    const limit = options.pageSize ?? 2000;
    const pageEntries = entries.slice(cursor.offset, cursor.offset + limit);
    const more = cursor.offset + limit < entries.length;
    const next: Cursor = more
      ? { ...cursor, offset: cursor.offset + limit }
      : { ...cursor, offset: 0, changes: true, since: cursor.changes ? tree.seq() : cursor.since };
    return { json: { entries: pageEntries, cursor: encode(next), has_more: more } };
  }

  const encode = (c: Cursor) => `AAH${Buffer.from(JSON.stringify({ ...c, epoch })).toString('base64url')}`;
  const decode = (text: string) =>
    JSON.parse(Buffer.from(text.slice(3), 'base64url').toString()) as Cursor & { epoch: number };

  function api(req: FakeRequest, route: string): FakeReply {
    const body = req.body.length ? (JSON.parse(req.body.toString()) as Record<string, unknown>) : {};
    switch (route) {
      case '/files/list_folder':
        return listing({
          path: String(body.path ?? ''),
          recursive: body.recursive === true,
          deleted: body.include_deleted === true,
          offset: 0,
          since: tree.seq(),
          changes: false,
        });
      case '/files/list_folder/continue': {
        const cursor = decode(String(body.cursor));
        if (cursor.epoch < resetBefore) return routeError('reset', { '.tag': 'reset' });
        return listing(cursor);
      }
      case '/files/get_latest_cursor':
        return {
          json: {
            cursor: encode({
              path: String(body.path ?? ''),
              recursive: body.recursive === true,
              deleted: body.include_deleted === true,
              offset: 0,
              since: tree.seq(),
              changes: true,
            }),
          },
        };
      case '/files/get_metadata': {
        const node = resolve(String(body.path));
        if (!node) return routeError('path/not_found', { '.tag': 'path', path: { '.tag': 'not_found' } });
        return { json: metadata(node) };
      }
      case '/files/search_v2': {
        const q = String(body.query).toLowerCase();
        const matches = tree
          .all()
          .filter((n) => n.name.toLowerCase().includes(q))
          .map((n) => ({
            match_type: { '.tag': 'filename' },
            metadata: { '.tag': 'metadata', metadata: metadata(n) },
          }));
        return { json: { matches, has_more: false } };
      }
    }
    return { status: 400, body: `Error in call to API function "${route}": Unknown API function` };
  }

  function content(req: FakeRequest, route: string): FakeReply {
    const arg = JSON.parse(String(req.headers['dropbox-api-arg'] ?? '{}')) as Record<string, unknown>;
    if (route === '/files/download') {
      const node = resolve(String(arg.path));
      if (!node || node.folder) return routeError('path/not_found', { '.tag': 'path', path: { '.tag': 'not_found' } });
      return servedBytes(req, node.data, { 'dropbox-api-result': JSON.stringify(metadata(node)) });
    }
    if (route === '/files/upload') {
      if (req.headers['content-type'] !== 'application/octet-stream') {
        return { status: 400, body: 'Bad HTTP "Content-Type" header' };
      }
      if (req.body.length > 150 * 1024 * 1024) return routeError('payload_too_large', { '.tag': 'payload_too_large' });
      const node = tree.put(String(arg.path), req.body);
      return { json: metadata(node) };
    }
    return { status: 400, body: `Unknown API function "${route}"` };
  }

  const server = await startFakeServer((req) => {
    if (!req.path.startsWith('/2/') || req.method !== 'POST') return { status: 404, body: 'Not found' };
    if (req.headers.authorization !== TOKEN) {
      return {
        status: 401,
        json: { error_summary: 'invalid_access_token/', error: { '.tag': 'invalid_access_token' } },
      };
    }
    const throttled = throttle.take();
    if (throttled) return throttled;
    const route = req.path.slice(2);
    // Both hosts land on this one fake: the content routes are told apart by their Dropbox-API-Arg header.
    return req.headers['dropbox-api-arg'] !== undefined ? content(req, route) : api(req, route);
  });

  return {
    ...server,
    tree,
    /** The next `n` calls answer 429 too_many_requests with Retry-After. */
    throttle(n: number, retryAfterSeconds: number) {
      throttle.set(n, {
        status: 429,
        headers: { 'retry-after': String(retryAfterSeconds) },
        json: {
          error_summary: 'too_many_requests/..',
          error: { reason: { '.tag': 'too_many_requests' }, retry_after: retryAfterSeconds },
        },
      });
    },
    /** Every cursor handed out so far must be reset (409 reset on continue). */
    resetCursors() {
      epoch += 1;
      resetBefore = epoch;
    },
    callsTo: (pattern: RegExp) => server.requests.filter((r) => pattern.test(`${r.method} ${r.path}`)).length,
  };
}

export type DropboxFake = Awaited<ReturnType<typeof startDropboxFake>>;
