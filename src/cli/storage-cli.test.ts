import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesOfSize, openFakeStorage, type FakeStorage } from '../../test/fakes/storage-open.js';
import { startGraphFake, type GraphFake } from '../../test/fakes/storage-graph.js';
import type { Json } from '../../test/helpers/app.js';
import { cliRunner } from '../../test/helpers/cli.js';

/** `switchyard storage …` against a listening app with its storage worker, a OneDrive connection on the Graph fake. */
let fake: GraphFake;
let conn: FakeStorage;
let url: string;
const runCli = cliRunner(() => ({ url, token: conn.t.adminToken }));

beforeAll(async () => {
  fake = await startGraphFake({ pageSize: 2 });
  conn = await openFakeStorage('onedrive', fake.url);
  await conn.t.built.storageTransfers.start();
  url = await conn.t.app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await conn?.t.built.storageTransfers.stop(1000);
  await conn?.close();
  await fake?.close();
});

async function json(args: string[]): Promise<Json> {
  const res = await runCli([...args, '--json']);
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as Json;
}

describe('switchyard storage', () => {
  it('browses roots and folders, imports with a progress bar and per-file outcomes, and shows the history', async () => {
    const tree = fake.me.tree;
    tree.put('/Finance/2026/jan.csv', 'a,b\n1,2\n');
    tree.put('/Finance/2026/feb.csv', 'a,b\n3,4\n');
    tree.put('/Finance/summary.pdf', bytesOfSize(3 * 2 ** 20, 9), 'application/pdf');
    tree.put('/Finance/readme.txt', 'read me');
    const finance = tree.at('/Finance');

    const connections = await runCli(['storage', 'connections']);
    expect(connections.stdout).toMatch(new RegExp(`${conn.connectionId}\\s+.*OneDrive / SharePoint\\s+quickxor`));
    const roots = await runCli(['storage', 'roots', conn.connectionId]);
    expect(roots.stdout).toMatch(/b!me\s+OneDrive\s+drive/);
    expect(roots.stdout).toMatch(/b!lib\s+.*site/);

    const top = await runCli(['storage', 'browse', conn.connectionId, '--root', fake.me.id]);
    expect(top.code, top.stderr).toBe(0);
    expect(top.stdout).toMatch(/folder\s+Finance\//);
    const inside = await runCli([
      'storage',
      'browse',
      conn.connectionId,
      '--root',
      fake.me.id,
      '--folder',
      finance?.id as string,
    ]);
    // Two a page: the first page only, and a note that there is more.
    expect(inside.stdout.trim().split('\n')).toHaveLength(3);
    expect(inside.stderr).toMatch(/--all/);
    const all = await json([
      'storage',
      'browse',
      conn.connectionId,
      '--root',
      fake.me.id,
      '--folder',
      finance?.id as string,
      '--all',
    ]);
    expect((all as unknown as Json[]).map((i) => i.name).sort()).toEqual(['2026', 'readme.txt', 'summary.pdf']);

    const imported = await runCli([
      'storage',
      'import',
      conn.connectionId,
      finance?.id as string,
      '--root',
      fake.me.id,
      '--to',
      '/from-cloud',
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/Importing \[█+\] 4\/4 files/);
    expect(imported.stdout).toMatch(/stored\s+\/Finance\/2026\/jan\.csv\s+.*quickxor matched\s+new file/);
    expect(imported.stdout).toMatch(/Import stimp_\w+: succeeded\./);
    const id = /Import (stimp_\w+)/.exec(imported.stdout)?.[1] as string;

    const history = await runCli(['storage', 'imports']);
    expect(history.stdout).toMatch(
      new RegExp(`${id}\\s+succeeded\\s+${conn.connectionId}\\s+4 stored, 0 skipped, 0 failed`),
    );
    const shown = await json(['storage', 'show', id]);
    expect(shown).toMatchObject({ state: 'succeeded', counts: { stored: 4 } });
    expect((shown.files as Json[]).map((f) => f.folder).sort()).toEqual([
      '/from-cloud/Finance',
      '/from-cloud/Finance',
      '/from-cloud/Finance/2026',
      '/from-cloud/Finance/2026',
    ]);

    // Unknown connection: a clear error and a failing exit code.
    const unknown = await runCli(['storage', 'roots', 'conn_nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/conn_nope does not exist/);
  });

  it('makes a storage sync that keeps a folder in step', async () => {
    const made = await json([
      'storage',
      'sync',
      conn.connectionId,
      '--name',
      'finance drive',
      '--root',
      fake.me.id,
      '--to',
      '/synced',
      '--cron',
      '0 * * * *',
      '--timezone',
      'Europe/Paris',
    ]);
    expect(made).toMatchObject({
      source: { kind: 'storage', connection_id: conn.connectionId, root: fake.me.id },
      target: { kind: 'files', folder: '/synced' },
      type: 'incremental',
      schedule: { cron: '0 * * * *', timezone: 'Europe/Paris' },
      deletion: { mode: 'none' },
    });
  });
});
