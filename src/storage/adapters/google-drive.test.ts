import { describe, expect, it } from 'vitest';
import { startDriveFake } from '../../../test/fakes/storage-gdrive.js';
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

// Google Drive: the google_drive adapter in a running app against test/fakes/storage-gdrive.ts.
const setup = useFakeStorage('google_drive', startDriveFake);

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

describe('google_drive storage adapter', () => {
  it('lists My Drive and shared drives, a folder across pages, search and stat, with the three hashes', async () => {
    const { fake, storage } = await setup(2);
    for (const n of [1, 2, 3, 4, 5]) fake.my.put(`/reports/q${n}.csv`, `quarter ${n}\n`, 'text/csv');
    fake.shared.put('/plans/team.txt', 'team');
    expect(await storage.roots()).toEqual([
      { id: 'root', name: 'My Drive', kind: 'drive' },
      { id: '0ASharedDrive', name: 'Team', kind: 'shared_drive' },
    ]);
    const top = await storage.list('root', '');
    expect(top.items.map((i) => [i.path, i.kind])).toEqual([['/reports', 'folder']]);
    const { items, pages } = await listAll(storage, 'root', top.items[0]?.id as string);
    expect(pages).toBe(3);
    expect(items.map((i) => i.path)).toEqual([
      '/reports/q1.csv',
      '/reports/q2.csv',
      '/reports/q3.csv',
      '/reports/q4.csv',
      '/reports/q5.csv',
    ]);
    const q2 = items[1] as StorageItem;
    const bytes = Buffer.from('quarter 2\n');
    expect(q2).toMatchObject({ name: 'q2.csv', kind: 'file', size: 10, mediaType: 'text/csv' });
    expect(q2.hashes).toEqual({
      md5: hashOf('md5', bytes),
      sha1: hashOf('sha1', bytes),
      sha256: hashOf('sha256', bytes),
    });
    expect((await storage.search?.('root', 'q3'))?.items.map((i) => i.path)).toEqual(['/reports/q3.csv']);
    expect(await storage.stat('root', q2.id)).toEqual(q2);
    const team = await listAll(storage, '0ASharedDrive', '');
    expect(team.items.map((i) => i.path)).toEqual(['/plans']);
    expect((await storage.list('0ASharedDrive', team.items[0]?.id as string)).items.map((i) => i.path)).toEqual([
      '/plans/team.txt',
    ]);
  });

  it('downloads whole and from a byte; a stale version is refused', async () => {
    const { fake, storage } = await setup();
    const data = bytesOfSize(70_000);
    fake.my.put('/big.bin', data);
    const [item] = (await storage.list('root', '')).items as [StorageItem];
    const whole = await storage.download('root', item, { version: item.version as string });
    expect(whole).toMatchObject({ start: 0, length: 70_000, version: item.version });
    expect((await bytesOf(whole)).equals(data)).toBe(true);
    const rest = await storage.download('root', item, { from: 1000, version: item.version as string });
    expect(rest.start).toBe(1000);
    expect((await bytesOf(rest)).equals(data.subarray(1000))).toBe(true);
    fake.my.put('/big.bin', 'changed');
    expect(await failureOf(storage.download('root', item, { version: item.version as string }))).toMatchObject({
      code: 'storage_item_changed',
    });
  });

  it('exports Google documents as the manifest says; past 10 MB the export fails as storage_export_too_large', async () => {
    const { fake, storage } = await setup();
    fake.my.put('/Plan', 'exported document bytes', 'application/vnd.google-apps.document');
    fake.my.put('/Huge', bytesOfSize(10 * 1024 * 1024 + 1), 'application/vnd.google-apps.document');
    const [plan, huge] = (await storage.list('root', '')).items as [StorageItem, StorageItem];
    expect(plan).toMatchObject({ name: 'Plan', exportAs: DOCX, hashes: {} });
    expect(plan.size).toBeUndefined();
    const exported = await storage.download('root', plan, { from: 5 });
    expect(exported.start).toBe(0);
    expect((await bytesOf(exported)).toString()).toBe('exported document bytes');
    expect(fake.requests.find((r) => r.path.endsWith('/export'))?.query.get('mimeType')).toBe(DOCX);
    expect(await failureOf(storage.download('root', huge, {}))).toMatchObject({ code: 'storage_export_too_large' });
  });

  it('uploads with a resumable session into a folder it creates, and replaces a file of the same name', async () => {
    const { fake, storage } = await setup();
    const data = bytesOfSize(200_000);
    const first = await storage.upload('root', {
      folder: '/in/deep',
      name: "it's.bin",
      size: data.length,
      mediaType: 'application/octet-stream',
      body: uploadBody(data),
    });
    expect(first).toMatchObject({
      path: "/in/deep/it's.bin",
      size: data.length,
      hashes: { sha256: hashOf('sha256', data) },
    });
    expect(fake.my.at("/in/deep/it's.bin")?.data.equals(data)).toBe(true);
    const again = await storage.upload('root', {
      folder: '/in/deep',
      name: "it's.bin",
      size: 3,
      mediaType: 'application/octet-stream',
      body: uploadBody(Buffer.from('new')),
    });
    expect(again.id).toBe(first.id);
    expect(fake.my.at("/in/deep/it's.bin")?.data.toString()).toBe('new');
    expect(fake.callsTo(/^PATCH \/upload\/drive\/v3\/files\//)).toBe(1);
  });

  it('starts the change feed with a walk of everything, then follows changes.list to additions, changes and trash', async () => {
    const { fake, storage } = await setup(2);
    fake.my.put('/docs/a.txt', 'a');
    fake.my.put('/docs/b.txt', 'b');
    fake.my.put('/c.txt', 'c');
    const first = await drainChanges(storage, 'root', null);
    expect(first.pages).toBeGreaterThan(1);
    expect(first.items.map((i) => i.path).sort()).toEqual(['/c.txt', '/docs', '/docs/a.txt', '/docs/b.txt']);
    fake.my.put('/docs/new.txt', 'new');
    fake.my.put('/docs/a.txt', 'a, changed');
    fake.my.remove('/c.txt');
    const next = await drainChanges(storage, 'root', first.cursor);
    expect(next.items.map((i) => [i.path, i.deleted ?? false]).sort()).toEqual([
      ['/c.txt', true],
      ['/docs/a.txt', false],
      ['/docs/new.txt', false],
    ]);
    const quiet = await drainChanges(storage, 'root', next.cursor);
    expect(quiet.items).toEqual([]);
  });

  it('treats 403 userRateLimitExceeded as throttling; a short 429 is waited out inside the proxy', async () => {
    const { fake, storage } = await setup();
    fake.throttle(1);
    expect(await failureOf(storage.roots())).toMatchObject({
      code: 'storage_throttled',
      extensions: { vendor_status: 403 },
    });
    fake.throttle429(1, 1);
    expect(await storage.roots()).toHaveLength(2);
    expect(fake.callsTo(/^GET \/drive\/v3\/drives$/)).toBe(3);
  });

  it('makes names with path syntax safe', async () => {
    const { fake, storage } = await setup();
    fake.my.putNamed('/', '../escape', 'x');
    fake.my.putNamed('/', 'a/b', 'y');
    const items = (await storage.list('root', '')).items;
    expect(items.map((i) => [i.name, i.path])).toEqual([
      ['.._escape', '/.._escape'],
      ['a_b', '/a_b'],
    ]);
  });
});
