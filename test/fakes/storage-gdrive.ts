/*
 * A Google Drive API v3 fake, as documented:
 * - https://developers.google.com/workspace/drive/api/reference/rest/v3/files/list (q, pageSize, pageToken →
 *   nextPageToken, corpora, driveId, supportsAllDrives, includeItemsFromAllDrives, fields)
 * - https://developers.google.com/workspace/drive/api/guides/search-files (`'<id>' in parents`, `name contains`,
 *   `trashed=false`, strings in single quotes with \' escapes)
 * - …/v3/files/get (alt=media; Range) and …/v3/files/export (10 MB at most: 403 exportSizeLimitExceeded)
 * - …/v3/drives/list; …/v3/changes/getStartPageToken; …/v3/changes/list (nextPageToken between pages,
 *   newStartPageToken on the last; removed / file.trashed)
 * - https://developers.google.com/workspace/drive/api/guides/manage-uploads#resumable (POST/PATCH
 *   /upload/drive/v3/files?uploadType=resumable → Location session URI; PUT the bytes there → the file)
 * - https://developers.google.com/workspace/drive/api/guides/limits (403 userRateLimitExceeded, 429)
 * md5Checksum, sha1Checksum, sha256Checksum are hex; Google-native documents have none and no size.
 */
import { createFakeTree, createThrottle, hashOf, servedBytes, type FakeNode, type FakeTree } from './storage-tree.js';
import { startFakeServer, type FakeReply, type FakeRequest } from './server.js';

const TOKEN = 'Bearer sync-access';
const FOLDER = 'application/vnd.google-apps.folder';
const EXPORT_LIMIT = 10 * 1024 * 1024;

