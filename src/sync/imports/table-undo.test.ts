import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Json, type TestApp } from '../../../test/helpers/app.js';
import { testDatabaseUrl } from '../../../test/helpers/db.js';
import { expectProblem } from '../../../test/helpers/fixtures.js';
import { createTestMariadbDatabase, type TestMariadbDatabase } from '../../../test/helpers/mariadb.js';
import { finishedRun, startRun } from '../../../test/helpers/syncs.js';
import { createTableJournal, digestOf, type JournalEntry } from '../targets/journal.js';

/**
 * Undo of file imports into database tables, through the running server and its sync runner: a PostgreSQL schema on
 * the suite's server, a MariaDB database on the suite's MariaDB server and a SQLite file in the server's SQLite
 * directory, each a table with rows before the import. The import updates two rows, leaves one as it was and creates
 * three; then someone changes one row it updated and one it created, and deletes another it created. The undo
 * removes the created row nobody touched, restores the updated one exactly (every column, Switchyard's included, each
 * value of its type), and keeps the two changed since.
 */

let t: TestApp;
let sqliteDir: string;
let maria: TestMariadbDatabase;
const role = `undo_${randomBytes(4).toString('hex')}`;
const password = `pw-${randomBytes(8).toString('hex')}`;
const schema = `undo_${randomBytes(4).toString('hex')}`;

const post = async (url: string, body: Json, status = 201) => {
  const res = await t.request({ method: 'POST', url, body });
  expect(res.statusCode, res.body).toBe(status);
  return res.data;
};
const undo = (executionId: string) => t.request({ method: 'POST', url: `/v1/syncs/executions/${executionId}/undo` });

const file = [
  'id,email,score,joined,tag',
  '1,ada@new.example,10.5,2024-01-05,new',
  '2,grace@new.example,7,2024-02-11,g',
  '3,same@example.com,1,2020-03-03,same',
  '4,new@example.com,2,2024-04-04,n',
  '5,also@example.com,3,2024-05-05,m',
  '6,gone@example.com,4,2024-06-06,x',
].join('\n');

const fields = [
  { name: 'id', type: 'integer', nullable: false },
  { name: 'email', type: 'string' },
  { name: 'score', type: 'number' },
  { name: 'joined', type: 'date' },
  { name: 'tag', type: 'string' },
];

