import type { HashKind } from '../../src/catalog/manifest/storage.js';
import { createStorageHash } from '../../src/storage/hashes.js';
import type { FakeReply, FakeRequest } from './server.js';

/**
 * The in-memory file tree under the drive fakes (Graph, Drive, Dropbox, Box): folders and files with their bytes,
 * a version that moves on each change, and a change sequence every add, change and removal advances (what the
 * vendors' change feeds answer from). Each fake speaks its vendor's dialect over it.
 */
export type FakeNode = {
  id: string;
  parent: string | null;
  name: string;
  folder: boolean;
  data: Buffer;
  mediaType: string;
  modifiedAt: string;
  /** Moves on every content change (an ETag, rev, version). */
  version: number;
  /** The change sequence number of its last change. */
  seq: number;
  deleted: boolean;
};

export function createFakeTree(options: { rootId: string; idPrefix: string }) {
  const nodes = new Map<string, FakeNode>();
  let seq = 0;
  let nextId = 1;
  let clock = Date.parse('2026-01-05T10:00:00Z');
  const now = () => new Date((clock += 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const root: FakeNode = {
    id: options.rootId,
    parent: null,
    name: '',
    folder: true,
    data: Buffer.alloc(0),
    mediaType: '',
    modifiedAt: now(),
    version: 1,
    seq: 0,
    deleted: false,
  };
  nodes.set(root.id, root);

  const live = (n: FakeNode | undefined) => (n && !n.deleted ? n : undefined);

  function childNamed(parent: string, name: string) {
    for (const n of nodes.values()) if (!n.deleted && n.parent === parent && n.name === name) return n;
    return undefined;
  }

  /** The node at a `/a/b` path, its folders created on the way when `create`. */
  function at(path: string, create = false): FakeNode | undefined {
    let node: FakeNode = root;
    for (const name of path.split('/').filter(Boolean)) {
      let next = childNamed(node.id, name);
      if (!next && create) next = add(node.id, name, undefined);
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  function add(parent: string, name: string, data: Buffer | undefined, mediaType = 'application/octet-stream') {
    const node: FakeNode = {
      id: `${options.idPrefix}${nextId++}`,
      parent,
      name,
      folder: data === undefined,
      data: data ?? Buffer.alloc(0),
      mediaType: data === undefined ? '' : mediaType,
      modifiedAt: now(),
      version: 1,
      seq: ++seq,
      deleted: false,
    };
    nodes.set(node.id, node);
    return node;
  }

  return {
    root,
    nodes,
    get: (id: string) => live(nodes.get(id)),
    /** Including removed ones (a change feed's tombstones). */
    any: (id: string) => nodes.get(id),
    at,
    childNamed,
    children: (id: string) => [...nodes.values()].filter((n) => !n.deleted && n.parent === id),
    /** Every live node below the root, parents before children. */
    all: () => [...nodes.values()].filter((n) => !n.deleted && n.id !== root.id),
    seq: () => seq,
    changedSince: (since: number) => [...nodes.values()].filter((n) => n.seq > since && n.id !== root.id),
    /** Write a file at a path (its folders made): a new file, or new content for the one there. */
    put(path: string, data: Buffer | string, mediaType = 'application/octet-stream'): FakeNode {
      const parts = path.split('/').filter(Boolean);
      const name = parts.pop() as string;
      const folder = at(parts.join('/'), true) as FakeNode;
      const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
      const existing = childNamed(folder.id, name);
      if (!existing) return add(folder.id, name, bytes, mediaType);
      existing.data = bytes;
      existing.version += 1;
      existing.modifiedAt = now();
      existing.seq = ++seq;
      return existing;
    },
    folder: (path: string) => at(path, true) as FakeNode,
    /** A file whose name the path syntax cannot say (`../x`, `a/b`), in the folder at `folderPath`. */
    putNamed(folderPath: string, name: string, data: Buffer | string): FakeNode {
      return add((at(folderPath, true) as FakeNode).id, name, Buffer.isBuffer(data) ? data : Buffer.from(data));
    },
    remove(path: string) {
      const node = at(path);
      if (!node) throw new Error(`no ${path}`);
      node.deleted = true;
      node.seq = ++seq;
      return node;
    },
    pathOf(id: string): string {
      const parts: string[] = [];
      for (let n = nodes.get(id); n && n.parent !== null; n = nodes.get(n.parent)) parts.unshift(n.name);
      return `/${parts.join('/')}`;
    },
  };
}

export type FakeTree = ReturnType<typeof createFakeTree>;

/** A vendor hash over bytes, computed for real. */
export function hashOf(kind: HashKind, data: Buffer): string {
  const hash = createStorageHash(kind);
  hash.update(data);
  return hash.digest();
}

/**
 * A file's bytes answered as HTTP does to an optional `Range: bytes=N-` (or `N-M`): 206 with Content-Range, or 416
 * past the end, or the whole file.
 */
export function servedBytes(req: FakeRequest, data: Buffer, headers: Record<string, string> = {}): FakeReply {
  const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
  if (!range) return { status: 200, headers: { 'content-length': String(data.length), ...headers }, body: data };
  const start = Number(range[1]);
  const end = range[2] ? Math.min(Number(range[2]), data.length - 1) : data.length - 1;
  if (start >= data.length) {
    return { status: 416, headers: { 'content-range': `bytes */${data.length}` }, body: '' };
  }
  return {
    status: 206,
    headers: { 'content-range': `bytes ${start}-${end}/${data.length}`, ...headers },
    body: data.subarray(start, end + 1),
  };
}

/** Throttling on demand: the next `n` API calls answer the vendor's throttle reply. */
export function createThrottle() {
  let left = 0;
  let reply: FakeReply | undefined;
  return {
    set(n: number, answer: FakeReply) {
      left = n;
      reply = answer;
    },
    take(): FakeReply | undefined {
      if (left <= 0 || !reply) return undefined;
      left -= 1;
      return reply;
    },
  };
}
