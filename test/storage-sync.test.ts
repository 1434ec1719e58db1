import { afterEach, describe, expect, it } from 'vitest';
import { openFakeStorage, type FakeStorage } from './fakes/storage-open.js';
import { startGraphFake, type GraphFake } from './fakes/storage-graph.js';
import type { Json } from './helpers/app.js';
import { finishedRun, startRun } from './helpers/syncs.js';

/*
 * Keeping an import current: a sync whose source is a OneDrive folder (the Graph adapter's delta feed) and whose
 * target is the files store, run by the sync runner, its files moved by the storage worker — both running as in
 * production. The first run takes the feed from its start; the next reads only the changes since its checkpoint.
 */

let fake: GraphFake | undefined;
let conn: FakeStorage | undefined;
afterEach(async () => {
  await conn?.t.built.workers.stop(1000);
  await conn?.t.built.storageTransfers.stop(1000);
  await conn?.close();
  await fake?.close();
  conn = fake = undefined;
});

async function files(c: FakeStorage, folder: string): Promise<Json[]> {
  return (await c.t.request({ url: `/v1/files?folder=${encodeURIComponent(folder)}&limit=200` })).data.data as Json[];
}

describe('a storage sync into the files store', () => {
  it('imports a folder, then only what changed since (added, edited, removed at the vendor)', async () => {
    fake = await startGraphFake({ pageSize: 2 });
    conn = await openFakeStorage('onedrive', fake.url);
    await conn.t.built.workers.start();
    const tree = fake.me.tree;
    tree.put('/Shared/plan.txt', 'plan v1');
    tree.put('/Shared/budget/2026.csv', 'a,b\n1,2\n');
    tree.put('/Shared/budget/2025.csv', 'a,b\n0,1\n');
    tree.put('/Elsewhere/not-synced.txt', 'outside the folder');
    const shared = tree.at('/Shared');

    const created = await conn.t.request({
      method: 'POST',
      url: '/v1/syncs',
      body: {
        name: 'team drive',
        type: 'incremental',
        source: { kind: 'storage', connection_id: conn.connectionId, root: fake.me.id, folder: shared?.id },
        target: { kind: 'files', folder: '/synced' },
        deletion: { mode: 'hard' },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const syncId = created.data.id as string;

    const first = await finishedRun(conn.t, await startRun(conn.t, syncId), undefined, 60_000);
    expect(first).toMatchObject({ status: 'success', records: { created: 3, failed: 0 } });
    expect((await files(conn, '/synced')).map((f) => f.name)).toEqual(['plan.txt']);
    expect((await files(conn, '/synced/budget')).map((f) => f.name).sort()).toEqual(['2025.csv', '2026.csv']);
    // The run's import is in the history, named by its run.
    const imports = (await conn.t.request({ url: '/v1/storage/imports' })).data.data as Json[];
    expect(imports[0]).toMatchObject({ execution_id: first.id, state: 'succeeded', counts: { stored: 3 } });

    tree.put('/Shared/plan.txt', 'plan v2, longer');
    tree.put('/Shared/new.txt', 'added');
    tree.remove('/Shared/budget/2025.csv');
    const downloads = fake.callsTo(/^GET \/download\//);
    const second = await finishedRun(conn.t, await startRun(conn.t, syncId), undefined, 60_000);
    expect(second).toMatchObject({ status: 'success', records: { created: 1, updated: 1, deleted: 1 } });
    expect(fake.callsTo(/^GET \/download\//)).toBe(downloads + 2);
    const top = await files(conn, '/synced');
    expect(top.map((f) => f.name).sort()).toEqual(['new.txt', 'plan.txt']);
    expect(top.find((f) => f.name === 'plan.txt')).toMatchObject({ size: 'plan v2, longer'.length });
    expect((await files(conn, '/synced/budget')).map((f) => f.name)).toEqual(['2026.csv']);

    // Nothing changed: nothing read but the feed, nothing downloaded.
    const third = await finishedRun(conn.t, await startRun(conn.t, syncId), undefined, 60_000);
    expect(third).toMatchObject({ status: 'success', records: { processed: 0 } });
    expect(fake.callsTo(/^GET \/download\//)).toBe(downloads + 2);
  });

  it('refuses a storage source without the files target, and a files target without a storage source', async () => {
    fake = await startGraphFake();
    conn = await openFakeStorage('onedrive', fake.url);
    const wrongTarget = await conn.t.request({
      method: 'POST',
      url: '/v1/syncs',
      body: {
        name: 'x',
        source: { kind: 'storage', connection_id: conn.connectionId, root: fake.me.id },
        target: { kind: 'record_store' },
      },
    });
    expect(wrongTarget.statusCode).toBe(400);
    expect(wrongTarget.data).toMatchObject({ code: 'validation_failed' });
    const wrongSource = await conn.t.request({
      method: 'POST',
      url: '/v1/syncs',
      body: {
        name: 'y',
        source: { kind: 'connection', connection_id: conn.connectionId, streams: [{ name: 'drives' }] },
        target: { kind: 'files', folder: '/x' },
      },
    });
    expect(wrongSource.statusCode).toBe(400);
  });
});
