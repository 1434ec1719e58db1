import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadMode, ReadRequest, SourceBatch, StreamState, SyncSource } from '../../engine/types.js';
import { createSqliteSource } from './index.js';

/** The SQLite source on a file in a directory of this test's own (the server's SQLite directory). */

let root: string;
let fixture: Database.Database;
let source: SyncSource;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-sqlite-src-'));
  fixture = new Database(path.join(root, 'shop.sqlite'));
  fixture.pragma('journal_mode = wal');
  source = createSqliteSource({ path: 'shop.sqlite', root });
});
afterAll(async () => {
  await source?.close();
  fixture?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

function request(
  stream: string,
  mode: ReadMode,
  state: StreamState | null,
  extra: Partial<ReadRequest> = {},
): ReadRequest {
  return {
    stream: {
      name: stream,
      primaryKey: ['id'],
      cursorField: 'updated_at',
      supports: { full: true, incremental: true, delta: false },
      fields: [],
    },
    mode,
    state,
    lookbackSeconds: 0,
    batchSize: 3,
    signal: new AbortController().signal,
    log: () => {},
    ...extra,
  };
}

async function readAll(r: ReadRequest): Promise<SourceBatch[]> {
  const batches: SourceBatch[] = [];
  for await (const batch of source.read(r)) batches.push(batch);
  return batches;
}

const ids = (batches: SourceBatch[]) => batches.flatMap((b) => b.records.map((r) => r.id));
const lastState = (batches: SourceBatch[]) => batches.filter((b) => b.state).at(-1)?.state ?? null;

describe('SQLite source: discovery and samples', () => {
  beforeAll(() => {
    fixture.exec(`
      create table orders (id integer primary key, "Customer Name" text not null, total numeric, paid boolean,
        meta json, photo blob, big integer, updated_at datetime);
      create table events (payload json, at datetime);
      create table skus (code text not null, region text not null, price real, unique (code, region));
      create view big_orders as select id, total from orders where total > 100;`);
    fixture
      .prepare('insert into orders values (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(1, 'Ada', 120.5, 1, '{"k":[1,2]}', Buffer.from([0, 255]), 9007199254740993n, '2024-05-01 10:00:00');
    fixture.prepare('insert into orders values (?, ?, ?, ?, ?, ?, ?, ?)').run(2, 'Bob', null, 0, null, null, -5, null);
  });

  it('lists tables and views with keys, typed fields and a suggested cursor', async () => {
    const streams = await source.discover();
    expect(streams.map((s) => s.name)).toEqual(['big_orders', 'events', 'orders', 'skus']);
    expect(streams.find((s) => s.name === 'orders')).toMatchObject({
      primaryKey: ['id'],
      cursorField: 'updated_at',
      supports: { full: true, incremental: true, delta: false },
      fields: [
        { name: 'id', type: 'integer', nullable: true },
        { name: 'Customer Name', type: 'string', nullable: false },
        { name: 'total', type: 'number', nullable: true },
        { name: 'paid', type: 'boolean', nullable: true },
        { name: 'meta', type: 'json', nullable: true },
        { name: 'photo', type: 'string', nullable: true },
        { name: 'big', type: 'integer', nullable: true },
        { name: 'updated_at', type: 'timestamp', nullable: true },
      ],
    });
    expect(streams.find((s) => s.name === 'skus')).toMatchObject({ primaryKey: ['code', 'region'] });
    expect(streams.find((s) => s.name === 'events')).toMatchObject({
      primaryKey: ['payload', 'at'],
      supports: { full: true, incremental: false },
    });
  });

  it('samples rows with JSON-safe values', async () => {
    expect(await source.sample(request('orders', 'full', null).stream, 10, new AbortController().signal)).toEqual([
      {
        id: 1,
        'Customer Name': 'Ada',
        total: 120.5,
        paid: true,
        meta: { k: [1, 2] },
        photo: Buffer.from([0, 255]).toString('base64'),
        big: '9007199254740993',
        updated_at: '2024-05-01 10:00:00',
      },
      {
        id: 2,
        'Customer Name': 'Bob',
        total: null,
        paid: false,
        meta: null,
        photo: null,
        big: -5,
        updated_at: null,
      },
    ]);
  });
});

describe('SQLite source: reads', () => {
  beforeAll(() => {
    fixture.exec(`create table people (id integer primary key, name text, updated_at datetime);
      create index people_updated on people (updated_at, id);`);
    const insert = fixture.prepare('insert into people values (?, ?, ?)');
    // Seven rows share one time, across batch boundaries (batches of 3); three come before it.
    for (let id = 1; id <= 10; id++)
      insert.run(id, `p${id}`, id <= 3 ? `2024-03-01T11:0${id}:00Z` : '2024-03-01T12:00:00Z');
  });

  it('full: key ranges, resumable after a checkpoint, ending on the cursor seen at the start', async () => {
    const batches = await readAll(request('people', 'full', null));
    expect(ids(batches)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(batches[0]?.state).toEqual({ after_key: [3], cursor_at_start: '2024-03-01T12:00:00Z' });
    expect(batches.at(-1)?.state).toEqual({ cursor: '2024-03-01T12:00:00Z', keys_at_cursor: [] });
    const first: SourceBatch[] = [];
    for await (const batch of source.read(request('people', 'full', null))) {
      first.push(batch);
      if (first.length === 2) break;
    }
    const resumed = await readAll(request('people', 'full', lastState(first)));
    expect([...ids(first), ...ids(resumed)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('incremental: no checkpoint inside a group; a new row at the saved value is read next time; lookback', async () => {
    const batches = await readAll(request('people', 'incremental', null));
    expect(ids(batches)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const batch of batches.slice(0, -1)) expect(batch.state?.keys_at_cursor).toEqual([]);
    const state = lastState(batches);
    expect(state).toEqual({ cursor: '2024-03-01T12:00:00Z', keys_at_cursor: [[4], [5], [6], [7], [8], [9], [10]] });
    expect(ids(await readAll(request('people', 'incremental', batches[1]?.state ?? null)))).toEqual([
      4, 5, 6, 7, 8, 9, 10,
    ]);
    expect(ids(await readAll(request('people', 'incremental', state)))).toEqual([]);
    fixture.prepare('insert into people values (?, ?, ?)').run(11, 'twin', '2024-03-01T12:00:00Z');
    fixture.prepare('insert into people values (?, ?, ?)').run(12, 'late', '2024-03-01T11:59:30Z');
    expect(ids(await readAll(request('people', 'incremental', state)))).toEqual([11]);
    expect(ids(await readAll(request('people', 'incremental', state, { lookbackSeconds: 60 })))).toEqual([12, 11]);
  });

  it('a keyless table in one pass, checkpointed at its end; an unknown stream named', async () => {
    const insert = fixture.prepare('insert into events values (?, ?)');
    for (let n = 1; n <= 7; n++) insert.run(JSON.stringify({ n }), '2024-01-01');
    const batches = await readAll(request('events', 'full', null));
    expect(batches.flatMap((b) => b.records.map((r) => (r.payload as { n: number }).n))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(batches.map((b) => b.state)).toEqual([undefined, undefined, {}]);
    await expect(readAll(request('nope', 'full', null))).rejects.toMatchObject({ code: 'stream_not_found' });
  });
});

describe('SQLite source: the directory rule', () => {
  it('refuses a path out of the directory and a missing file, and is off without a directory', async () => {
    const outside = createSqliteSource({ path: '../shop.sqlite', root });
    await expect(outside.discover()).rejects.toMatchObject({ code: 'destination_blocked' });
    const missing = createSqliteSource({ path: 'missing.sqlite', root });
    await expect(missing.discover()).rejects.toMatchObject({ code: 'source_connection_refused' });
    const off = createSqliteSource({ path: 'shop.sqlite', root: undefined });
    await expect(off.discover()).rejects.toMatchObject({ code: 'destination_blocked' });
  });
});
