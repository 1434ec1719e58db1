import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMariadbDatabase, type TestMariadbDatabase } from '../../../../test/helpers/mariadb.js';
import { parseCidr } from '../../../core/net/cidr.js';
import type { ReadMode, ReadRequest, SourceBatch, StreamState, SyncSource } from '../../engine/types.js';
import { createMysqlSource } from './index.js';

/** The MySQL source against the run's MariaDB server (test/global-setup.ts), in a database of this file's own. */

const allow = [parseCidr('127.0.0.0/8')];
let server: TestMariadbDatabase;
let source: SyncSource;

const settingsOf = (s: TestMariadbDatabase) => ({
  host: s.host,
  port: s.port,
  database: s.database,
  user: s.user,
  password: s.password,
  tls: 'off' as const,
  pool: { min: 0, max: 3 },
});

beforeAll(async () => {
  server = await createTestMariadbDatabase();
  source = createMysqlSource({ settings: settingsOf(server), allow });
});
afterAll(async () => {
  await source?.close();
  await server?.drop();
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

describe('MySQL source: discovery and samples', () => {
  beforeAll(async () => {
    await server.admin.query(`
      create table orders (id bigint primary key, \`Customer Name?\` varchar(100) not null, total decimal(12,2),
        paid boolean, meta json, photo varbinary(16), flags bit(1), placed_on date, big bigint,
        updated_at datetime(6), seen timestamp(3) null);
      create table events (payload json, at datetime);
      create table skus (code varchar(20) not null, region varchar(10) not null, price double, unique (code, region));
      create view big_orders as select id, total from orders where total > 100;
      insert into orders values
        (1, 'Ada', 120.50, true, '{"k": [1, 2]}', x'00ff10', b'1', '2024-02-29', 9007199254740993,
          '2024-05-01 10:00:00.123456', '2024-05-01 10:00:00.5'),
        (2, 'Bob', null, false, null, null, b'0', null, -5, null, null);`);
  });

  it('lists tables and views with keys, typed fields and a suggested cursor', async () => {
    const streams = await source.discover();
    expect(streams.map((s) => s.name)).toEqual(['big_orders', 'events', 'orders', 'skus']);
    const orders = streams.find((s) => s.name === 'orders');
    expect(orders).toMatchObject({
      primaryKey: ['id'],
      cursorField: 'updated_at',
      supports: { full: true, incremental: true, delta: false },
      fullReadEndsAtCursor: true,
    });
    expect(orders?.fields).toEqual([
      { name: 'id', type: 'integer', nullable: false },
      { name: 'Customer Name?', type: 'string', nullable: false },
      { name: 'total', type: 'number', nullable: true },
      { name: 'paid', type: 'boolean', nullable: true },
      { name: 'meta', type: 'json', nullable: true },
      { name: 'photo', type: 'string', nullable: true },
      { name: 'flags', type: 'boolean', nullable: true },
      { name: 'placed_on', type: 'date', nullable: true },
      { name: 'big', type: 'integer', nullable: true },
      { name: 'updated_at', type: 'timestamp', nullable: true },
      { name: 'seen', type: 'timestamp', nullable: true },
    ]);
    // A unique index on NOT NULL columns serves as the key.
    expect(streams.find((s) => s.name === 'skus')).toMatchObject({ primaryKey: ['code', 'region'] });
    const events = streams.find((s) => s.name === 'events');
    expect(events).toMatchObject({ primaryKey: ['payload', 'at'], supports: { full: true, incremental: false } });
    expect(events?.description).toMatch(/without a primary key.*incremental reads are refused/);
    expect(streams.find((s) => s.name === 'big_orders')?.description).toMatch(/^view without a primary key/);
  });

  it('samples rows with exact, JSON-safe values', async () => {
    const rows = await source.sample(request('orders', 'full', null).stream, 10, new AbortController().signal);
    expect(rows).toEqual([
      {
        id: 1,
        'Customer Name?': 'Ada',
        total: '120.50',
        paid: true,
        meta: { k: [1, 2] },
        photo: Buffer.from([0, 255, 16]).toString('base64'),
        flags: true,
        placed_on: '2024-02-29',
        // Beyond 2^53 a BIGINT keeps its digits as a string.
        big: '9007199254740993',
        updated_at: '2024-05-01T10:00:00.123456Z',
        seen: '2024-05-01T10:00:00.500Z',
      },
      {
        id: 2,
        'Customer Name?': 'Bob',
        total: null,
        paid: false,
        meta: null,
        photo: null,
        flags: false,
        placed_on: null,
        big: -5,
        updated_at: null,
        seen: null,
      },
    ]);
  });

  it('refuses incremental reads of a table without a key, and names an unknown stream', async () => {
    const events = { ...request('events', 'full', null).stream, cursorField: 'at' };
    await expect(readAll(request('events', 'incremental', null, { stream: events }))).rejects.toMatchObject({
      code: 'incremental_needs_key',
    });
    await expect(readAll(request('nope', 'full', null))).rejects.toMatchObject({ code: 'stream_not_found' });
  });
});

describe('MySQL source: full reads', () => {
  beforeAll(async () => {
    await server.admin.query(`create table people (id int primary key, name text, updated_at datetime(6));
      insert into people select seq, concat('p', seq), timestamp '2024-01-01 00:00:00' + interval seq minute from seq_1_to_10;`);
  });

  it('reads in key order by batches, each checkpointing its last key, and ends on the cursor seen at the start', async () => {
    const batches = await readAll(request('people', 'full', null));
    expect(batches.map((b) => b.records.length)).toEqual([3, 3, 3, 1]);
    expect(ids(batches)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(batches[0]?.state).toEqual({ after_key: [3], cursor_at_start: '2024-01-01T00:10:00.000000Z' });
    expect(batches.at(-1)?.state).toEqual({ cursor: '2024-01-01T00:10:00.000000Z', keys_at_cursor: [] });
  });

  it('a read killed after a checkpoint resumes after it: nothing lost, nothing doubled', async () => {
    const first: SourceBatch[] = [];
    for await (const batch of source.read(request('people', 'full', null))) {
      first.push(batch);
      if (first.length === 2) break; // the run dies here; batch 2 was committed with its checkpoint
    }
    const resumed = await readAll(request('people', 'full', lastState(first)));
    expect([...ids(first), ...ids(resumed)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('pages by a composite key of strings and binary values exactly', async () => {
    await server.admin
      .query(`create table pairs (a varchar(5) not null, b varbinary(4) not null, n int, primary key (a, b));
      insert into pairs values ('x', x'00', 1), ('x', x'01', 2), ('x', x'ff', 3), ('y', x'00', 4), ("it's", x'10', 5);`);
    const stream = { ...request('pairs', 'full', null).stream, primaryKey: ['a', 'b'], cursorField: undefined };
    const batches = await readAll(request('pairs', 'full', null, { stream, batchSize: 2 }));
    expect(batches.flatMap((b) => b.records.map((r) => r.n))).toEqual([5, 1, 2, 3, 4]);
    expect(batches[1]?.state).toEqual({ after_key: ['x', Buffer.from([255]).toString('base64')] });
  });

  it('reads a keyless table in one pass and checkpoints only at its end', async () => {
    await server.admin.query(`insert into events select json_object('n', seq), now() from seq_1_to_7`);
    const batches = await readAll(request('events', 'full', null));
    expect(batches.flatMap((b) => b.records.map((r) => (r.payload as { n: number }).n)).sort()).toEqual([
      1, 2, 3, 4, 5, 6, 7,
    ]);
    expect(batches.map((b) => b.state)).toEqual([undefined, undefined, {}]);
  });
});

describe('MySQL source: incremental reads at the cursor boundary', () => {
  const t0 = '2024-03-01 12:00:00';
  beforeAll(async () => {
    // Seven rows share one time, across batch boundaries (batches of 3); two come before it.
    await server.admin
      .query(`create table tickets (id int primary key, subject text, updated_at datetime, key (updated_at, id));
      insert into tickets select seq, concat('s', seq),
        if(seq <= 2, timestamp '${t0}' - interval 1 hour, timestamp '${t0}') from seq_1_to_9;`);
  });

  it('never checkpoints inside a group of equal values; the end lists the keys of the last group', async () => {
    const batches = await readAll(request('tickets', 'incremental', null));
    expect(ids(batches)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const batch of batches.slice(0, -1)) expect(batch.state?.keys_at_cursor).toEqual([]);
    expect(batches.at(-1)?.state).toEqual({
      cursor: '2024-03-01T12:00:00Z',
      keys_at_cursor: [[3], [4], [5], [6], [7], [8], [9]],
    });
  });

  it('resuming from a mid-group checkpoint re-reads the group rather than skipping any of it', async () => {
    const batches = await readAll(request('tickets', 'incremental', null));
    const resumed = await readAll(request('tickets', 'incremental', batches[1]?.state ?? null));
    expect(ids(resumed)).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });

  it('the next run reads a new row at the saved value, and the lookback reaches a row committed late', async () => {
    const state = lastState(await readAll(request('tickets', 'incremental', null)));
    expect(ids(await readAll(request('tickets', 'incremental', state)))).toEqual([]);
    await server.admin.query(`insert into tickets values (10, 'late twin', '${t0}')`);
    expect(ids(await readAll(request('tickets', 'incremental', state)))).toEqual([10]);
    await server.admin.query(`insert into tickets values (11, 'late', timestamp '${t0}' - interval 30 second)`);
    expect(ids(await readAll(request('tickets', 'incremental', state)))).toEqual([10]);
    expect(ids(await readAll(request('tickets', 'incremental', state, { lookbackSeconds: 60 })))).toEqual([11, 10]);
  });

  it('reads in one snapshot: rows committed while it runs wait for the next run', async () => {
    await server.admin.query(`create table stream (id int primary key, updated_at datetime not null);
      insert into stream select seq, timestamp '${t0}' + interval seq second from seq_1_to_8;`);
    const first: SourceBatch[] = [];
    for await (const batch of source.read(request('stream', 'incremental', null))) {
      first.push(batch);
      if (first.length === 1)
        await server.admin.query(`insert into stream values (100, timestamp '${t0}' + interval 8 second),
          (101, timestamp '${t0}' + interval 2 second), (102, timestamp '${t0}' + interval 20 second)`);
    }
    expect(ids(first)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(lastState(first)).toEqual({ cursor: '2024-03-01T12:00:08Z', keys_at_cursor: [[8]] });
    const second = await readAll(request('stream', 'incremental', lastState(first), { lookbackSeconds: 10 }));
    const all = new Set([...ids(first), ...ids(second)]);
    expect([...all].sort((a, b) => Number(a) - Number(b))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 100, 101, 102]);
    expect(ids(second)).not.toContain(8);
  });
});

describe('MySQL source: the SSRF guard', () => {
  it('refuses a blocked address and a socket path before connecting', async () => {
    const blocked = createMysqlSource({ settings: settingsOf(server), allow: [] });
    await expect(blocked.discover()).rejects.toMatchObject({ code: 'destination_blocked' });
    await blocked.close();
    const socket = createMysqlSource({ settings: { ...settingsOf(server), host: '/run/mysqld/mysqld.sock' }, allow });
    await expect(socket.discover()).rejects.toMatchObject({
      code: 'destination_blocked',
      message: expect.stringContaining('socket'),
    });
    await socket.close();
  });

  it('a wrong password is a refused connection, not a retry', async () => {
    const wrong = createMysqlSource({ settings: { ...settingsOf(server), password: 'not-it' }, allow });
    await expect(wrong.discover()).rejects.toMatchObject({ code: 'source_connection_refused', retryable: false });
    await wrong.close();
  });
});
