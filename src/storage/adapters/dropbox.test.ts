import { describe, expect, it } from 'vitest';
import { startDropboxFake } from '../../../test/fakes/storage-dropbox.js';
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

// Dropbox: the dropbox adapter in a running app against test/fakes/storage-dropbox.ts (API and content hosts).
const setup = useFakeStorage('dropbox', startDropboxFake);

describe('dropbox storage adapter', () => {
  it('lists one root, a folder across cursor pages, search and stat, with the content hash and rev', async () => {
    const { fake, storage } = await setup(2);
    for (const n of [1, 2, 3, 4, 5]) fake.tree.put(`/Reports/q${n}.csv`, `quarter ${n}\n`);
    expect(await storage.roots()).toEqual([{ id: 'root', name: 'Dropbox', kind: 'root' }]);
    const top = await storage.list('root', '');
    expect(top.items.map((i) => [i.path, i.kind])).toEqual([['/Reports', 'folder']]);
    const { items, pages } = await listAll(storage, 'root', top.items[0]?.id as string);
    expect(pages).toBe(3);
    expect(items.map((i) => i.path)).toEqual([
      '/Reports/q1.csv',
      '/Reports/q2.csv',
      '/Reports/q3.csv',
      '/Reports/q4.csv',
      '/Reports/q5.csv',
    ]);
    const q2 = items[1] as StorageItem;
    expect(q2).toMatchObject({ name: 'q2.csv', kind: 'file', size: 10, version: '000000001' });
    expect(q2.hashes).toEqual({ dropbox: hashOf('dropbox', Buffer.from('quarter 2\n')) });
    expect((await storage.search?.('root', 'Q3'))?.items.map((i) => i.path)).toEqual(['/Reports/q3.csv']);
    expect(await storage.stat('root', q2.id)).toEqual(q2);
    expect(await failureOf(storage.stat('root', 'id:nope'))).toMatchObject({ code: 'not_found' });
    expect(fake.callsTo(/^POST \/2\/files\/list_folder\/continue$/)).toBe(2);
  });

  it('downloads from the content host, whole and from a byte; a stale rev is refused', async () => {
    const { fake, storage } = await setup();
    const data = bytesOfSize(50_000);
    fake.tree.put('/big.bin', data);
    const [item] = (await storage.list('root', '')).items as [StorageItem];
    const whole = await storage.download('root', item, { version: item.version as string });
    expect(whole).toMatchObject({ start: 0, length: 50_000, version: item.version });
    expect((await bytesOf(whole)).equals(data)).toBe(true);
    const rest = await storage.download('root', item, { from: 123 });
    expect(rest.start).toBe(123);
    expect((await bytesOf(rest)).equals(data.subarray(123))).toBe(true);
    // Both went to the content route with the argument in Dropbox-API-Arg and the connection's token.
    const downloads = fake.requests.filter((r) => r.path === '/2/files/download');
    expect(downloads.map((r) => [JSON.parse(String(r.headers['dropbox-api-arg'])), r.headers.authorization])).toEqual([
      [{ path: item.id }, 'Bearer sync-access'],
      [{ path: item.id }, 'Bearer sync-access'],
    ]);
    fake.tree.put('/big.bin', 'changed');
    expect(await failureOf(storage.download('root', item, { version: item.version as string }))).toMatchObject({
      code: 'storage_item_changed',
    });
  });

  it('uploads through files/upload with the path in Dropbox-API-Arg (non-ASCII escaped)', async () => {
    const { fake, storage } = await setup();
    const data = bytesOfSize(300_000);
    const item = await storage.upload('root', {
      folder: '/in',
      name: 'Überblick.bin',
      size: data.length,
      mediaType: 'application/octet-stream',
      body: uploadBody(data),
    });
    expect(item).toMatchObject({
      path: '/in/Überblick.bin',
      size: data.length,
      hashes: { dropbox: hashOf('dropbox', data) },
    });
    expect(fake.tree.at('/in/Überblick.bin')?.data.equals(data)).toBe(true);
    const arg = fake.requests.find((r) => r.path === '/2/files/upload')?.headers['dropbox-api-arg'];
    expect(arg).toContain('\\u00dc');
  });

  it('follows the recursive listing cursor: everything first, then additions, changes and deletions; reset starts over', async () => {
    const { fake, storage } = await setup(2);
    fake.tree.put('/docs/a.txt', 'a');
    fake.tree.put('/docs/b.txt', 'b');
    fake.tree.put('/c.txt', 'c');
    const first = await drainChanges(storage, 'root', null);
    expect(first.pages).toBeGreaterThan(1);
    expect(first.items.map((i) => i.path).sort()).toEqual(['/c.txt', '/docs', '/docs/a.txt', '/docs/b.txt']);
    fake.tree.put('/docs/new.txt', 'new');
    fake.tree.put('/docs/a.txt', 'a, changed');
    fake.tree.remove('/c.txt');
    const next = await drainChanges(storage, 'root', first.cursor);
    expect(next.items.map((i) => [i.path, i.deleted ?? false]).sort()).toEqual([
      ['/c.txt', true],
      ['/docs/a.txt', false],
      ['/docs/new.txt', false],
    ]);
    expect(next.items.find((i) => i.deleted)?.id).toBe('/c.txt');
    fake.resetCursors();
    const again = await drainChanges(storage, 'root', next.cursor);
    expect(again.items.map((i) => i.path).sort()).toEqual(['/docs', '/docs/a.txt', '/docs/b.txt', '/docs/new.txt']);
  });

  it('waits out a short too_many_requests inside the proxy; a long one is storage_throttled with the wait', async () => {
    const { fake, storage } = await setup();
    fake.tree.put('/a.txt', 'a');
    fake.throttle(1, 1);
    expect((await storage.list('root', '')).items).toHaveLength(1);
    expect(fake.callsTo(/^POST \/2\/files\/list_folder$/)).toBe(2);
    fake.throttle(5, 90);
    expect(await failureOf(storage.list('root', ''))).toMatchObject({
      code: 'storage_throttled',
      extensions: { vendor_status: 429, retry_after_ms: 90_000 },
    });
  });

  it('makes names with path syntax safe', async () => {
    const { fake, storage } = await setup();
    fake.tree.putNamed('/', '../escape', 'x');
    fake.tree.putNamed('/', '..', 'z');
    const items = (await storage.list('root', '')).items;
    expect(items.map((i) => [i.name, i.path])).toEqual([
      ['.._escape', '/.._escape'],
      ['_', '/_'],
    ]);
  });
});
