/*
 * A Microsoft Graph (OneDrive / SharePoint) files fake, as documented:
 * - https://learn.microsoft.com/en-us/graph/api/driveitem-list-children (value[], @odata.nextLink, $top)
 * - https://learn.microsoft.com/en-us/graph/api/driveitem-search (search(q='…'))
 * - https://learn.microsoft.com/en-us/graph/api/driveitem-get-content (302 to a pre-authenticated URL, Range)
 * - https://learn.microsoft.com/en-us/graph/api/driveitem-delta (nextLink pages, then @odata.deltaLink; `deleted`
 *   facet; 410 Gone with resyncRequired for an expired token)
 * - https://learn.microsoft.com/en-us/graph/api/driveitem-put-content (simple upload, up to 4 MB)
 * - https://learn.microsoft.com/en-us/graph/api/driveitem-createuploadsession (uploadUrl takes no Authorization;
 *   Content-Range chunks, 202 with nextExpectedRanges, 200/201 with the item at the end)
 * - https://learn.microsoft.com/en-us/graph/api/user-list-followedsites, site-list-drives
 * - https://learn.microsoft.com/graph/throttling (429 with Retry-After, error code activityLimitReached)
 * - SharePoint rewrites Office files on download, so their bytes differ from the listed size and hash
 *   (rclone issues #2036, #2599).
 */
import { createFakeTree, createThrottle, hashOf, servedBytes, type FakeNode, type FakeTree } from './storage-tree.js';
import { startFakeServer, type FakeReply, type FakeRequest } from './server.js';

const TOKEN = 'Bearer sync-access';

type FakeDrive = { id: string; name: string; driveType: string; tree: FakeTree };

