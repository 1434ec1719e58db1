import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Json, type TestApp } from '../../test/helpers/app.js';
import { createTestMariadbDatabase, type TestMariadbDatabase } from '../../test/helpers/mariadb.js';
import { finishedRun, startRun, until } from '../../test/helpers/syncs.js';

/**
 * MySQL/MariaDB and SQLite through the running server, as a tenant uses them: connections created through the API
 * (settings as secret references, tested by the driver), streams discovered and sampled, syncs created and run by the
 * real runner between the run's MariaDB server and SQLite files in the server's SQLite directory.
 */

let t: TestApp;
let source: TestMariadbDatabase;
let target: TestMariadbDatabase;
let sqliteDir: string;
let mysqlSource: string;
let mysqlTarget: string;

const post = async (url: string, body: Json, status = 201) => {
  const res = await t.request({ method: 'POST', url, body });
  expect(res.statusCode, res.body).toBe(status);
  return res.data;
};
const run = async (syncId: string) => finishedRun(t, await startRun(t, syncId));
const rows = async (db: TestMariadbDatabase, sql: string) => (await db.admin.query<mysql.RowDataPacket[]>(sql))[0];

function mysqlConnection(db: TestMariadbDatabase, name: string): Json {
  return {
    connector: 'mysql',
    name,
    config: { host: '{{secrets.DB_HOST}}', port: db.port, database: db.database, ssl: 'off', pool_max: 3 },
    credentials: { username: '{{secrets.DB_USERNAME}}', password: '{{secrets.DB_PASSWORD}}' },
  };
}

beforeAll(async () => {
  sqliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-sqlite-api-'));
  t = await createTestApp({
    config: { sync: { concurrency: 2, leaseMs: 1500, maxAttempts: 3 }, sqliteDir } as never,
  });
  [source, target] = await Promise.all([createTestMariadbDatabase(), createTestMariadbDatabase()]);
  await post('/v1/secrets', { name: 'DB_HOST', value: source.host });
  await post('/v1/secrets', { name: 'DB_USERNAME', value: source.user });
  await post('/v1/secrets', { name: 'DB_PASSWORD', value: source.password });
  await source.admin.query(`create table people (id int primary key, name varchar(100) not null, email text,
      score decimal(10,2), updated_at datetime(6) not null);
    insert into people select seq, concat('person ', seq), concat('p', seq, '@example.test'), seq * 1.5,
      timestamp '2026-01-01 00:00:00' + interval seq second from seq_1_to_2000;`);
  mysqlSource = (await post('/v1/connections', mysqlConnection(source, 'Shop DB'))).id as string;
  mysqlTarget = (await post('/v1/connections', mysqlConnection(target, 'Warehouse DB'))).id as string;
  await t.built.workers.syncRunner.start();
});

afterAll(async () => {
  await t?.built.workers.stop(5000);
  await t?.close();
  await source?.drop();
  await target?.drop();
  fs.rmSync(sqliteDir, { recursive: true, force: true });
});

