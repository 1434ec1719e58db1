import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { cliProcess, cliRunner, json, ok, tableRow } from '../../test/helpers/cli.js';
import { testDatabaseUrl } from '../../test/helpers/db.js';
import { finishedRun, startRun } from '../../test/helpers/syncs.js';

/**
 * The `switchyard records` commands against a test server on loopback, whose record store a real sync fills: a full
 * sync of a table of the suite's PostgreSQL server (a schema made for this file) into the model `people`.
 */

const target = () => ({ url, token: t.adminToken });
const runCli = cliRunner(target);
const startCli = cliProcess(target);
const schema = `cli_rec_${randomBytes(5).toString('hex')}`;
const PEOPLE = `${schema}.people`;

let t: TestApp;
let url: string;
let admin: pg.Client;
let connectionId: string;
let syncId: string;

type StoredRecord = { id: string; data: Record<string, unknown>; _switchyard: { action: string; cursor: string } };
type Model = { model: string; records: number; deleted: number; last_modified_at: string; latest_cursor: string };

async function runSync(): Promise<void> {
  const run = await finishedRun(t, await startRun(t, syncId));
  expect(run.status, JSON.stringify(run)).toBe('success');
}

async function latestCursor(): Promise<string> {
  const res = await t.api.GET('/v1/records/models', { params: { query: { connection_id: connectionId } } });
  return res.data?.data.find((m) => m.model === 'people')?.latest_cursor as string;
}

/** The `resume with:` cursor a `records list` printed on stderr. */
const resumeCursor = (stderr: string) => /^resume with: --cursor (\S+)$/m.exec(stderr)?.[1];
const CHANGE = (action: string, id: string) =>
  new RegExp(`^${action} +${id}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ  \\{`);

beforeAll(async () => {
  t = await createTestApp();
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  admin = new pg.Client({ connectionString: testDatabaseUrl() });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.query(`create table ${PEOPLE} (id int primary key, name text not null)`);
  await admin.query(`insert into ${PEOPLE} values (1, 'Ada'), (2, 'Grace'), (3, 'Linus'), (4, 'Barbara'), (5, 'Ken')`);
  const conn = await t.api.POST('/v1/connections', {
    body: { connector: 'postgresql', name: 'Warehouse', credentials: { connection_string: testDatabaseUrl() } },
  });
  expect(conn.error, JSON.stringify(conn.error)).toBeUndefined();
  connectionId = conn.data?.id as string;
  const sync = await t.api.POST('/v1/syncs', {
    body: {
      name: 'People',
      source: { kind: 'connection', connection_id: connectionId, streams: [{ name: PEOPLE, target: 'people' }] },
      type: 'full',
    },
  });
  expect(sync.error, JSON.stringify(sync.error)).toBeUndefined();
  syncId = sync.data?.id as string;
  await t.built.workers.syncRunner.start();
  await runSync();
});

afterAll(async () => {
  await t?.built.workers.syncRunner.stop();
  await t?.close();
  await admin?.query(`drop schema if exists ${schema} cascade`);
  await admin?.end();
});

describe('switchyard records', () => {
  it('models lists what the connection stored, with counts and where its feed ends', async () => {
    const models = ok(await runCli(['records', 'models', '--connection', connectionId])).stdout;
    expect(models.split('\n')[0]).toMatch(/^MODEL +RECORDS +DELETED +LAST CHANGE +LATEST CURSOR$/);
    const cursor = await latestCursor();
    expect(tableRow(models, 'people')).toMatch(
      new RegExp(`^people +5 +0 +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\dZ +${cursor}$`),
    );
    const listed = json<Model[]>(await runCli(['records', 'models', '--connection', connectionId, '--json']));
    expect(listed).toEqual([
      expect.objectContaining({ model: 'people', records: 5, deleted: 0, latest_cursor: cursor }),
    ]);

    const unknown = await runCli(['records', 'models', '--connection', 'conn_nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error not_found: Connection conn_nope /);
    const missing = await runCli(['records', 'models']);
    expect(missing.stderr).toContain("required option '--connection <id>' not specified");
  });

  it('list prints a page of changes and the cursor to go on from; --all reads from there to the end', async () => {
    const base = ['records', 'list', '--connection', connectionId, '--model', 'people'];
    const first = await runCli([...base, '--limit', '2']);
    expect(first.code, first.stderr).toBe(0);
    const lines = first.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(CHANGE('added', '1'));
    expect(lines[0]?.endsWith('{"id":1,"name":"Ada"}')).toBe(true);
    expect(lines[1]).toMatch(CHANGE('added', '2'));
    expect(first.stderr).toContain('note: more changes follow; --all reads them all.\n');
    const after = resumeCursor(first.stderr) as string;
    expect(after).toBeDefined();

    const rest = await runCli([...base, '--cursor', after, '--limit', '2', '--all', '--json']);
    expect(rest.code, rest.stderr).toBe(0);
    const records = rest.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as StoredRecord);
    expect(records.map((r) => `${r.id}:${r._switchyard.action}`)).toEqual(['3:added', '4:added', '5:added']);
    expect(records[2]?.data).toEqual({ id: 5, name: 'Ken' });
    expect(rest.stderr).toBe(`resume with: --cursor ${await latestCursor()}\n`);

    const none = await runCli([...base, '--filter', 'updated,deleted']);
    expect(none.stdout).toBe('No changes.\n');
    expect(none.stderr).toBe('resume with: no --cursor (no change read yet)\n');
    const bad = await runCli([...base, '--filter', 'created']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error validation_failed: /);
    expect(bad.stderr).not.toContain('resume with');
  });

  it('list --follow prints later changes as a sync makes them, and the cursor to resume from on Ctrl-C', async () => {
    const follow = startCli([
      'records',
      'list',
      '--connection',
      connectionId,
      '--model',
      'people',
      '--follow',
      '--interval',
      '1s',
      '--limit',
      '2',
    ]);
    // Page after page to the end of the feed first.
    await follow.waitForStdout(/^added +5 /m);

    await admin.query(`update ${PEOPLE} set name = 'Grace Hopper' where id = 2`);
    await admin.query(`delete from ${PEOPLE} where id = 4`);
    await runSync();
    const seen = await follow.waitForStdout(/^deleted +4 /m);
    const lines = seen.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/ +/).slice(0, 2).join(' '))).toEqual([
      'added 1',
      'added 2',
      'added 3',
      'added 4',
      'added 5',
      'updated 2',
      'deleted 4',
    ]);
    expect(lines[5]?.endsWith('{"id":2,"name":"Grace Hopper"}')).toBe(true);

    const ended = await follow.interrupt();
    expect(ended.code).toBe(0);
    const cursor = await latestCursor();
    expect(ended.stderr).toBe(`resume with: --cursor ${cursor}\n`);
    // Resuming from it reads nothing until the next change.
    const resumed = await runCli([
      'records',
      'list',
      '--connection',
      connectionId,
      '--model',
      'people',
      '--cursor',
      cursor,
    ]);
    expect(resumed.stdout).toBe('No changes.\n');
    expect(resumed.stderr).toBe(`resume with: --cursor ${cursor}\n`);
  });
});