export async function startGraphFake(options: { pageSize?: number } = {}) {
  const drives = new Map<string, FakeDrive>();
  const addDrive = (id: string, name: string, driveType: string) => {
    const drive = { id, name, driveType, tree: createFakeTree({ rootId: `${id}-root`, idPrefix: `${id}-item` }) };
    drives.set(id, drive);
    return drive;
  };
  const me = addDrive('b!me', 'OneDrive', 'business');
  const library = addDrive('b!lib', 'Documents', 'documentLibrary');
  const throttle = createThrottle();
  /** Delta tokens below this answer 410 resyncRequired. */
  let oldestToken = 0;
  const sessions = new Map<string, { drive: FakeDrive; path: string; size: number; parts: Buffer[] }>();
  let sessionIds = 0;
  let base = '';

  const error = (status: number, code: string, message: string): FakeReply => ({
    status,
    json: { error: { code, message } },
  });

  function itemJson(drive: FakeDrive, node: FakeNode, delta = false) {
    const isRoot = node.id === drive.tree.root.id;
    const parentPath = node.parent ? drive.tree.pathOf(node.parent) : '';
    return {
      id: node.id,
      name: isRoot ? 'root' : node.name,
      eTag: `"{${node.id}},${node.version + (node.deleted ? 1 : 0)}"`,
      cTag: `"c:{${node.id}},${node.version}"`,
      lastModifiedDateTime: node.modifiedAt,
      ...(isRoot ? { root: {} } : {}),
      ...(node.deleted ? { deleted: { state: 'deleted' } } : {}),
      ...(node.folder ? { folder: { childCount: drive.tree.children(node.id).length } } : {}),
      ...(!node.folder && !node.deleted
        ? {
            size: node.data.length,
            file: { mimeType: node.mediaType, hashes: { quickXorHash: hashOf('quickxor', node.data) } },
            '@microsoft.graph.downloadUrl': `${base}/download/${drive.id}/${node.id}`,
          }
        : {}),
      // Delta items carry no path in parentReference (OneDrive for Business): the client tracks items by id.
      ...(node.parent
        ? {
            parentReference: {
              driveId: drive.id,
              id: node.parent,
              ...(delta ? {} : { path: `/drives/${drive.id}/root:${parentPath === '/' ? '' : encodeURI(parentPath)}` }),
            },
          }
        : {}),
    };
  }

  function page(req: FakeRequest, all: unknown[], link: string, extra: Record<string, unknown> = {}): FakeReply {
    const top = Math.min(Number(req.query.get('$top') ?? 200), options.pageSize ?? 200);
    const skip = Number(req.query.get('$skiptoken') ?? 0);
    const value = all.slice(skip, skip + top);
    const more = skip + top < all.length;
    const next = new URL(`${base}${link}`);
    for (const [k, v] of req.query) next.searchParams.set(k, v);
    next.searchParams.set('$skiptoken', String(skip + top));
    return { json: { value, ...(more ? { '@odata.nextLink': next.toString() } : extra) } };
  }

  function driveApi(req: FakeRequest, drive: FakeDrive, rest: string): FakeReply {
    const tree = drive.tree;
    const node = (id: string) => (id === 'root' ? tree.root : tree.get(id));
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && rest === '')
      return { json: { id: drive.id, name: drive.name, driveType: drive.driveType } };
    if (req.method === 'GET' && (m = /^\/items\/([^/]+)\/children$/.exec(rest))) {
      const folder = node(m[1] as string);
      if (!folder) return error(404, 'itemNotFound', 'The resource could not be found.');
      const kids = tree.children(folder.id).map((n) => itemJson(drive, n));
      return page(req, kids, `/v1.0/drives/${drive.id}${rest}`);
    }
    if (req.method === 'GET' && (m = /^\/items\/([^/]+)\/content$/.exec(rest))) {
      const file = node(m[1] as string);
      if (!file) return error(404, 'itemNotFound', 'The resource could not be found.');
      return { status: 302, headers: { location: `${base}/download/${drive.id}/${file.id}` } };
    }
    if (req.method === 'GET' && (m = /^\/items\/([^/]+)$/.exec(rest))) {
      const item = node(m[1] as string);
      return item ? { json: itemJson(drive, item) } : error(404, 'itemNotFound', 'The resource could not be found.');
    }
    if (req.method === 'GET' && (m = /^\/root\/search\(q='(.*)'\)$/.exec(rest))) {
      const q = (m[1] as string).replace(/''/g, "'").toLowerCase();
      const found = tree
        .all()
        .filter((n) => n.name.toLowerCase().includes(q))
        .map((n) => itemJson(drive, n));
      return page(req, found, `/v1.0/drives/${drive.id}${rest}`);
    }
    if (req.method === 'GET' && rest === '/root/delta') {
      const token = req.query.get('token');
      if (token !== null && Number(token) < oldestToken) {
        return error(410, 'resyncRequired', 'Resync required. Replace any local items with the server’s version.');
      }
      const since = token === null ? -1 : Number(token);
      const changed =
        since < 0
          ? [tree.root, ...tree.all()]
          : [...(since < tree.root.seq ? [tree.root] : []), ...tree.changedSince(since)];
      const items = changed.filter((n) => since >= 0 || !n.deleted).map((n) => itemJson(drive, n, true));
      const deltaLink = `${base}/v1.0/drives/${drive.id}/root/delta?token=${tree.seq()}`;
      return page(req, items, `/v1.0/drives/${drive.id}/root/delta`, { '@odata.deltaLink': deltaLink });
    }
    if ((m = /^\/root:(.+):\/(content|createUploadSession)$/.exec(rest))) {
      const filePath = m[1] as string;
      if (m[2] === 'content' && req.method === 'PUT') {
        if (req.body.length > 4 * 1024 * 1024) return error(413, 'requestTooLarge', 'Use an upload session.');
        const written = tree.put(filePath, req.body, String(req.headers['content-type'] ?? 'application/octet-stream'));
        return { status: 201, json: itemJson(drive, written) };
      }
      if (m[2] === 'createUploadSession' && req.method === 'POST') {
        const id = `s${++sessionIds}`;
        sessions.set(id, { drive, path: filePath, size: -1, parts: [] });
        return { json: { uploadUrl: `${base}/upload-session/${id}`, expirationDateTime: '2026-01-06T10:00:00Z' } };
      }
    }
    return error(400, 'invalidRequest', `No route ${req.method} ${rest}`);
  }

  function sessionChunk(req: FakeRequest, id: string): FakeReply {
    const session = sessions.get(id);
    if (!session) return error(404, 'itemNotFound', 'The upload session does not exist.');
    // The upload URL is pre-authenticated: an Authorization header makes it fail.
    if (req.headers.authorization) return error(401, 'unauthenticated', 'Do not send Authorization to uploadUrl.');
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(req.headers['content-range'] ?? ''));
    if (!range) return error(400, 'invalidRange', 'Content-Range is required.');
    const [start, end, size] = [Number(range[1]), Number(range[2]), Number(range[3])];
    const received = session.parts.reduce((n, p) => n + p.length, 0);
    if (start !== received || end - start + 1 !== req.body.length) {
      return error(416, 'invalidRange', 'The fragment overlaps or leaves a gap.');
    }
    // Fragments other than the last must be multiples of 320 KiB.
    if (end + 1 < size && req.body.length % (320 * 1024) !== 0) {
      return error(400, 'invalidRange', 'Fragments must be multiples of 320 KiB.');
    }
    session.parts.push(req.body);
    if (end + 1 < size) return { status: 202, json: { nextExpectedRanges: [`${end + 1}-`] } };
    sessions.delete(id);
    const node = session.drive.tree.put(session.path, Buffer.concat(session.parts));
    return { status: 201, json: itemJson(session.drive, node) };
  }

  function download(req: FakeRequest, driveId: string, itemId: string): FakeReply {
    const drive = drives.get(driveId);
    const node = drive?.tree.get(itemId);
    if (!drive || !node) return error(404, 'itemNotFound', 'The resource could not be found.');
    // SharePoint adds its metadata to Office files it serves: the bytes differ from the size and hash listed.
    const rewritten =
      drive.driveType === 'documentLibrary' && /\.(docx|xlsx|pptx)$/i.test(node.name)
        ? Buffer.concat([node.data, Buffer.from('<sharepoint-metadata/>')])
        : node.data;
    return servedBytes(req, rewritten);
  }

  const server = await startFakeServer((req) => {
    let m: RegExpExecArray | null;
    if ((m = /^\/download\/([^/]+)\/([^/]+)$/.exec(req.path))) return download(req, m[1] as string, m[2] as string);
    if ((m = /^\/upload-session\/([^/]+)$/.exec(req.path)) && req.method === 'PUT')
      return sessionChunk(req, m[1] as string);
    if (!req.path.startsWith('/v1.0/')) return error(404, 'notFound', req.path);
    if (req.headers.authorization !== TOKEN) return error(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    const throttled = throttle.take();
    if (throttled) return throttled;
    const rest = req.path.slice('/v1.0'.length);
    if (rest === '/me/drive') return { json: { id: me.id, name: me.name, driveType: me.driveType } };
    if (rest === '/me/drives') return { json: { value: [{ id: me.id, name: me.name, driveType: me.driveType }] } };
    if (rest === '/me/followedSites')
      return { json: { value: [{ id: 'contoso.sharepoint.com,s1,w1', displayName: 'Team' }] } };
    if (rest === '/sites/contoso.sharepoint.com,s1,w1/drives') {
      return { json: { value: [{ id: library.id, name: library.name, driveType: library.driveType }] } };
    }
    if ((m = /^\/drives\/([^/]+)(.*)$/.exec(rest))) {
      const drive = drives.get(m[1] as string);
      if (!drive) return error(404, 'itemNotFound', 'The drive does not exist.');
      return driveApi(req, drive, m[2] as string);
    }
    return error(400, 'invalidRequest', `No route ${req.method} ${rest}`);
  });
  base = server.url;

  return {
    ...server,
    me,
    library,
    /** The next `n` API calls answer 429 activityLimitReached with Retry-After. */
    throttle(n: number, retryAfterSeconds: number) {
      throttle.set(n, {
        status: 429,
        headers: { 'retry-after': String(retryAfterSeconds) },
        json: { error: { code: 'activityLimitReached', message: 'The request has been throttled.' } },
      });
    },
    /** Every delta token handed out so far expires (410 resyncRequired). */
    expireDeltaTokens() {
      oldestToken = Math.max(me.tree.seq(), library.tree.seq()) + 1;
    },
    callsTo: (pattern: RegExp) => server.requests.filter((r) => pattern.test(`${r.method} ${r.path}`)).length,
  };
}

export type GraphFake = Awaited<ReturnType<typeof startGraphFake>>;