async function upload(text: string): Promise<string> {
  const res = await t.request({
    method: 'POST',
    url: '/v1/files?name=people.csv&if_exists=rename',
    headers: { 'content-type': 'text/csv' },
    body: text,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

async function createImport(target: Json, table = 'people', text = file, options: Json = {}): Promise<string> {
  const sync = await post('/v1/syncs', {
    name: `Import into ${target.kind as string} ${table}`,
    type: 'full',
    source: {
      kind: 'file',
      file_id: await upload(text),
      format: { format: 'csv' },
      schema: fields,
      streams: [{ name: table, primary_key: ['id'] }],
      ...options,
    },
    target,
  });
  return sync.id as string;
}

/**
 * Import the file, let "someone" change rows 2 and 5 and delete row 6, undo; then undo again, and undo a dry run.
 * Answers the undone run.
 */
async function importChangeUndo(syncId: string, changeSince: (runId: string) => Promise<void>): Promise<Json> {
  const run = await finishedRun(t, await startRun(t, syncId));
  expect(run.status, JSON.stringify(run)).toBe('success');
  expect(run.records).toMatchObject({ processed: 6, created: 3, updated: 2, failed: 0 });
  await changeSince(run.id as string);

  const undone = await undo(run.id as string);
  expect(undone.statusCode, undone.body).toBe(200);
  expect(undone.data.undo).toMatchObject({ removed: 1, restored: 1, kept: 2 });
  const journal = await t.db.query('select 1 from sync_table_undo_batches where execution_id = $1', [run.id]);
  expect(journal.rowCount).toBe(0);

  const again = await undo(run.id as string);
  expectProblem(again, 409, 'import_not_undoable');
  expect(again.data.detail).toMatch(/undone already/);

  const check = await finishedRun(t, await startRun(t, syncId, { dry_run: true }));
  expect(check).toMatchObject({ status: 'success', dry_run: true });
  const dry = await undo(check.id as string);
  expectProblem(dry, 409, 'import_not_undoable');
  expect(dry.data.detail).toMatch(/dry run/);
  return undone.data;
}

/**
 * A reject_file import into a table whose CHECK (score < 100) its last record breaks, in batches of two: the table
 * refuses the record after three batches went in, and nothing is kept; the run says it wrote in one transaction and
 * never read the file through before writing. A file whose last record the import's rules refuse: every refusal
 * reported, nothing written; under stop too. Then a clean file: written, counted once it committed, and undone.
 */
async function writtenInOneTransaction(target: Json, count: () => Promise<unknown>, refusal: RegExp): Promise<void> {
  const importInto = async (text: string, onError: string) => {
    const sync = await post('/v1/syncs', {
      name: `Import into ${target.kind as string} checked (${onError})`,
      type: 'full',
      batch_size: 2,
      source: {
        kind: 'file',
        file_id: await upload(text),
        format: { format: 'csv' },
        schema: fields,
        streams: [{ name: 'checked', primary_key: ['id'] }],
        on_error: onError,
      },
      target,
    });
    return finishedRun(t, await startRun(t, sync.id as string));
  };
  const refused = await importInto(`${file}\n7,late@example.com,500,2024-07-07,late`, 'reject_file');
  expect(refused).toMatchObject({ status: 'failed', error_code: 'records_rejected', records: { created: 0 } });
  expect(refused.error).toMatch(/^The target refused a record/);
  expect(refused.error).toMatch(refusal);
  expect(refused.error).toMatch(/nothing was imported\.$/);
  expect(await count()).toBe(0);
  const logs = await t.request({ url: `/v1/syncs/executions/${refused.id as string}/logs` });
  const said = (logs.data.data as Json[]).map((l) => l.message as string);
  expect(said).toContain('Writing checked in one transaction: nothing is kept unless every record is.');
  expect(said.some((m) => m.startsWith('Checked '))).toBe(false); // no pass over the file before writing
  const { rows: journal } = await t.db.query('select 1 from sync_table_undo_batches where execution_id = $1', [
    refused.id,
  ]);
  expect(journal).toEqual([]);

  const broken = `${file}\n8,bad@example.com,not-a-number,2024-08-08,bad`;
  const rejected = await importInto(broken, 'reject_file');
  expect(rejected).toMatchObject({ status: 'failed', error_code: 'records_rejected' });
  expect(rejected.records).toMatchObject({ processed: 7, created: 0, failed: 1 });
  expect(await importInto(broken, 'stop')).toMatchObject({ status: 'failed', records: { created: 0 } });
  expect(await count()).toBe(0);

  const clean = await importInto(file, 'reject_file');
  expect(clean).toMatchObject({ status: 'success', records: { processed: 6, created: 6, failed: 0 } });
  expect(await count()).toBe(6);
  expect((await undo(clean.id as string)).data.undo).toMatchObject({ removed: 6, restored: 0, kept: 0 });
  expect(await count()).toBe(0);
}

beforeAll(async () => {
  sqliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-undo-'));
  t = await createTestApp({ config: { sqliteDir } as never });
  maria = await createTestMariadbDatabase();
  await t.built.workers.syncRunner.start();
});

afterAll(async () => {
  await t?.built.workers.stop(5000);
  await t?.db.exec(`drop schema if exists ${schema} cascade`).catch(() => {});
  await t?.db.exec(`drop owned by ${role}`).catch(() => {});
  await t?.db.exec(`drop role if exists ${role}`).catch(() => {});
  await t?.close();
  await maria?.drop();
  fs.rmSync(sqliteDir, { recursive: true, force: true });
});

describe('undo of an import into a PostgreSQL table', () => {
  let connectionId = '';
  const rows = async () =>
    new Map(
      (
        await t.db.query<{ id: string; row: string }>(
          `select id::text, t::text as row from ${schema}.people t order by id`,
        )
      ).rows.map((r) => [r.id, r.row]),
    );

  it('removes the rows it created, restores the ones it updated exactly, keeps the ones changed since', async () => {
    const server = new URL(testDatabaseUrl());
    await t.db.exec(`create role ${role} login password '${password}'`);
    await t.db.exec(`create schema ${schema} authorization ${role}`);
    await t.db.exec(`create table ${schema}.people (id bigint primary key, email text, score numeric(10,2),
      joined date, tag text, _switchyard_synced_at timestamptz not null default now(),
      _switchyard_deleted_at timestamptz)`);
    await t.db.exec(`insert into ${schema}.people values
      (1, 'ada@old.example', 3.25, '2020-01-01', 'old', '2025-06-01 10:11:12.345678+00', null),
      (2, 'grace@old.example', 5.00, '2020-02-02', 'old', '2025-06-01 10:11:12.345678+00', null),
      (3, 'same@example.com', 1.00, '2020-03-03', 'same', '2025-06-01 10:11:12.345678+00', null),
      (9, 'nine@example.com', 9.90, '2020-09-09', 'nine', '2025-06-01 10:11:12.345678+00', '2025-07-01 00:00:00+00')`);
    await t.db.exec(`alter table ${schema}.people owner to ${role}`);
    const connection = await post('/v1/connections', {
      connector: 'postgresql',
      name: 'Warehouse',
      auth_method: 'connection_string',
      credentials: {
        connection_string: `postgresql://${role}:${encodeURIComponent(password)}@${server.host}${server.pathname}`,
      },
    });
    connectionId = connection.id as string;
    const before = await rows();
    const syncId = await createImport({ kind: 'postgres', connection_id: connection.id, schema });

    await importChangeUndo(syncId, async () => {
      const imported = await rows();
      expect([...imported.keys()]).toEqual(['1', '2', '3', '4', '5', '6', '9']);
      expect(imported.get('1')).toMatch(/^\(1,ada@new\.example,10\.50,2024-01-05,new,/);
      expect(imported.get('3')).toBe(before.get('3')); // the same values: not written at all
      await t.db.exec(`update ${schema}.people set email = 'grace@edited.example' where id = 2;
        update ${schema}.people set tag = 'edited' where id = 5; delete from ${schema}.people where id = 6`);
    });

    const after = await rows();
    expect([...after.keys()]).toEqual(['1', '2', '3', '5', '9']);
    for (const id of ['1', '3', '9']) expect(after.get(id)).toBe(before.get(id));
    expect(after.get('2')).toMatch(/^\(2,grace@edited\.example,7\.00,2024-02-11,g,/);
    expect(after.get('5')).toMatch(/^\(5,also@example\.com,3\.00,2024-05-05,edited,/);
  });

  it('journals a first load copied straight into an empty table, and undoes it but for the row changed since', async () => {
    await t.db.exec(`create table ${schema}.fresh (id bigint primary key, email text, score numeric(10,2), joined date,
      tag text, _switchyard_synced_at timestamptz not null default now(), _switchyard_deleted_at timestamptz)`);
    await t.db.exec(`alter table ${schema}.fresh owner to ${role}`);
    const syncId = await createImport({ kind: 'postgres', connection_id: connectionId, schema }, 'fresh');
    const run = await finishedRun(t, await startRun(t, syncId));
    expect(run).toMatchObject({ status: 'success', records: { created: 6, updated: 0 } });
    // Copied straight in: the journal has the batch's keys, none with a row before.
    const { rows: batches } = await t.db.query<{ n: number; priors: number }>(
      `select cardinality(keys) as n, cardinality(array_remove(priors, null)) as priors
         from sync_table_undo_batches where execution_id = $1`,
      [run.id],
    );
    expect(batches).toEqual([{ n: 6, priors: 0 }]);
    await t.db.exec(`update ${schema}.fresh set tag = 'edited' where id = 2`);
    const undone = await undo(run.id as string);
    expect(undone.statusCode, undone.body).toBe(200);
    expect(undone.data.undo).toMatchObject({ removed: 5, restored: 0, kept: 1 });
    const { rows: left } = await t.db.query(`select id::int, tag from ${schema}.fresh`);
    expect(left).toEqual([{ id: 2, tag: 'edited' }]);
  });

  it('keeps no journal when the import is set not to (undoable: false), and refuses its undo with the reason', async () => {
    await t.db.exec(`create table ${schema}.bulk (id bigint primary key, email text, score numeric(10,2), joined date,
      tag text, _switchyard_synced_at timestamptz not null default now(), _switchyard_deleted_at timestamptz)`);
    await t.db.exec(`alter table ${schema}.bulk owner to ${role}`);
    const syncId = await createImport({ kind: 'postgres', connection_id: connectionId, schema }, 'bulk', file, {
      undoable: false,
    });
    const run = await finishedRun(t, await startRun(t, syncId));
    expect(run).toMatchObject({ status: 'success', records: { created: 6 } });
    const { rows: kept } = await t.db.query('select 1 from sync_table_undo_batches where execution_id = $1', [run.id]);
    expect(kept).toEqual([]);
    const refused = await undo(run.id as string);
    expectProblem(refused, 409, 'import_not_undoable');
    expect(refused.data.detail).toMatch(/undoable: false/);
    const { rows: stored } = await t.db.query(`select count(*)::int as n from ${schema}.bulk`);
    expect(stored[0]).toEqual({ n: 6 });
  });

  it('writes a reject_file import in one transaction: read once, and nothing kept when the table refuses a late record', async () => {
    // A CHECK the file's last record breaks: the import's own rules let it through, the table does not.
    await t.db.exec(`create table ${schema}.checked (id bigint primary key, email text,
      score numeric(10,2) check (score < 100), joined date, tag text,
      _switchyard_synced_at timestamptz not null default now(), _switchyard_deleted_at timestamptz)`);
    await t.db.exec(`alter table ${schema}.checked owner to ${role}`);
    const count = async () =>
      (await t.db.query<{ n: number }>(`select count(*)::int as n from ${schema}.checked`)).rows[0]?.n;
    await writtenInOneTransaction(
      { kind: 'postgres', connection_id: connectionId, schema },
      count,
      /checked_score_check/,
    );
  });

  it('starts a run written in one transaction again from the first record when its node died part way', async () => {
    await t.db.exec(`create table ${schema}.restart (id bigint primary key, email text, score numeric(10,2),
      joined date, tag text, _switchyard_synced_at timestamptz not null default now(), _switchyard_deleted_at timestamptz)`);
    await t.db.exec(`alter table ${schema}.restart owner to ${role}`);
    const syncId = await createImport({ kind: 'postgres', connection_id: connectionId, schema }, 'restart');
    // Another node took the run, counted four records and refused one, then died: its transaction rolled back with it.
    const dead = `sxr_dead${randomBytes(4).toString('hex')}`;
    const progress = { restart: { status: 'running', processed: 4, created: 0, updated: 0, deleted: 0, failed: 1 } };
    await t.db.query(
      `insert into sync_executions (id, tenant_id, config_id, status, trigger, lease_owner, lease_expires_at,
         heartbeat_at, attempts, started_at, records_processed, records_failed, stream_progress)
       values ($1, $2, $3, 'running', 'manual', 'gone-node', now() - interval '1 minute', now() - interval '2 minutes',
         1, now() - interval '2 minutes', 4, 1, $4)`,
      [dead, t.tenantId, syncId, JSON.stringify(progress)],
    );
    await t.db.query(
      `insert into sync_rejected_records (execution_id, stream, record_key, record, reason)
       values ($1, 'restart', '3', '{}', 'refused by the attempt that died')`,
      [dead],
    );
    await t.db.query('update sync_configs set running_execution_id = $1 where id = $2', [dead, syncId]);
    const resumed = await finishedRun(t, dead);
    expect(resumed).toMatchObject({ status: 'success', attempts: 2 });
    expect(resumed.records).toMatchObject({ processed: 6, created: 6, updated: 0, failed: 0 });
    const { rows: refusals } = await t.db.query('select 1 from sync_rejected_records where execution_id = $1', [dead]);
    expect(refusals).toEqual([]);
    const { rows: stored } = await t.db.query(`select count(*)::int as n from ${schema}.restart`);
    expect(stored[0]).toEqual({ n: 6 });
  });
});

describe('undo of an import into a MariaDB table', () => {
  let connectionId = '';
  const rows = async () => {
    const [found] = await maria.admin.query<mysql.RowDataPacket[]>(
      'select *, score = 0.1e0 + 0.2e0 as exact_score, hex(tag) as tag_hex from people order by id',
    );
    return new Map(found.map((r) => [r.id as number, { ...r }]));
  };

  it('removes the rows it created, restores the ones it updated exactly, keeps the ones changed since', async () => {
    await maria.admin.query(`create table people (id bigint primary key, email varchar(100), score double,
        joined date, tag varbinary(32), _switchyard_synced_at datetime(6) not null default current_timestamp(6),
        _switchyard_deleted_at datetime(6));
      insert into people values
        (1, 'ada@old.example', 0.1e0 + 0.2e0, '2020-01-01', x'00ff10', '2025-06-01 10:11:12.345678', null),
        (2, 'grace@old.example', 5, '2020-02-02', x'01', '2025-06-01 10:11:12.345678', null),
        (3, 'same@example.com', 1, '2020-03-03', from_base64('same'), '2025-06-01 10:11:12.345678', null),
        (9, 'nine@example.com', 9.9, '2020-09-09', null, '2025-06-01 10:11:12.345678', '2025-07-01 00:00:00')`);
    const connection = await post('/v1/connections', {
      connector: 'mysql',
      name: 'Shop DB',
      config: { host: maria.host, port: maria.port, database: maria.database, ssl: 'off' },
      credentials: { username: maria.user, password: maria.password },
    });
    connectionId = connection.id as string;
    const before = await rows();
    expect(before.get(1)).toMatchObject({ exact_score: 1, tag_hex: '00FF10' });
    const syncId = await createImport({ kind: 'mysql', connection_id: connection.id });

    await importChangeUndo(syncId, async () => {
      const imported = await rows();
      expect([...imported.keys()]).toEqual([1, 2, 3, 4, 5, 6, 9]);
      expect(imported.get(1)).toMatchObject({ email: 'ada@new.example', score: 10.5, exact_score: 0 });
      expect(imported.get(3)).toEqual(before.get(3));
      await maria.admin.query(`update people set email = 'grace@edited.example' where id = 2;
        update people set joined = '2025-01-01' where id = 5; delete from people where id = 6`);
    });

    const after = await rows();
    expect([...after.keys()]).toEqual([1, 2, 3, 5, 9]);
    for (const id of [1, 3, 9]) expect(after.get(id)).toEqual(before.get(id));
    expect(after.get(2)).toMatchObject({ email: 'grace@edited.example', score: 7 });
    expect(after.get(5)).toMatchObject({ email: 'also@example.com', joined: '2025-01-01' });
  });

  it('writes a reject_file import in one transaction: read once, and nothing kept when the table refuses a late record', async () => {
    await maria.admin.query(`create table checked (id bigint primary key, email varchar(100),
      score double check (score < 100), joined date, tag varchar(32),
      _switchyard_synced_at datetime(6) not null default current_timestamp(6), _switchyard_deleted_at datetime(6))`);
    const count = async () =>
      (await maria.admin.query<mysql.RowDataPacket[]>('select count(*) as n from checked'))[0][0]?.n as number;
    await writtenInOneTransaction({ kind: 'mysql', connection_id: connectionId }, count, /CONSTRAINT .*checked/);
  });
});

describe('undo of an import into a SQLite table', () => {
  let connectionId: string;
  const open = () => new Database(path.join(sqliteDir, 'crm.sqlite'));
  const rows = () => {
    const db = open();
    try {
      const found = db
        .prepare('select *, typeof(score) as score_type, typeof(tag) as tag_type from people order by id')
        .all() as Json[];
      return new Map(found.map((r) => [r.id as number, r]));
    } finally {
      db.close();
    }
  };

  it('removes the rows it created, restores the ones it updated exactly, keeps the ones changed since', async () => {
    const db = open();
    // `tag` has no declared type: SQLite keeps each value's own, which the undo brings back with the value.
    db.exec(`create table people (id integer primary key, email text, score real, joined date, tag,
        _switchyard_synced_at datetime not null, _switchyard_deleted_at datetime);
      insert into people values
        (1, 'ada@old.example', 3.25, '2020-01-01', 42, '2025-06-01T10:11:12.345Z', null),
        (2, 'grace@old.example', 5, '2020-02-02', x'01', '2025-06-01T10:11:12.345Z', null),
        (3, 'same@example.com', 1, '2020-03-03', 'same', '2025-06-01T10:11:12.345Z', null),
        (9, 'nine@example.com', 9.9, '2020-09-09', null, '2025-06-01T10:11:12.345Z', '2025-07-01T00:00:00Z')`);
    db.close();
    connectionId = (
      await post('/v1/connections', { connector: 'sqlite', name: 'CRM file', config: { path: 'crm.sqlite' } })
    ).id as string;
    const before = rows();
    expect(before.get(1)).toMatchObject({ tag: 42, tag_type: 'integer', score_type: 'real' });
    const syncId = await createImport({ kind: 'sqlite', connection_id: connectionId });

    await importChangeUndo(syncId, async (runId) => {
      const imported = rows();
      expect([...imported.keys()]).toEqual([1, 2, 3, 4, 5, 6, 9]);
      // What a batch keeps when its commit then fails: a row it would have created. The undo finds it as it was
      // before (absent), and neither removes nor counts it.
      await createTableJournal(t.db).keep(
        runId,
        'people',
        ['id'],
        [],
        [
          {
            id: 'i:7',
            email: 't:x',
            score: 'r:1',
            joined: 't:2020-01-01',
            tag: null,
            _switchyard_synced_at: 't:2026-01-01T00:00:00.000Z',
            _switchyard_deleted_at: null,
          },
        ],
      );
      expect(imported.get(1)).toMatchObject({ email: 'ada@new.example', tag: 'new', tag_type: 'text' });
      expect(imported.get(3)).toEqual(before.get(3));
      const edit = open();
      edit.exec(`update people set email = 'grace@edited.example' where id = 2;
        update people set score = 30 where id = 5; delete from people where id = 6`);
      edit.close();
    });

    const after = rows();
    expect([...after.keys()]).toEqual([1, 2, 3, 5, 9]);
    for (const id of [1, 3, 9]) expect(after.get(id)).toEqual(before.get(id));
    expect(after.get(2)).toMatchObject({ email: 'grace@edited.example', tag: 'g' });
    expect(after.get(5)).toMatchObject({ email: 'also@example.com', score: 30 });
  });

  it('writes a reject_file import in one transaction: read once, and nothing kept when the table refuses a late record', async () => {
    const db = open();
    db.exec(`create table checked (id integer primary key, email text, score real check (score < 100), joined date,
      tag text, _switchyard_synced_at datetime not null, _switchyard_deleted_at datetime)`);
    db.close();
    const count = async () => {
      const read = open();
      try {
        return (read.prepare('select count(*) as n from checked').get() as { n: number }).n;
      } finally {
        read.close();
      }
    };
    await writtenInOneTransaction({ kind: 'sqlite', connection_id: connectionId }, count, /CHECK constraint failed/);
  });

  it('refuses to undo a full-refresh import, which replaced the table’s rows', async () => {
    const syncId = await createImport({ kind: 'sqlite', connection_id: connectionId }, 'refreshed');
    const run = await finishedRun(t, await startRun(t, syncId, { full_refresh: true }));
    expect(run).toMatchObject({ status: 'success', full_refresh: true });
    expect(run.records).toMatchObject({ created: 6 });
    const refused = await undo(run.id as string);
    expectProblem(refused, 409, 'import_not_undoable');
    expect(refused.data.detail).toMatch(/full-refresh import replaced the table/);
    const { rows: kept } = await t.db.query('select 1 from sync_table_undo_batches where execution_id = $1', [run.id]);
    expect(kept).toEqual([]);
  });
});

describe('the table journal', () => {
  /** A run to hang entries on (the journal belongs to an execution): a dry run of an import into `table`. */
  async function journalRun(table: string): Promise<string> {
    const connection = await post('/v1/connections', {
      connector: 'sqlite',
      name: `${table} file`,
      config: { path: `${table}.sqlite` },
      validate: false,
    });
    const syncId = await createImport({ kind: 'sqlite', connection_id: connection.id }, table);
    return (await finishedRun(t, await startRun(t, syncId, { dry_run: true }))).id as string;
  }

  it('keeps a key’s first prior state and its latest written one, and nothing for a row left as it was', async () => {
    const journal = createTableJournal(t.db);
    const id = await journalRun('probe');
    // A batch updates 1, creates 2 and writes 3 as it was.
    await journal.keep(
      id,
      'probe',
      ['id'],
      [
        { id: '1', v: 'a' },
        { id: '3', v: 'same' },
      ],
      [
        { id: '1', v: 'b' },
        { id: '2', v: 'x' },
        { id: '3', v: 'same' },
      ],
    );
    // The same batch again (its run resumed after the commit, before the checkpoint): it finds its own writes.
    await journal.keep(
      id,
      'probe',
      ['id'],
      [
        { id: '1', v: 'b' },
        { id: '2', v: 'x' },
      ],
      [
        { id: '1', v: 'c' },
        { id: '2', v: 'x' },
      ],
    );
    const entries: JournalEntry[] = [];
    for await (const page of journal.entries(id, 'probe')) entries.push(...page);
    const columns = ['id', 'v'];
    expect(entries).toEqual([
      { key: { id: '1' }, prior: { id: '1', v: 'a' }, written: digestOf({ id: '1', v: 'c' }, columns), columns },
      { key: { id: '2' }, prior: null, written: digestOf({ id: '2', v: 'x' }, columns), columns },
    ]);
    expect(digestOf({ id: '1', v: 'c' }, columns)).not.toBe(digestOf({ id: '1', v: 'b' }, columns));
  });

  it('carries keys and rows of any text through the journal exactly, NULLs apart from the text "NULL"', async () => {
    const journal = createTableJournal(t.db);
    const id = await journalRun('odd');
    // Each one a key (a row the batch changed, its prior row holding the same text) and in a key created.
    const texts = ['', 'NULL', 'a,b', '{x}', 'say "hi"', 'back\\slash', 'line\nbreak\ttab', 'é ☃ 😀', ' padded '];
    await journal.keep(
      id,
      'odd',
      ['id'],
      texts.map((text) => ({ id: `was ${text}`, v: text, n: null })),
      [
        ...texts.map((text) => ({ id: `was ${text}`, v: `${text}!`, n: 'NULL' })),
        ...texts.map((text) => ({ id: text, v: null, n: text })),
      ],
    );
    const entries: JournalEntry[] = [];
    for await (const page of journal.entries(id, 'odd')) entries.push(...page);
    const columns = ['id', 'v', 'n'];
    const expected: JournalEntry[] = [
      ...texts.map((text) => ({
        key: { id: `was ${text}` },
        prior: { id: `was ${text}`, v: text, n: null },
        written: digestOf({ id: `was ${text}`, v: `${text}!`, n: 'NULL' }, columns),
        columns,
      })),
      ...texts.map((text) => ({
        key: { id: text },
        prior: null,
        written: digestOf({ id: text, v: null, n: text }, columns),
        columns,
      })),
    ];
    const byKey = (a: JournalEntry, b: JournalEntry) => ((a.key.id ?? '') < (b.key.id ?? '') ? -1 : 1);
    expect(entries.sort(byKey)).toEqual(expected.sort(byKey));
  });
});
