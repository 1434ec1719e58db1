import { describe, expect, it } from 'vitest';
import { startGraphFake } from '../../../test/fakes/storage-graph.js';
import {
  bytesOf,
  bytesOfSize,
  drainChanges,
  failureOf as error,
  listAll,
  useFakeStorage,
  uploadBody,
} from '../../../test/fakes/storage-open.js';
import { hashOf } from '../../../test/fakes/storage-tree.js';
import type { StorageItem } from '../adapter.js';

// OneDrive / SharePoint through Microsoft Graph: the graph adapter in a running app against test/fakes/storage-graph.ts.
const setup = useFakeStorage('onedrive', startGraphFake);

describe('graph storage adapter', () => {
  it('lists the drives and followed sites’ libraries, a folder across pages, search and stat, with quickXorHash', async () => {
    const { fake, storage } = await setup(2);
    for (const n of [1, 2, 3, 4, 5]) fake.me.tree.put(`/reports/q${n}.csv`, `quarter ${n}\n`, 'text/csv');
    const roots = await storage.roots();
    expect(roots).toEqual([
      { id: 'b!me', name: 'OneDrive', kind: 'drive', description: 'business' },
      { id: 'b!lib', name: 'Team / Documents', kind: 'site', description: 'documentLibrary' },
    ]);
    const top = await storage.list('b!me', '');
    expect(top.items.map((i) => [i.path, i.kind])).toEqual([['/reports', 'folder']]);
    const { items, pages } = await listAll(storage, 'b!me', top.items[0]?.id as string);
    expect(pages).toBe(3);
    expect(items.map((i) => i.path)).toEqual([
      '/reports/q1.csv',
      '/reports/q2.csv',
      '/reports/q3.csv',
      '/reports/q4.csv',
      '/reports/q5.csv',
    ]);
    const q2 = items[1] as StorageItem;
    expect(q2).toMatchObject({ name: 'q2.csv', kind: 'file', size: 10, mediaType: 'text/csv' });
    expect(q2.hashes).toEqual({ quickxor: hashOf('quickxor', Buffer.from('quarter 2\n')) });
    expect(q2.version).toMatch(/^"c:/);
    const found = await storage.search?.('b!me', 'q3');
    expect(found?.items.map((i) => i.path)).toEqual(['/reports/q3.csv']);
    expect(await storage.stat('b!me', q2.id)).toEqual(q2);
    // Every call carried Microsoft's decorated User-Agent.
    const agents = new Set(fake.requests.filter((r) => r.path.startsWith('/v1.0')).map((r) => r.headers['user-agent']));
    expect([...agents]).toEqual([expect.stringMatching(/^ISV\|Switchyard\|Switchyard\/\d+\.\d+\.\d+/)]);
  });

  it('downloads whole and from a byte through the pre-authenticated URL; a stale version is refused', async () => {
    const { fake, storage } = await setup();
    const data = bytesOfSize(100_000);
    fake.me.tree.put('/big.bin', data);
    const [item] = (await storage.list('b!me', '')).items as [StorageItem];
    const whole = await storage.download('b!me', item, { version: item.version as string });
    expect(whole).toMatchObject({ start: 0, length: 100_000, version: item.version });
    expect((await bytesOf(whole)).equals(data)).toBe(true);
    const rest = await storage.download('b!me', item, { from: 40_000, version: item.version as string });
    expect(rest.start).toBe(40_000);
    expect((await bytesOf(rest)).equals(data.subarray(40_000))).toBe(true);
    fake.me.tree.put('/big.bin', 'changed');
    expect(await error(storage.download('b!me', item, { version: item.version as string }))).toMatchObject({
      code: 'storage_item_changed',
    });
  });

  it('marks Office files in a SharePoint library as rewritten on download (their bytes differ from the listing)', async () => {
    const { fake, storage } = await setup();
    fake.library.tree.put('/plan.docx', 'docx bytes');
    fake.library.tree.put('/plan.txt', 'text bytes');
    fake.me.tree.put('/mine.docx', 'docx bytes');
    const lib = (await storage.list('b!lib', '')).items;
    expect(lib.map((i) => [i.name, i.rewrittenOnDownload ?? false])).toEqual([
      ['plan.docx', true],
      ['plan.txt', false],
    ]);
    const docx = lib[0] as StorageItem;
    const got = await bytesOf(await storage.download('b!lib', docx, {}));
    expect(got.length).not.toBe(docx.size);
    expect((await storage.list('b!me', '')).items[0]?.rewrittenOnDownload).toBeUndefined();
  });

  it('uploads small files with one PUT and larger ones through an upload session in 320 KiB multiples', async () => {
    const { fake, storage } = await setup();
    const small = await storage.upload('b!me', {
      folder: '/in',
      name: 'a b.txt',
      size: 5,
      mediaType: 'text/plain',
      body: uploadBody(Buffer.from('hello')),
    });
    expect(small).toMatchObject({ path: '/in/a b.txt', size: 5, kind: 'file' });
    expect(fake.me.tree.at('/in/a b.txt')?.data.toString()).toBe('hello');
    const data = bytesOfSize(6 * 1024 * 1024 + 7);
    const large = await storage.upload('b!me', {
      folder: '/in',
      name: 'large.bin',
      size: data.length,
      mediaType: 'application/octet-stream',
      body: uploadBody(data),
    });
    expect(large).toMatchObject({ path: '/in/large.bin', size: data.length });
    expect(large.hashes.quickxor).toBe(hashOf('quickxor', data));
    expect(fake.me.tree.at('/in/large.bin')?.data.equals(data)).toBe(true);
    expect(fake.callsTo(/^PUT \/upload-session\//)).toBe(2);
  });

  it('follows the delta feed: everything first, then additions, changes and deletions; an expired token starts over', async () => {
    const { fake, storage } = await setup(2);
    fake.me.tree.put('/docs/a.txt', 'a');
    fake.me.tree.put('/docs/b.txt', 'b');
    fake.me.tree.put('/c.txt', 'c');
    const first = await drainChanges(storage, 'b!me', null);
    expect(first.pages).toBeGreaterThan(1);
    expect(first.items.map((i) => i.path).sort()).toEqual(['/c.txt', '/docs', '/docs/a.txt', '/docs/b.txt']);
    fake.me.tree.put('/docs/new.txt', 'new');
    fake.me.tree.put('/docs/a.txt', 'a, changed');
    fake.me.tree.remove('/c.txt');
    const next = await drainChanges(storage, 'b!me', first.cursor);
    expect(next.items.map((i) => [i.path, i.deleted ?? false]).sort()).toEqual([
      ['/c.txt', true],
      ['/docs/a.txt', false],
      ['/docs/new.txt', false],
    ]);
    fake.expireDeltaTokens();
    const again = await drainChanges(storage, 'b!me', next.cursor);
    expect(again.items.map((i) => i.path).sort()).toEqual(['/docs', '/docs/a.txt', '/docs/b.txt', '/docs/new.txt']);
  });

  it('waits out a short 429 inside the proxy; a long one is storage_throttled with the wait', async () => {
    const { fake, storage } = await setup();
    fake.throttle(1, 1);
    expect((await storage.roots()).length).toBe(2);
    expect(fake.callsTo(/^GET \/v1.0\/me\/drive$/)).toBe(2);
    fake.throttle(5, 120);
    expect(await error(storage.roots())).toMatchObject({
      code: 'storage_throttled',
      extensions: { vendor_status: 429, retry_after_ms: 120_000 },
    });
  });

  it('makes names with path syntax safe', async () => {
    const { fake, storage } = await setup();
    fake.me.tree.putNamed('/', '../escape', 'x');
    fake.me.tree.putNamed('/', 'a/b', 'y');
    fake.me.tree.putNamed('/', '..', 'z');
    const items = (await storage.list('b!me', '')).items;
    expect(items.map((i) => [i.name, i.path])).toEqual([
      ['.._escape', '/.._escape'],
      ['a_b', '/a_b'],
      ['_', '/_'],
    ]);
  });
});
