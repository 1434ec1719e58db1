import { describe, expect, it } from 'vitest';
import { startBoxFake } from '../../../test/fakes/storage-box.js';
import {
  bytesOf,
  bytesOfSize,
  drainChanges,
  failureOf,
  listAll,
  useFakeStorage,
  uploadBody,
} from '../../../test/fakes/storage-open.js';
import { hashOf } from '../../../test/fakes/storage-tree.js';
import type { StorageItem } from '../adapter.js';

// Box: the box adapter in a running app against test/fakes/storage-box.ts (API, upload and download hosts).
const setup = useFakeStorage('box', startBoxFake);

describe('box storage adapter', () => {
  it('lists All Files, a folder across marker pages, search and stat, with sha1 and etag', async () => {
    const { fake, storage } = await setup(2);
    for (const n of [1, 2, 3, 4, 5]) fake.tree.put(`/reports/q${n}.csv`, `quarter ${n}\n`);
    expect(await storage.roots()).toEqual([{ id: '0', name: 'All Files', kind: 'root' }]);
    const top = await storage.list('0', '');
    expect(top.items.map((i) => [i.path, i.kind])).toEqual([['/reports', 'folder']]);
    const { items, pages } = await listAll(storage, '0', top.items[0]?.id as string);
    expect(pages).toBe(3);
    expect(items.map((i) => i.path)).toEqual([
      '/reports/q1.csv',
      '/reports/q2.csv',
      '/reports/q3.csv',
      '/reports/q4.csv',
      '/reports/q5.csv',
    ]);
    const q2 = items[1] as StorageItem;
    expect(q2).toMatchObject({ name: 'q2.csv', kind: 'file', size: 10, version: '0' });
    expect(q2.hashes).toEqual({ sha1: hashOf('sha1', Buffer.from('quarter 2\n')) });
    expect((await storage.search?.('0', 'q3'))?.items.map((i) => i.path)).toEqual(['/reports/q3.csv']);
    expect(await storage.stat('0', q2.id)).toEqual(q2);
    expect((await storage.stat('0', top.items[0]?.id as string)).kind).toBe('folder');
    // Every call carried the manifest's pinned API version.
    expect(new Set(fake.requests.map((r) => r.headers['box-version']))).toEqual(new Set(['2024.0']));
  });

  it('downloads through the redirect to the pre-authenticated host, whole and from a byte; a stale etag is refused', async () => {
    const { fake, storage } = await setup();
    const data = bytesOfSize(80_000);
    fake.tree.put('/big.bin', data);
    const [item] = (await storage.list('0', '')).items as [StorageItem];
    const whole = await storage.download('0', item, { version: item.version as string });
    expect(whole).toMatchObject({ start: 0, length: 80_000, version: item.version });
    expect((await bytesOf(whole)).equals(data)).toBe(true);
    const rest = await storage.download('0', item, { from: 79_000 });
    expect(rest.start).toBe(79_000);
    expect((await bytesOf(rest)).equals(data.subarray(79_000))).toBe(true);
    const dl = fake.requests.filter((r) => r.path.startsWith('/dl/'));
    expect(dl.map((r) => r.headers.authorization)).toEqual([undefined, undefined]);
    fake.tree.put('/big.bin', 'changed');
    expect(await failureOf(storage.download('0', item, { version: item.version as string }))).toMatchObject({
      code: 'storage_item_changed',
    });
  });

  it('uploads multipart on the upload host into a folder it creates; a taken name gets a new version', async () => {
    const { fake, storage } = await setup();
    const data = bytesOfSize(250_000);
    const first = await storage.upload('0', {
      folder: '/in',
      name: 'report "final".bin',
      size: data.length,
      mediaType: 'application/octet-stream',
      body: uploadBody(data),
    });
    expect(first).toMatchObject({
      path: '/in/report "final".bin',
      size: data.length,
      hashes: { sha1: hashOf('sha1', data) },
    });
    expect(fake.tree.at('/in/report "final".bin')?.data.equals(data)).toBe(true);
    const again = await storage.upload('0', {
      folder: '/in',
      name: 'report "final".bin',
      size: 3,
      mediaType: 'application/octet-stream',
      body: uploadBody(Buffer.from('new')),
    });
    expect(again).toMatchObject({ id: first.id, version: '1', size: 3 });
    expect(fake.callsTo(/^POST \/api\/2.0\/files\/[^/]+\/content$/)).toBe(1);
    expect(fake.callsTo(/^POST \/2.0\/folders$/)).toBe(1);
  });

  it('starts the change feed with a walk of everything, then follows the event stream to additions, changes and trash', async () => {
    const { fake, storage } = await setup(2);
    fake.tree.put('/docs/a.txt', 'a');
    fake.tree.put('/docs/b.txt', 'b');
    fake.tree.put('/c.txt', 'c');
    const first = await drainChanges(storage, '0', null);
    expect(first.pages).toBeGreaterThan(1);
    expect(first.items.map((i) => i.path).sort()).toEqual(['/c.txt', '/docs', '/docs/a.txt', '/docs/b.txt']);
    fake.tree.put('/docs/new.txt', 'new');
    fake.tree.put('/docs/a.txt', 'a, changed');
    fake.tree.remove('/c.txt');
    const next = await drainChanges(storage, '0', first.cursor);
    expect(next.items.map((i) => [i.path, i.deleted ?? false]).sort()).toEqual([
      ['/c.txt', true],
      ['/docs/a.txt', false],
      ['/docs/new.txt', false],
    ]);
    expect((await drainChanges(storage, '0', next.cursor)).items).toEqual([]);
  });

  it('waits out a short 429 inside the proxy; a long one is storage_throttled with the wait', async () => {
    const { fake, storage } = await setup();
    fake.tree.put('/a.txt', 'a');
    fake.throttle(1, 1);
    expect((await storage.list('0', '')).items).toHaveLength(1);
    fake.throttle(5, 45);
    expect(await failureOf(storage.list('0', ''))).toMatchObject({
      code: 'storage_throttled',
      extensions: { vendor_status: 429, retry_after_ms: 45_000 },
    });
  });

  it('makes names with path syntax safe', async () => {
    const { fake, storage } = await setup();
    fake.tree.putNamed('/', '../escape', 'x');
    fake.tree.putNamed('/', '..', 'z');
    const items = (await storage.list('0', '')).items;
    expect(items.map((i) => [i.name, i.path])).toEqual([
      ['.._escape', '/.._escape'],
      ['_', '/_'],
    ]);
  });
});
