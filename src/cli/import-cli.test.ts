import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Json, type TestApp } from '../../test/helpers/app.js';
import { createApiKeyConnection } from '../../test/helpers/catalog.js';
import { cliRunner } from '../../test/helpers/cli.js';

/** `switchyard import` against a listening app whose sync runner runs, as `serve` runs it. */
let t: TestApp;
let url: string;
let dir: string;
let connection: string;
const runCli = cliRunner(() => ({ url, token: t.adminToken }));

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-import-'));
  t = await createTestApp({ config: { sqliteDir: dir } as never });
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  await t.built.workers.syncRunner.start();
  connection = await createApiKeyConnection(t);
});

afterAll(async () => {
  await t?.built.workers.stop(5000);
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function live(model: string): Promise<Json[]> {
  const res = await t.request({ url: `/v1/records?connection_id=${connection}&model=${model}&limit=1000` });
  return (res.data.records as Json[]).filter((r) => (r._switchyard as Json).deleted_at === null);
}

describe('switchyard import', () => {
  it('dry-runs a file: counts, an errors file, nothing written, exit 1', async () => {
    const file = path.join(dir, 'people.csv');
    // The key repeats on line 4: the only record the proposed schema (typed from the sample) cannot take.
    fs.writeFileSync(file, 'id,email,score\n1,a@example.com,3\n2,b@example.com,x\n2,c@example.com,5\n');
    const errors = path.join(dir, 'errors.csv');
    const res = await runCli([
      'import',
      file,
      '--to',
      `record-store:${connection}`,
      '--dry-run',
      '--errors-file',
      errors,
    ]);
    expect(res.stderr).toMatch(/Uploading people\.csv \[█+\] [\d.]+ of [\d.]+ MB/);
    expect(res.stdout).toMatch(/Checked 3 records for people: 2 fit, 1 rejected\./);
    expect(res.code, res.stderr).toBe(1);
    expect(res.stderr).toContain('1 records would be rejected; nothing was written.');
    const lines = fs.readFileSync(errors, 'utf8').trim().split(/\r?\n/);
    expect(lines).toEqual([
      'id,email,score,_stream,_error',
      expect.stringMatching(
        /^2,c@example\.com,5,people,"record 3 \(line 4\), id: .*appears again \(first on line 3\)"$/,
      ),
    ]);
    expect(await live('people')).toEqual([]);
  });

  it('imports a large file in several upload chunks, with progress, and undoes it', async () => {
    const file = path.join(dir, 'orders.csv');
    const rows = ['id,customer,amount'];
    for (let i = 1; i <= 400_000; i++) rows.push(`${i},customer ${i % 977},${(i % 1000) / 10}`);
    fs.writeFileSync(file, `${rows.join('\n')}\n`);
    expect(fs.statSync(file).size).toBeGreaterThan(8 * 2 ** 20);
    const res = await runCli(['import', file, '--to', `record-store:${connection}`, '--model', 'orders', '--json']);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as { execution: Json; file: Json };
    expect(out.execution).toMatchObject({ status: 'success' });
    expect(out.execution.records).toMatchObject({ processed: 400_000, created: 400_000, failed: 0 });
    expect(out.file.size).toBe(fs.statSync(file).size);
    // The upload went in chunks: the bar moved through more than one step.
    expect(res.stderr.match(/Uploading orders\.csv/g)?.length ?? 0).toBeGreaterThan(1);
    const models = await t.request({ url: `/v1/records/models?connection_id=${connection}` });
    expect((models.data.data as Json[]).find((m) => m.model === 'orders')?.records).toBe(400_000);

    const undo = await runCli(['imports', 'undo', out.execution.id as string]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(undo.stdout).toMatch(/400000 records removed, 0 restored/);
  }, 120_000);

  it('imports into a SQLite table (--to sqlite:…) and undoes it; with --no-undo keeps no journal and offers no undo', async () => {
    const sqlite = await t.request({
      method: 'POST',
      url: '/v1/connections',
      body: { connector: 'sqlite', name: 'CLI file', config: { path: 'cli.sqlite' }, validate: false },
    });
    expect(sqlite.statusCode, sqlite.body).toBe(201);
    const file = path.join(dir, 'people.csv');
    fs.writeFileSync(file, 'id,email\n1,a@example.com\n2,b@example.com\n');
    const res = await runCli(['import', file, '--to', `sqlite:${sqlite.data.id as string}`, '--model', 'people']);
    expect(res.code, res.stderr).toBe(0);
    const run = /switchyard imports undo (\S+)/.exec(res.stderr)?.[1];
    expect(run, res.stderr).toBeDefined();
    const undo = await runCli(['imports', 'undo', run as string]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(undo.stdout).toMatch(/2 (records|rows) removed, 0 restored/);

    const bulk = await runCli([
      'import',
      file,
      '--to',
      `sqlite:${sqlite.data.id as string}`,
      '--model',
      'bulk',
      '--no-undo',
      '--json',
    ]);
    expect(bulk.code, bulk.stderr).toBe(0);
    const out = JSON.parse(bulk.stdout) as { execution: Json };
    expect(out.execution).toMatchObject({ status: 'success' });
    const refused = await runCli(['imports', 'undo', out.execution.id as string]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/undoable: false/);
    const wrong = await runCli(['import', file, '--to', `sqlite:${sqlite.data.id as string}/main`]);
    expect(wrong.stderr).toMatch(/--to must be/);
  });

  it('skips bad records under --on-error skip and saves them with their reasons', async () => {
    const file = path.join(dir, 'mixed.json');
    fs.writeFileSync(
      file,
      JSON.stringify([
        { id: 1, name: 'Ada', born: '1815-12-10' },
        { id: 2, name: 'Grace', born: '1906-12-09' },
        { id: 2, name: 'Grace again', born: '1906-12-09' },
      ]),
    );
    const errors = path.join(dir, 'mixed-errors.csv');
    const res = await runCli([
      'import',
      file,
      '--to',
      `record-store:${connection}`,
      '--on-error',
      'skip',
      '--errors-file',
      errors,
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(
      /Import into mixed: partial_success, 3 read, 2 created, 0 updated, 0 deleted, 1 rejected/,
    );
    const lines = fs.readFileSync(errors, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('id,name,born,_stream,_error');
    expect(lines[1]).toMatch(/^2,Grace again,1906-12-09,mixed,"record 3 \(line 1\), id: ""2"" appears again/);
    expect((await live('mixed')).map((r) => r.id).sort()).toEqual(['1', '2']);
  });

  it('says what is wrong with the target or the file', async () => {
    const file = path.join(dir, 'ok.csv');
    fs.writeFileSync(file, 'id\n1\n');
    const bad = await runCli(['import', file, '--to', 'somewhere']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--to must be record-store:<connection>/);
    const missing = await runCli(['import', path.join(dir, 'nope.csv'), '--to', `record-store:${connection}`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/is not a file/);
    const key = await runCli(['import', file, '--to', `record-store:${connection}`, '--key', 'email']);
    expect(key.code).toBe(1);
    expect(key.stderr).toMatch(/--key names "email"/);
  });
});