export async function startDriveFake(options: { pageSize?: number } = {}) {
  const my = createFakeTree({ rootId: '0AMyDriveRoot', idPrefix: '1mine' });
  const shared = createFakeTree({ rootId: '0ASharedDrive', idPrefix: '1team' });
  const trees = [my, shared];
  const throttle = createThrottle();
  const sessions = new Map<string, { parent?: string; name?: string; replace?: string; mediaType: string }>();
  let base = '';

  const error = (status: number, reason: string, message: string): FakeReply => ({
    status,
    json: { error: { code: status, message, errors: [{ domain: 'global', reason, message }] } },
  });
  const find = (id: string): [FakeTree, FakeNode] | undefined => {
    const key = id === 'root' ? my.root.id : id;
    for (const tree of trees) {
      const node = tree.any(key);
      if (node) return [tree, node];
    }
    return undefined;
  };

  function fileJson(tree: FakeTree, node: FakeNode) {
    const native = node.mediaType.startsWith('application/vnd.google-apps.');
    return {
      id: node.id,
      name: node.parent === null ? (tree === my ? 'My Drive' : 'Team') : node.name,
      mimeType: node.folder ? FOLDER : node.mediaType,
      modifiedTime: node.modifiedAt.replace('Z', '.000Z'),
      version: String(node.version + node.seq),
      trashed: node.deleted,
      ...(node.parent ? { parents: [node.parent] } : {}),
      ...(!node.folder && !native
        ? {
            size: String(node.data.length),
            md5Checksum: hashOf('md5', node.data),
            sha1Checksum: hashOf('sha1', node.data),
            sha256Checksum: hashOf('sha256', node.data),
          }
        : {}),
    };
  }

  /** The subset of the query language the adapter speaks: parents, name contains / =, mimeType =, trashed. */
  function matches(q: string, node: FakeNode): boolean {
    return q.split(' and ').every((clause) => {
      const text = (s: string) => s.slice(1, -1).replace(/\\'/g, "'").replace(/\\\\/g, '\\');
      let m: RegExpExecArray | null;
      if ((m = /^('(?:[^'\\]|\\.)*') in parents$/.exec(clause))) {
        const id = text(m[1] as string);
        return node.parent === (id === 'root' ? my.root.id : id);
      }
      if ((m = /^name contains ('(?:[^'\\]|\\.)*')$/.exec(clause))) {
        return node.name.toLowerCase().includes(text(m[1] as string).toLowerCase());
      }
      if ((m = /^name = ('(?:[^'\\]|\\.)*')$/.exec(clause))) return node.name === text(m[1] as string);
      if ((m = /^mimeType = ('(?:[^'\\]|\\.)*')$/.exec(clause)))
        return text(m[1] as string) === (node.folder ? FOLDER : node.mediaType);
      if (clause === 'trashed=false') return !node.deleted;
      throw new Error(`the fake does not understand q clause ${clause}`);
    });
  }

  function list(req: FakeRequest): FakeReply {
    const driveId = req.query.get('driveId');
    if (req.query.get('corpora') === 'drive' && req.query.get('includeItemsFromAllDrives') !== 'true') {
      return error(400, 'invalidParameter', 'includeItemsFromAllDrives must be true with corpora=drive.');
    }
    const tree = driveId ? shared : my;
    if (driveId && (driveId !== shared.root.id || req.query.get('supportsAllDrives') !== 'true')) {
      return error(404, 'notFound', `Shared drive not found: ${driveId}`);
    }
    const q = req.query.get('q') ?? '';
    const all = tree
      .all()
      .filter((n) => matches(q, n))
      .map((n) => fileJson(tree, n));
    const size = Math.min(Number(req.query.get('pageSize') ?? 100), options.pageSize ?? 1000);
    const offset = Number(req.query.get('pageToken') ?? 0);
    const more = offset + size < all.length;
    return {
      json: { files: all.slice(offset, offset + size), ...(more ? { nextPageToken: String(offset + size) } : {}) },
    };
  }

  function changes(req: FakeRequest): FakeReply {
    const tree = req.query.get('driveId') ? shared : my;
    const [since, offset] = String(req.query.get('pageToken')).split('.').map(Number) as [number, number];
    const all = tree.changedSince(since).map((n) => ({
      kind: 'drive#change',
      changeType: 'file',
      fileId: n.id,
      removed: false,
      file: fileJson(tree, n),
    }));
    const size = Math.min(Number(req.query.get('pageSize') ?? 100), options.pageSize ?? 1000);
    const more = offset + size < all.length;
    return {
      json: {
        changes: all.slice(offset ?? 0, (offset ?? 0) + size),
        ...(more ? { nextPageToken: `${since}.${offset + size}` } : { newStartPageToken: `${tree.seq()}.0` }),
      },
    };
  }

  function upload(req: FakeRequest, rest: string): FakeReply {
    const uploadId = req.query.get('upload_id');
    if (req.query.get('uploadType') !== 'resumable') return error(400, 'badRequest', 'Only resumable uploads here.');
    if (uploadId === null) {
      const meta = req.body.length ? (JSON.parse(req.body.toString()) as { name?: string; parents?: string[] }) : {};
      const replace = /^\/files\/(.+)$/.exec(rest)?.[1];
      const id = `u${sessions.size + 1}`;
      sessions.set(id, {
        ...(meta.parents?.[0] ? { parent: meta.parents[0] } : {}),
        ...(meta.name ? { name: meta.name } : {}),
        ...(replace ? { replace } : {}),
        mediaType: String(req.headers['x-upload-content-type'] ?? 'application/octet-stream'),
      });
      return {
        status: 200,
        headers: { location: `${base}/upload/drive/v3/files?uploadType=resumable&upload_id=${id}` },
      };
    }
    const session = sessions.get(uploadId);
    if (!session || req.method !== 'PUT') return error(404, 'notFound', 'No such upload session.');
    sessions.delete(uploadId);
    const target = session.replace ? find(session.replace) : find(session.parent ?? 'root');
    if (!target) return error(404, 'notFound', 'File not found.');
    const [tree, node] = target;
    const path = session.replace ? tree.pathOf(node.id) : `${tree.pathOf(node.id)}/${session.name}`;
    const written = tree.put(path, req.body, session.mediaType);
    return { json: { kind: 'drive#file', id: written.id, name: written.name, mimeType: written.mediaType } };
  }

  function api(req: FakeRequest, rest: string): FakeReply {
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && rest === '/drives') return { json: { drives: [{ id: shared.root.id, name: 'Team' }] } };
    if (req.method === 'GET' && rest === '/changes/startPageToken') {
      return { json: { startPageToken: `${(req.query.get('driveId') ? shared : my).seq()}.0` } };
    }
    if (req.method === 'GET' && rest === '/changes') return changes(req);
    if (req.method === 'GET' && rest === '/files') return list(req);
    if (req.method === 'POST' && rest === '/files') {
      const meta = JSON.parse(req.body.toString()) as { name: string; mimeType: string; parents: string[] };
      const parent = find(meta.parents[0] as string);
      if (!parent || meta.mimeType !== FOLDER) return error(400, 'badRequest', 'Only folders are created here.');
      const folder = parent[0].folder(`${parent[0].pathOf(parent[1].id)}/${meta.name}`);
      return { json: { id: folder.id } };
    }
    if (req.method === 'GET' && (m = /^\/files\/([^/]+)\/export$/.exec(rest))) {
      const found = find(m[1] as string);
      if (!found || found[1].deleted) return error(404, 'notFound', `File not found: ${m[1]}.`);
      const node = found[1];
      if (!node.mediaType.startsWith('application/vnd.google-apps.')) {
        return error(403, 'fileNotExportable', 'Export only supports Docs Editors files.');
      }
      if (node.data.length > EXPORT_LIMIT)
        return error(403, 'exportSizeLimitExceeded', 'This file is too large to be exported.');
      return { status: 200, headers: { 'content-type': String(req.query.get('mimeType')) }, body: node.data };
    }
    if (req.method === 'GET' && (m = /^\/files\/([^/]+)$/.exec(rest))) {
      const found = find(m[1] as string);
      if (!found || (found[1].deleted && req.query.get('alt') === 'media'))
        return error(404, 'notFound', `File not found: ${m[1]}.`);
      const [tree, node] = found;
      if (req.query.get('alt') !== 'media') return { json: fileJson(tree, node) };
      if (node.mediaType.startsWith('application/vnd.google-apps.')) {
        return error(
          403,
          'fileNotDownloadable',
          'Only files with binary content can be downloaded. Use Export with Docs Editors files.',
        );
      }
      return servedBytes(req, node.data);
    }
    return error(400, 'badRequest', `No route ${req.method} ${rest}`);
  }

  const server = await startFakeServer((req) => {
    if (req.headers.authorization !== TOKEN) return error(401, 'authError', 'Invalid Credentials');
    const throttled = throttle.take();
    if (throttled) return throttled;
    if (req.path.startsWith('/upload/drive/v3')) return upload(req, req.path.slice('/upload/drive/v3'.length));
    if (req.path.startsWith('/drive/v3')) return api(req, req.path.slice('/drive/v3'.length));
    return error(404, 'notFound', req.path);
  });
  base = server.url;

  return {
    ...server,
    my,
    shared,
    /** The next `n` calls answer 403 userRateLimitExceeded (Drive sends no Retry-After with it). */
    throttle(n: number) {
      throttle.set(n, error(403, 'userRateLimitExceeded', 'User rate limit exceeded.'));
    },
    /** The next `n` calls answer 429 with Retry-After. */
    throttle429(n: number, retryAfterSeconds: number) {
      throttle.set(n, {
        ...error(429, 'rateLimitExceeded', 'Rate limit exceeded.'),
        headers: { 'retry-after': String(retryAfterSeconds) },
      });
    },
    callsTo: (pattern: RegExp) => server.requests.filter((r) => pattern.test(`${r.method} ${r.path}`)).length,
  };
}

export type DriveFake = Awaited<ReturnType<typeof startDriveFake>>;
