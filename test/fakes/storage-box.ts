/*
 * A Box API 2.0 fake, as documented:
 * - https://developer.box.com/reference/get-folders-id-items/ (fields, limit up to 1000, usemarker + marker →
 *   next_marker; https://developer.box.com/guides/api-calls/pagination/marker-based/)
 * - https://developer.box.com/reference/get-search/ (query, offset, limit; total_count)
 * - https://developer.box.com/reference/get-files-id-content/ (302 to a pre-authenticated dl.boxcloud.com URL, Range)
 * - https://developer.box.com/reference/post-files-content/ and post-files-id-content/ (upload.box.com multipart:
 *   `attributes` JSON before `file`; answers {entries: [file]}; 409 item_name_in_use with context_info.conflicts)
 * - https://developer.box.com/reference/post-folders/
 * - https://developer.box.com/guides/events/pagination (stream_position=now → empty list and
 *   next_stream_position; events since a position; stream_type=changes)
 * - https://developer.box.com/guides/api-calls/permissions-and-errors/rate-limits/ (429 rate_limit_exceeded,
 *   Retry-After)
 * Items carry sha1 (hex), etag, path_collection (from All Files, id 0) and item_status.
 */
import { createFakeTree, createThrottle, hashOf, servedBytes, type FakeNode } from './storage-tree.js';
import { startFakeServer, type FakeReply, type FakeRequest } from './server.js';

const TOKEN = 'Bearer sync-access';