describe('MySQL connections through the API', () => {
  it('tests the connection with the settings its secrets resolve to, and refuses a destination the guard blocks', async () => {
    const shown = await t.request({ url: `/v1/connections/${mysqlSource}` });
    expect(shown.data).toMatchObject({
      state: 'active',
      vendor_account_id: `${source.database}@127.0.0.1:${source.port}`,
    });
    const blocked = await t.request({
      method: 'POST',
      url: '/v1/connections',
      body: { ...mysqlConnection(source, 'x'), config: { host: '10.1.2.3', database: source.database, ssl: 'off' } },
    });
    expect([blocked.statusCode, blocked.data.code]).toEqual([422, 'destination_blocked']);
    const socket = await t.request({
      method: 'POST',
      url: '/v1/connections',
      body: {
        ...mysqlConnection(source, 'x'),
        config: { host: '/run/mysqld/mysqld.sock', database: source.database, ssl: 'off' },
      },
    });
    expect([socket.statusCode, socket.data.code]).toEqual([422, 'destination_blocked']);
    expect(socket.data.detail).toContain('socket paths are not allowed');
    const override = await t.request({
      method: 'POST',
      url: '/v1/connections',
      body: {
        ...mysqlConnection(source, 'x'),
        config: { socket_path: '/run/mysqld/other.sock', database: source.database },
      },
    });
    expect([override.statusCode, override.data.code]).toEqual([400, 'validation_failed']);
  });

  it('discovers the tables and previews a mapping on sample rows', async () => {
    const found = await post('/v1/syncs/discover', { connection_id: mysqlSource }, 200);
    const people = (found.streams as Json[]).find((s) => s.name === 'people') as Json;
    expect(people).toMatchObject({ primary_key: ['id'], cursor_field: 'updated_at' });
    expect((people.fields as Json[]).map((f) => `${f.name as string}:${f.type as string}`)).toEqual([
      'id:integer',
      'name:string',
      'email:string',
      'score:number',
      'updated_at:timestamp',
    ]);
    const preview = await post(
      '/v1/syncs/mapping-preview',
      {
        connection_id: mysqlSource,
        stream: 'people',
        limit: 2,
        mappings: {
          select: 'mapped',
          fields: [
            { to: 'id', from: 'id' },
            { to: 'label', template: '{{name}} <{{email}}>' },
          ],
        },
      },
      200,
    );
    expect((preview.samples as Json[]).map((s) => s.output)).toEqual([
      { id: 1, label: 'person 1 <p1@example.test>' },
      { id: 2, label: 'person 2 <p2@example.test>' },
    ]);
  });
});

describe('MySQL to MySQL through the runner', () => {
  it('loads a table, then only what changed, and counts each run', async () => {
    const sync = await post('/v1/syncs', {
      name: 'people copy',
      type: 'incremental',
      batch_size: 500,
      source: { connection_id: mysqlSource, streams: [{ name: 'people' }] },
      target: { kind: 'mysql', connection_id: mysqlTarget },
    });
    const first = await run(sync.id as string);
    expect(first.status, JSON.stringify(first)).toBe('success');
    expect(first.records).toMatchObject({ processed: 2000, created: 2000, updated: 0, failed: 0 });
    expect(await rows(target, 'select count(*) as n, sum(score) as total from people')).toEqual([
      { n: 2000, total: '3001500.000000000000000000000000000000' },
    ]);
    await source.admin.query(
      "update people set name = concat(name, ' (edited)'), updated_at = timestamp '2026-02-01 00:00:00' where id <= 20",
    );
    const second = await run(sync.id as string);
    expect(second.status).toBe('success');
    // The 20 edited rows, and the row at the saved cursor read again (the load before listed no keys at it).
    expect(second.records).toMatchObject({ processed: 21, created: 0, updated: 20 });
    expect(await rows(target, "select count(*) as n from people where name like '%(edited)'")).toEqual([{ n: 20 }]);
  });

  it('a full refresh that would delete too much stops and leaves the target as it was', async () => {
    await target.admin.query('create table guarded (id int primary key, name text)');
    const sync = await post('/v1/syncs', {
      name: 'guarded copy',
      type: 'full',
      deletion: { mode: 'hard', max_delete_share: 0.2 },
      source: { connection_id: mysqlSource, streams: [{ name: 'people', target: 'mirror' }] },
      target: { kind: 'mysql', connection_id: mysqlTarget },
    });
    expect((await run(sync.id as string)).status).toBe('success');
    await source.admin.query('create table people_backup as select * from people; delete from people where id > 1000');
    try {
      const stopped = await run(sync.id as string);
      expect([stopped.status, stopped.error_code]).toEqual(['failed', 'delete_threshold_exceeded']);
      expect(stopped.error).toContain('would delete 1000 of 2000 rows');
      expect(await rows(target, 'select count(*) as n from mirror')).toEqual([{ n: 2000 }]);
    } finally {
      await source.admin.query(
        'insert into people select * from people_backup where id > 1000; drop table people_backup',
      );
    }
  });

  it('rejects the rows the target refuses, with the reasons, and writes the rest', async () => {
    await target.admin.query(`create table narrow (id int primary key check (id % 500 <> 0), name varchar(100) not null,
      _switchyard_synced_at datetime(6) not null default current_timestamp(6), _switchyard_deleted_at datetime(6))`);
    const sync = await post('/v1/syncs', {
      name: 'narrow copy',
      type: 'full',
      source: { connection_id: mysqlSource, streams: [{ name: 'people', target: 'narrow' }] },
      target: { kind: 'mysql', connection_id: mysqlTarget },
      mappings: {
        select: 'mapped',
        fields: [
          { to: 'id', from: 'id' },
          { to: 'name', from: 'name' },
        ],
      },
    });
    const done = await run(sync.id as string);
    expect(done.status, JSON.stringify(done)).toBe('partial_success');
    expect(done.records).toMatchObject({ processed: 2000, created: 1996, failed: 4 });
    const rejected = await t.request({ url: `/v1/syncs/executions/${done.id as string}/rejected` });
    expect((rejected.data.data as Json[]).map((r) => [(r.record as Json).id, r.stream, r.reason])).toEqual(
      [500, 1000, 1500, 2000].map((id) => [id, 'people', expect.stringMatching(/CONSTRAINT .* failed/)]),
    );
    expect(await rows(target, 'select count(*) as n from narrow')).toEqual([{ n: 1996 }]);
  });

  it('a target connection killed mid-batch fails the run, with nothing of the batch written', async () => {
    await target.admin.query(`create table held (id int primary key, name text, email text, score decimal(10,2),
      updated_at datetime(6), _switchyard_synced_at datetime(6) not null default current_timestamp(6),
      _switchyard_deleted_at datetime(6))`);
    const sync = await post('/v1/syncs', {
      name: 'held copy',
      type: 'incremental',
      batch_size: 5000,
      source: { connection_id: mysqlSource, streams: [{ name: 'people', target: 'held' }] },
      target: { kind: 'mysql', connection_id: mysqlTarget },
    });
    // Another session holds row 1500 of the target: the batch's insert waits there, rows 1–1499 already in its
    // transaction (the first run of an incremental sync writes to the table itself, no shadow).
    await target.admin.query('start transaction');
    await target.admin.query("insert into held (id, name) values (1500, 'held')");
    const execution = await startRun(t, sync.id as string);
    const [blocked] = await until(
      () =>
        rows(
          target,
          "select id from information_schema.processlist where info like 'insert into `held`%' and id <> connection_id()",
        ),
      (found) => found.length === 1,
      'the run to wait on the held row',
    );
    await target.admin.query(`kill ${Number(blocked?.id)}`);
    const failed = await finishedRun(t, execution);
    await target.admin.query('rollback');
    expect([failed.status, failed.error_code]).toEqual(['failed', 'target_write_failed']);
    expect(failed.error).toContain('connection was lost');
    expect(await rows(target, 'select count(*) as n from held')).toEqual([{ n: 0 }]);
  });
});

