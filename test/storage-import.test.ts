import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { bytesOfSize, openFakeStorage, type FakeStorage } from './fakes/storage-open.js';
import { startDriveFake, type DriveFake } from './fakes/storage-gdrive.js';
import { startGraphFake, type GraphFake } from './fakes/storage-graph.js';
import { servedBytes } from './fakes/storage-tree.js';
import { until } from './helpers/syncs.js';
import type { Json } from './helpers/app.js';

/*
 * Imports from cloud storage, end to end in a running app with its storage worker running as in production: a
 * OneDrive / SharePoint connection (the Graph adapter) against test/fakes/storage-graph.ts. Folders expand as the
 * import runs, files are verified with QuickXorHash (SharePoint's rewritten Office files by what was received),
 * throttling waits out the vendor's Retry-After, a cut download resumes with a ranged read, and a re-import skips
 * what it already has.
 */

let fake: GraphFake | undefined;
let conn: FakeStorage | undefined;
afterEach(async () => {
  await conn?.t.built.storageTransfers.stop(1000);
  await conn?.close();
  await fake?.close();
  conn = fake = undefined;
});

async function setup(pageSize = 200) {
  fake = await startGraphFake({ pageSize });
  conn = await openFakeStorage('onedrive', fake.url);
  await conn.t.built.storageTransfers.start();
  return { fake, conn };
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function startImport(c: FakeStorage, root: string, items: string[], folder = '/cloud') {
  const res = await c.t.request({
    method: 'POST',
    url: '/v1/storage/imports',
    body: { connection_id: c.connectionId, root, items, folder },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.data;
}

async function finished(c: FakeStorage, id: string, limitMs = 30_000) {
  const done = await until(
    async () => (await c.t.request({ url: `/v1/storage/imports/${id}` })).data,
    (d) => d.finished_at !== null && d.finished_at !== undefined,
    `import ${id} to end`,
    limitMs,
  );
  const files = (await c.t.request({ url: `/v1/storage/imports/${id}/files?limit=1000` })).data.data as Json[];
  return { transfer: done as Json, files };
}

async function fileContent(c: FakeStorage, id: string): Promise<Buffer> {
  const res = await c.t.app.inject({
    url: `/v1/files/${id}/content`,
    headers: { authorization: `Bearer ${c.t.adminToken}` },
  });
  expect(res.statusCode).toBe(200);
  return res.rawPayload;
}

describe('imports from cloud storage', () => {
  it('imports picked files and folders recursively, verified with the vendor hash, folders following', async () => {
    const { fake, conn } = await setup(3);
    const report = fake.me.tree.put('/Reports/2026/q1.csv', 'region,total\nnorth,10\n', 'text/csv');
    fake.me.tree.put('/Reports/2026/q2.csv', 'region,total\nsouth,12\n', 'text/csv');
    for (let i = 0; i < 5; i++) fake.me.tree.put(`/Reports/archive/old-${i}.bin`, bytesOfSize(1000 + i, i + 1));
    const photo = fake.me.tree.put('/photo.jpg', bytesOfSize(200_000, 7), 'image/jpeg');
    const reports = fake.me.tree.at('/Reports');

    const started = await startImport(conn, fake.me.id, [reports?.id as string, photo.id]);
    expect(started).toMatchObject({ direction: 'import', state: 'pending', folder: '/cloud' });
    const { transfer, files } = await finished(conn, started.id as string);

    expect(transfer).toMatchObject({
      state: 'succeeded',
      counts: { files: 8, stored: 8, failed: 0, folders_pending: 0 },
    });
    expect((transfer.counts as Json).bytes_done).toBe((transfer.counts as Json).bytes_total);
    const byPath = new Map(files.map((f) => [f.path, f]));
    expect(byPath.get('/Reports/2026/q1.csv')).toMatchObject({
      state: 'stored',
      folder: '/cloud/Reports/2026',
      phase: 'new file',
      verification: { by: 'quickxor' },
      attempts: 1,
    });
    expect(byPath.get('/Reports/archive/old-4.bin')).toMatchObject({ folder: '/cloud/Reports/archive' });
    expect(byPath.get('/photo.jpg')).toMatchObject({ folder: '/cloud', size: 200_000, bytes_done: 200_000 });

    // The files store holds the bytes, their SHA-256 and where they came from.
    const q1 = byPath.get('/Reports/2026/q1.csv') as Json;
    const stored = (await conn.t.request({ url: `/v1/files/${q1.file_id as string}` })).data;
    expect(stored).toMatchObject({
      name: 'q1.csv',
      folder: '/cloud/Reports/2026',
      media_type: 'text/csv',
      sha256: sha256(report.data),
      source: { kind: 'import', connection_id: conn.connectionId, path: '/Reports/2026/q1.csv', item_id: report.id },
    });
    expect(await fileContent(conn, q1.file_id as string)).toEqual(report.data);

    // The history lists it; an unknown import is a 404.
    const history = (await conn.t.request({ url: '/v1/storage/imports' })).data.data as Json[];
    expect(history.map((h) => h.id)).toContain(started.id);
    expect((await conn.t.request({ url: '/v1/storage/imports/stimp_nope' })).statusCode).toBe(404);
  });

  it('skips what an earlier import stored at the same version; a changed file becomes a new version', async () => {
    const { fake, conn } = await setup();
    const a = fake.me.tree.put('/a.txt', 'first');
    const b = fake.me.tree.put('/b.txt', 'same');
    const first = await finished(conn, (await startImport(conn, fake.me.id, [a.id, b.id])).id as string);
    expect(first.transfer.state).toBe('succeeded');
    const fileA = first.files.find((f) => f.path === '/a.txt')?.file_id as string;
    const downloads = fake.callsTo(/^GET \/download\//);

    fake.me.tree.put('/a.txt', 'second, longer');
    const again = await finished(conn, (await startImport(conn, fake.me.id, [a.id, b.id])).id as string);
    const byPath = new Map(again.files.map((f) => [f.path, f]));
    expect(byPath.get('/b.txt')).toMatchObject({ state: 'skipped', phase: 'unchanged since the last import' });
    expect(byPath.get('/a.txt')).toMatchObject({ state: 'stored', phase: 'new version', file_id: fileA });
    // Only the changed file was downloaded again.
    expect(fake.callsTo(/^GET \/download\//)).toBe(downloads + 1);
    const versions = (await conn.t.request({ url: `/v1/files/${fileA}/versions` })).data.data as Json[];
    expect(versions).toHaveLength(2);
    expect((await fileContent(conn, fileA)).toString()).toBe('second, longer');
  });

  it('keeps SharePoint’s rewritten Office files as received, saying so, and verifies the rest', async () => {
    const { fake, conn } = await setup();
    const doc = fake.library.tree.put('/Plan.docx', bytesOfSize(5000, 3));
    const text = fake.library.tree.put('/notes.txt', 'plain text is served as listed');
    const { transfer, files } = await finished(
      conn,
      (await startImport(conn, fake.library.id, [doc.id, text.id])).id as string,
    );
    expect(transfer.state).toBe('succeeded');
    const docx = files.find((f) => f.name === 'Plan.docx') as Json;
    expect(docx).toMatchObject({ state: 'stored', size: 5000 });
    expect(docx.verification).toMatchObject({
      by: 'received',
      listed_size: 5000,
      received_size: 5000 + '<sharepoint-metadata/>'.length,
    });
    expect(String((docx.verification as Json).note)).toMatch(/rewrites/);
    expect(files.find((f) => f.name === 'notes.txt')?.verification).toMatchObject({ by: 'quickxor' });
  });

  it('waits out a throttle the vendor answers with Retry-After, then imports', async () => {
    const { fake, conn } = await setup();
    const file = fake.me.tree.put('/big-report.csv', 'a,b\n1,2\n');
    // Created with the worker held, so the throttle meets the worker's first call, not the import's listing.
    await conn.t.built.storageTransfers.stop(1000);
    const started = await startImport(conn, fake.me.id, [file.id]);
    // Longer than the proxy waits inside one call (10 s): the worker parks the file until then.
    fake.throttle(1, 11);
    await conn.t.built.storageTransfers.start();
    const waiting = await until(
      async () =>
        ((await conn.t.request({ url: `/v1/storage/imports/${started.id as string}/files` })).data.data as Json[])[0],
      (f) => f?.state === 'queued' && f.error !== null,
      'the file to wait for the throttle',
    );
    expect(waiting?.error).toMatchObject({ code: 'storage_throttled' });
    const waitMs = Date.parse(String(waiting?.next_attempt_at)) - Date.now();
    expect(waitMs).toBeGreaterThan(5_000);
    const { transfer, files } = await finished(conn, started.id as string, 40_000);
    expect(transfer.state).toBe('succeeded');
    expect(files[0]).toMatchObject({ state: 'stored', verification: { by: 'quickxor' } });
  });

  it('resumes a download cut mid-file with a ranged read, without fetching the finished bytes again', async () => {
    const { fake, conn } = await setup();
    const data = bytesOfSize(3 * 1024 * 1024, 11);
    const file = fake.me.tree.put('/video.mp4', data, 'video/mp4');
    const cutAt = 1_234_567;
    // The first download closes its connection after cutAt bytes (a dropped line).
    fake.inject({
      match: (req) => req.path.startsWith('/download/'),
      reply: { ...servedBytes({ headers: {} } as never, data), cutAt },
    });
    const { transfer, files } = await finished(conn, (await startImport(conn, fake.me.id, [file.id])).id as string);
    expect(transfer.state).toBe('succeeded');
    expect(files[0]).toMatchObject({ state: 'stored', attempts: 2, verification: { by: 'quickxor' } });
    const ranges = fake.requests.filter((r) => r.path.startsWith('/download/')).map((r) => r.headers.range ?? null);
    // The second read starts where the first one's received bytes end (at most the bytes the fake sent).
    expect(ranges).toHaveLength(2);
    expect(ranges[0]).toBeNull();
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(String(ranges[1]))?.[1]);
    expect(resumedAt).toBeGreaterThan(cutAt / 2);
    expect(resumedAt).toBeLessThanOrEqual(cutAt);
    const stored = (await conn.t.request({ url: `/v1/files/${files[0]?.file_id as string}` })).data;
    expect(stored.sha256).toBe(sha256(data));
  });

  it('never stores bytes that fail the vendor hash: the file is fetched again', async () => {
    const { fake, conn } = await setup();
    const data = Buffer.from('the real content of the file');
    const file = fake.me.tree.put('/ledger.csv', data);
    const corrupt = Buffer.from(data);
    corrupt[3] = (corrupt[3] as number) ^ 0xff;
    fake.inject({
      match: (req) => req.path.startsWith('/download/'),
      reply: servedBytes({ headers: {} } as never, corrupt),
    });
    const { transfer, files } = await finished(conn, (await startImport(conn, fake.me.id, [file.id])).id as string);
    expect(transfer.state).toBe('succeeded');
    expect(files[0]).toMatchObject({ state: 'stored', attempts: 2 });
    expect((await conn.t.request({ url: `/v1/files/${files[0]?.file_id as string}` })).data.sha256).toBe(sha256(data));
  });

  it('starts over when the file changed at the vendor after it was listed', async () => {
    const { fake, conn } = await setup();
    const file = fake.me.tree.put('/draft.txt', 'version one');
    await conn.t.built.storageTransfers.stop(1000);
    const started = await startImport(conn, fake.me.id, [file.id]);
    fake.me.tree.put('/draft.txt', 'version two, edited while queued');
    await conn.t.built.storageTransfers.start();
    const { transfer, files } = await finished(conn, started.id as string);
    expect(transfer.state).toBe('succeeded');
    expect(files[0]).toMatchObject({ state: 'stored', size: 'version two, edited while queued'.length });
    expect((await fileContent(conn, files[0]?.file_id as string)).toString()).toBe('version two, edited while queued');
  });

  it('fails a file over the tenant’s quota before downloading it, and names vendor paths safely', async () => {
    const { fake, conn } = await setup();
    const patched = await conn.t.request({
      method: 'PATCH',
      url: `/v1/tenants/${conn.t.tenantId}`,
      body: { files_quota_bytes: 100_000 },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const big = fake.me.tree.put('/huge.iso', bytesOfSize(150_000, 5));
    const sneaky = fake.me.tree.putNamed('/inbox', '../../etc/passwd', 'not a traversal');
    const slashed = fake.me.tree.putNamed('/inbox', 'a/b.txt', 'a slash in a name');
    const inbox = fake.me.tree.at('/inbox');
    const { transfer, files } = await finished(
      conn,
      (await startImport(conn, fake.me.id, [big.id, inbox?.id as string])).id as string,
    );
    expect(transfer.state).toBe('partial');
    const huge = files.find((f) => f.path === '/huge.iso');
    expect(huge).toMatchObject({ state: 'failed', error: { code: 'files_quota_exceeded' }, bytes_done: 0 });
    expect(fake.requests.some((r) => r.path === `/download/${fake.me.id}/${big.id}`)).toBe(false);
    const names = files.filter((f) => f.state === 'stored').map((f) => [f.name, f.folder]);
    expect(names).toEqual(
      expect.arrayContaining([
        ['.._.._etc_passwd', '/cloud/inbox'],
        ['a_b.txt', '/cloud/inbox'],
      ]),
    );
    expect(sneaky.id && slashed.id).toBeTruthy();
  });

  it('cancels an import and runs its failed files again on retry; bad input is refused', async () => {
    const { fake, conn } = await setup();
    const one = fake.me.tree.put('/one.txt', '1');
    const two = fake.me.tree.put('/two.txt', '2');
    await conn.t.built.storageTransfers.stop(1000);
    const started = await startImport(conn, fake.me.id, [one.id, two.id]);
    const cancelled = await conn.t.request({
      method: 'POST',
      url: `/v1/storage/imports/${started.id as string}/cancel`,
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.data).toMatchObject({ state: 'cancelled', counts: { cancelled: 2 } });
    await conn.t.built.storageTransfers.start();
    const retried = await conn.t.request({ method: 'POST', url: `/v1/storage/imports/${started.id as string}/retry` });
    expect(retried.statusCode, retried.body).toBe(200);
    const { transfer } = await finished(conn, started.id as string);
    expect(transfer).toMatchObject({ state: 'succeeded', counts: { stored: 2 } });

    const unknownItem = await conn.t.request({
      method: 'POST',
      url: '/v1/storage/imports',
      body: { connection_id: conn.connectionId, root: fake.me.id, items: ['no-such-item'] },
    });
    expect(unknownItem.statusCode).toBe(404);
    const noItems = await conn.t.request({
      method: 'POST',
      url: '/v1/storage/imports',
      body: { connection_id: conn.connectionId, root: fake.me.id, items: [] },
    });
    expect(noItems.statusCode).toBe(400);
    const traversal = await conn.t.request({
      method: 'POST',
      url: '/v1/storage/imports',
      body: { connection_id: conn.connectionId, root: fake.me.id, items: [one.id], folder: '/a/../../b' },
    });
    expect(traversal.data).toMatchObject({ code: 'validation_failed' });
    const viewer = await conn.t.keyWithRole('viewer');
    const refused = await conn.t.request({
      method: 'POST',
      url: '/v1/storage/imports',
      token: viewer.token,
      body: { connection_id: conn.connectionId, root: fake.me.id, items: [one.id] },
    });
    expect(refused.statusCode).toBe(403);
  });
});

describe('imports from Google Drive', () => {
  let drive: DriveFake | undefined;
  let driveConn: FakeStorage | undefined;
  afterEach(async () => {
    await driveConn?.t.built.storageTransfers.stop(1000);
    await driveConn?.close();
    await drive?.close();
    drive = driveConn = undefined;
  });

  it('verifies a file Drive lists with SHA-256, SHA-1 and MD5 by its SHA-256, and stores it under that hash', async () => {
    drive = await startDriveFake();
    driveConn = await openFakeStorage('google_drive', drive.url);
    await driveConn.t.built.storageTransfers.start();
    const data = bytesOfSize(300_000, 5);
    const file = drive.my.put('/Plans/budget.xlsx', data, 'application/octet-stream');

    const started = await startImport(driveConn, 'root', [file.id]);
    const { transfer, files } = await finished(driveConn, started.id as string);
    expect(transfer).toMatchObject({ state: 'succeeded', counts: { stored: 1 } });
    expect(files[0]).toMatchObject({
      state: 'stored',
      folder: '/cloud',
      verification: { by: 'sha256', listed: sha256(data), received: sha256(data) },
    });
    const stored = (await driveConn.t.request({ url: `/v1/files/${files[0]?.file_id as string}` })).data;
    expect(stored).toMatchObject({ name: 'budget.xlsx', sha256: sha256(data), size: data.length });
    expect((await fileContent(driveConn, files[0]?.file_id as string)).equals(data)).toBe(true);
  });
});