export async function startBoxFake(options: { pageSize?: number } = {}) {
  const tree = createFakeTree({ rootId: '0', idPrefix: '1200' });
  const throttle = createThrottle();
  let base = '';

  const error = (status: number, code: string, message: string, extra: Record<string, unknown> = {}): FakeReply => ({
    status,
    json: { type: 'error', status, code, message, ...extra },
  });

  function itemJson(node: FakeNode) {
    const chain: { type: string; id: string; name: string }[] = [];
    for (let p = node.parent; p !== null; p = tree.any(p)?.parent ?? null) {
      const folder = tree.any(p) as FakeNode;
      chain.unshift({ type: 'folder', id: folder.id, name: folder.id === '0' ? 'All Files' : folder.name });
    }
    return {
      type: node.folder ? 'folder' : 'file',
      id: node.id,
      etag: String(node.version - 1),
      name: node.id === '0' ? 'All Files' : node.name,
      modified_at: node.modifiedAt.replace('Z', '-00:00'),
      item_status: node.deleted ? 'trashed' : 'active',
      path_collection: { total_count: chain.length, entries: chain },
      size: node.folder ? tree.children(node.id).reduce((n, c) => n + c.data.length, 0) : node.data.length,
      ...(node.folder ? {} : { sha1: hashOf('sha1', node.data) }),
    };
  }

  function items(req: FakeRequest, folderId: string): FakeReply {
    const folder = tree.get(folderId);
    if (!folder?.folder) return error(404, 'not_found', 'Not Found');
    if (req.query.get('usemarker') !== 'true') return error(400, 'bad_request', 'This fake pages by marker only.');
    const limit = Math.min(Number(req.query.get('limit') ?? 100), 1000, options.pageSize ?? 1000);
    const all = tree.children(folder.id);
    const marker = req.query.get('marker');
    const start = marker ? Number(Buffer.from(marker, 'base64url').toString()) : 0;
    const entries = all.slice(start, start + limit).map(itemJson);
    const more = start + limit < all.length;
    return {
      json: {
        entries,
        limit,
        next_marker: more ? Buffer.from(String(start + limit)).toString('base64url') : null,
      },
    };
  }

  function events(req: FakeRequest): FakeReply {
    if (req.query.get('stream_type') !== 'changes') return error(400, 'bad_request', 'This fake streams changes only.');
    const position = req.query.get('stream_position');
    if (position === 'now') return { json: { chunk_size: 0, next_stream_position: String(tree.seq()), entries: [] } };
    const since = Number(position ?? 0);
    const limit = Math.min(Number(req.query.get('limit') ?? 100), 500);
    const changed = tree
      .changedSince(since)
      .sort((a, b) => a.seq - b.seq)
      .slice(0, limit);
    const entries = changed.map((n) => ({
      type: 'event',
      event_id: `ev-${n.id}-${n.seq}`,
      event_type: n.deleted ? 'ITEM_TRASH' : n.folder ? 'ITEM_CREATE' : 'ITEM_UPLOAD',
      source: itemJson(n),
    }));
    const next = changed.length ? (changed.at(-1) as FakeNode).seq : since;
    return { json: { chunk_size: entries.length, next_stream_position: String(next), entries } };
  }

  /** The parts of a multipart/form-data body, by name, in order. */
  function formParts(req: FakeRequest): Map<string, Buffer> {
    const boundary = /boundary=([^;]+)/.exec(String(req.headers['content-type']))?.[1];
    const parts = new Map<string, Buffer>();
    if (!boundary) return parts;
    const delimiter = Buffer.from(`--${boundary}`);
    let at = req.body.indexOf(delimiter);
    while (at >= 0) {
      const next = req.body.indexOf(delimiter, at + delimiter.length);
      if (next < 0) break;
      const part = req.body.subarray(at + delimiter.length + 2, next - 2);
      const split = part.indexOf('\r\n\r\n');
      const name = /name="([^"]+)"/.exec(part.subarray(0, split).toString())?.[1];
      if (name) parts.set(name, part.subarray(split + 4));
      at = next;
    }
    return parts;
  }

  function upload(req: FakeRequest, rest: string): FakeReply {
    const parts = formParts(req);
    const keys = [...parts.keys()];
    if (keys[0] !== 'attributes' || !parts.has('file')) {
      return error(400, 'bad_request', 'The attributes part must come before the file part.');
    }
    const attributes = JSON.parse((parts.get('attributes') as Buffer).toString()) as {
      name: string;
      parent?: { id: string };
    };
    const data = parts.get('file') as Buffer;
    const version = /^\/files\/([^/]+)\/content$/.exec(rest);
    if (version) {
      const file = tree.get(version[1] as string);
      if (!file || file.folder) return error(404, 'not_found', 'Not Found');
      const written = tree.put(tree.pathOf(file.id), data);
      return { status: 201, json: { total_count: 1, entries: [itemJson(written)] } };
    }
    const parent = tree.get(attributes.parent?.id ?? '');
    if (!parent?.folder) return error(404, 'not_found', 'Not Found');
    const clash = tree.childNamed(parent.id, attributes.name);
    if (clash) {
      return error(409, 'item_name_in_use', 'Item with the same name already exists', {
        context_info: { conflicts: { type: 'file', id: clash.id, name: clash.name } },
      });
    }
    const written = tree.put(`${tree.pathOf(parent.id)}/${attributes.name}`.replace(/^\/\//, '/'), data);
    return { status: 201, json: { total_count: 1, entries: [itemJson(written)] } };
  }

  function api(req: FakeRequest, rest: string): FakeReply {
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && (m = /^\/folders\/([^/]+)\/items$/.exec(rest))) return items(req, m[1] as string);
    if (req.method === 'GET' && (m = /^\/files\/([^/]+)\/content$/.exec(rest))) {
      const file = tree.get(m[1] as string);
      if (!file || file.folder) return error(404, 'not_found', 'Not Found');
      return { status: 302, headers: { location: `${base}/dl/${file.id}/${file.version}` } };
    }
    if (req.method === 'GET' && (m = /^\/(files|folders)\/([^/]+)$/.exec(rest))) {
      const node = tree.get(m[2] as string);
      if (!node || node.folder !== (m[1] === 'folders')) return error(404, 'not_found', 'Not Found');
      return { json: itemJson(node) };
    }
    if (req.method === 'POST' && rest === '/folders') {
      const body = JSON.parse(req.body.toString()) as { name: string; parent: { id: string } };
      const parent = tree.get(body.parent.id);
      if (!parent?.folder) return error(404, 'not_found', 'Not Found');
      if (tree.childNamed(parent.id, body.name))
        return error(409, 'item_name_in_use', 'Item with the same name already exists');
      return { status: 201, json: itemJson(tree.folder(`${tree.pathOf(parent.id)}/${body.name}`)) };
    }
    if (req.method === 'GET' && rest === '/search') {
      const q = String(req.query.get('query')).toLowerCase();
      const all = tree.all().filter((n) => n.name.toLowerCase().includes(q));
      const offset = Number(req.query.get('offset') ?? 0);
      const limit = Math.min(Number(req.query.get('limit') ?? 30), 200);
      return {
        json: { total_count: all.length, offset, limit, entries: all.slice(offset, offset + limit).map(itemJson) },
      };
    }
    if (req.method === 'GET' && rest === '/events') return events(req);
    return error(404, 'not_found', `No route ${req.method} ${rest}`);
  }

  const server = await startFakeServer((req) => {
    let m: RegExpExecArray | null;
    // dl.boxcloud.com: pre-authenticated, no token.
    if ((m = /^\/dl\/([^/]+)\/(\d+)$/.exec(req.path))) {
      const file = tree.get(m[1] as string);
      if (!file || String(file.version) !== m[2]) return { status: 404, body: 'gone' };
      return servedBytes(req, file.data);
    }
    if (req.headers.authorization !== TOKEN) return error(401, 'unauthorized', 'Unauthorized');
    const throttled = throttle.take();
    if (throttled) return throttled;
    if (req.path.startsWith('/api/2.0/') && req.method === 'POST')
      return upload(req, req.path.slice('/api/2.0'.length));
    if (req.path.startsWith('/2.0/')) return api(req, req.path.slice('/2.0'.length));
    return error(404, 'not_found', req.path);
  });
  base = server.url;

  return {
    ...server,
    tree,
    /** The next `n` calls answer 429 rate_limit_exceeded with Retry-After. */
    throttle(n: number, retryAfterSeconds: number) {
      throttle.set(n, {
        ...error(429, 'rate_limit_exceeded', 'Request rate limit exceeded, please try again later'),
        headers: { 'retry-after': String(retryAfterSeconds) },
      });
    },
    callsTo: (pattern: RegExp) => server.requests.filter((r) => pattern.test(`${r.method} ${r.path}`)).length,
  };
}

export type BoxFake = Awaited<ReturnType<typeof startBoxFake>>;