describe('SQLite through the API and the runner', () => {
  let sqliteSource: string;

  beforeAll(async () => {
    const file = new Database(path.join(sqliteDir, 'shop.sqlite'));
    file.exec(`create table orders (id integer primary key, item text not null, total real, updated_at datetime)`);
    const insert = file.prepare('insert into orders values (?, ?, ?, ?)');
    for (let id = 1; id <= 50; id++)
      insert.run(id, `item ${id}`, id * 2.5, `2026-01-01T00:00:${String(id % 60).padStart(2, '0')}Z`);
    file.close();
    sqliteSource = (
      await post('/v1/connections', { connector: 'sqlite', name: 'Shop file', config: { path: 'shop.sqlite' } })
    ).id as string;
  });

  it('tests, discovers and samples a file in the SQLite directory; a path out of it is refused', async () => {
    expect((await t.request({ url: `/v1/connections/${sqliteSource}` })).data).toMatchObject({ state: 'active' });
    const found = await post('/v1/syncs/discover', { connection_id: sqliteSource }, 200);
    expect((found.streams as Json[]).map((s) => s.name)).toEqual(['orders']);
    const preview = await post(
      '/v1/syncs/mapping-preview',
      { connection_id: sqliteSource, stream: 'orders', limit: 1, mappings: { select: 'all', fields: [] } },
      200,
    );
    expect((preview.samples as Json[])[0]?.output).toEqual({
      id: 1,
      item: 'item 1',
      total: 2.5,
      updated_at: '2026-01-01T00:00:01Z',
    });
    for (const escape of ['../shop.sqlite', '/etc/passwd', 'file:shop.sqlite']) {
      const refused = await t.request({
        method: 'POST',
        url: '/v1/connections',
        body: { connector: 'sqlite', name: 'x', config: { path: escape } },
      });
      expect([refused.statusCode, refused.data.code], escape).toEqual([422, 'destination_blocked']);
    }
  });

  it('reads a SQLite file uploaded to the files store, read only, and refuses another tenant’s', async () => {
    const upload = await t.request({
      method: 'POST',
      url: '/v1/files?name=shop.sqlite',
      headers: { 'content-type': 'application/vnd.sqlite3' },
      body: fs.readFileSync(path.join(sqliteDir, 'shop.sqlite')),
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const fileId = upload.data.id as string;
    const stored = (
      await post('/v1/connections', { connector: 'sqlite', name: 'Uploaded shop', config: { path: `files:${fileId}` } })
    ).id as string;
    expect((await t.request({ url: `/v1/connections/${stored}` })).data).toMatchObject({ state: 'active' });
    const intoStore = await post('/v1/syncs', {
      name: 'uploaded orders',
      type: 'full',
      source: { connection_id: stored, streams: [{ name: 'orders' }] },
    });
    expect((await run(intoStore.id as string)).records).toMatchObject({ processed: 50, created: 50 });

    // Its bytes name it: no sync writes into it.
    const writing = await post('/v1/syncs', {
      name: 'into the upload',
      type: 'full',
      source: { connection_id: sqliteSource, streams: [{ name: 'orders', target: 'copy' }] },
      target: { kind: 'sqlite', connection_id: stored },
    });
    const refused = await run(writing.id as string);
    expect(refused).toMatchObject({ status: 'failed', error_code: 'destination_blocked' });
    expect(refused.error).toMatch(/read only/);

    // Another tenant cannot name it, and an unknown id is no file.
    const other = await t.otherTenant();
    for (const [token, id] of [
      [other.token, fileId],
      [t.adminToken, 'file_0000000000000000000000000'],
    ] as const) {
      const res = await t.request({
        method: 'POST',
        url: '/v1/connections',
        token,
        body: { connector: 'sqlite', name: 'x', config: { path: `files:${id}` } },
      });
      expect([res.statusCode, res.data.code]).toEqual([422, 'connection_test_failed']);
      expect(JSON.stringify(res.data)).toMatch(/no file/);
    }
  });

  it('copies a SQLite table into MariaDB, and a MariaDB table into a new SQLite file', async () => {
    const out = (
      await post('/v1/connections', {
        connector: 'sqlite',
        name: 'Export file',
        config: { path: 'export.sqlite' },
        validate: false,
      })
    ).id as string;
    const intoMysql = await post('/v1/syncs', {
      name: 'orders to mariadb',
      type: 'full',
      source: { connection_id: sqliteSource, streams: [{ name: 'orders' }] },
      target: { kind: 'mysql', connection_id: mysqlTarget },
    });
    expect((await run(intoMysql.id as string)).records).toMatchObject({ processed: 50, created: 50 });
    expect(await rows(target, 'select count(*) as n, max(item) as last from orders')).toEqual([
      { n: 50, last: 'item 9' },
    ]);
    const intoSqlite = await post('/v1/syncs', {
      name: 'people to sqlite',
      type: 'full',
      source: { connection_id: mysqlSource, streams: [{ name: 'people' }] },
      target: { kind: 'sqlite', connection_id: out },
    });
    const done = await run(intoSqlite.id as string);
    expect(done.records).toMatchObject({ processed: 2000, created: 2000 });
    const file = new Database(path.join(sqliteDir, 'export.sqlite'), { readonly: true });
    try {
      expect(file.prepare('select count(*) as n, max(updated_at) as last from people where id > 20').get()).toEqual({
        n: 1980,
        last: '2026-01-01T00:33:20.000000Z',
      });
    } finally {
      file.close();
    }
    const wrongKind = await t.request({
      method: 'POST',
      url: '/v1/syncs',
      body: {
        name: 'x',
        type: 'full',
        source: { connection_id: mysqlSource, streams: [{ name: 'people' }] },
        target: { kind: 'sqlite', connection_id: mysqlTarget },
      },
    });
    expect(wrongKind.statusCode).toBe(201);
    expect((await run(wrongKind.data.id as string)).error_code).toBe('target_unsupported');
  });
});
