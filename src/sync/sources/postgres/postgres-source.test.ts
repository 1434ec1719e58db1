import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../../../../test/helpers/db.js';
import { parseCidr } from '../../../core/net/cidr.js';
import type { ReadMode, ReadRequest, SourceBatch, StreamState, SyncSource } from '../../engine/types.js';
import { createPostgresSource } from './index.js';

const allow = [parseCidr('127.0.0.0/8')];
const schema = `src_${randomBytes(5).toString('hex')}`;
let admin: pg.Client;
let source: SyncSource;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: testDatabaseUrl() });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  source = createPostgresSource({ connectionString: testDatabaseUrl(), allow, schemas: [schema] });
});
afterAll(async () => {
  await source.close();
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.end();
});

function request(
  stream: string,
  mode: ReadMode,
  state: StreamState | null,
  extra: Partial<ReadRequest> = {},
): ReadRequest {
  return {
    stream: {
      name: `${schema}.${stream}`,
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

describe('PostgreSQL source: discovery and samples', () => {
  beforeAll(async () => {
    await admin.query(`
      create table ${schema}.orders (id bigint primary key, "Customer Name" text not null, total numeric(12,2),
        paid boolean, tags text[], meta jsonb, placed_on date, updated_at timestamptz);
      create table ${schema}.events (payload json, at timestamptz);
      create table ${schema}.skus (code text not null, region text not null, price float8, unique (code, region));
      create view ${schema}.big_orders as select id, total from ${schema}.orders where total > 100;
      insert into ${schema}.orders values
        (1, 'Ada', 120.50, true, '{a,"b c"}', '{"k":[1,2]}', '2024-02-29', '2024-05-01 10:00:00.123456+00'),
        (9007199254740993, 'Bob', null, false, '{}', null, null, null);`);
  });

  it('lists tables and views with keys, typed fields and a suggested cursor', async () => {
    const streams = await source.discover();
    expect(streams.map((s) => s.name)).toEqual([
      `${schema}.big_orders`,
      `${schema}.events`,
      `${schema}.orders`,
      `${schema}.skus`,
    ]);
    const orders = streams.find((s) => s.name === `${schema}.orders`);
    expect(orders).toMatchObject({
      primaryKey: ['id'],
      cursorField: 'updated_at',
      supports: { full: true, incremental: true, delta: false },
    });
    expect(orders?.fields).toEqual([
      { name: 'id', type: 'integer', nullable: false },
      { name: 'Customer Name', type: 'string', nullable: false },
      { name: 'total', type: 'number', nullable: true },
      { name: 'paid', type: 'boolean', nullable: true },
      { name: 'tags', type: 'array', nullable: true },
      { name: 'meta', type: 'json', nullable: true },
      { name: 'placed_on', type: 'date', nullable: true },
      { name: 'updated_at', type: 'timestamp', nullable: true },
    ]);
    // A unique index on NOT NULL columns serves as the key.
    expect(streams.find((s) => s.name === `${schema}.skus`)).toMatchObject({ primaryKey: ['code', 'region'] });
    // No key at all: full reads only, every column the key, and the description says so.
    const events = streams.find((s) => s.name === `${schema}.events`);
    expect(events).toMatchObject({ primaryKey: ['payload', 'at'], supports: { full: true, incremental: false } });
    expect(events?.description).toMatch(/without a primary key.*incremental reads are refused/);
    expect(streams.find((s) => s.name === `${schema}.big_orders`)?.description).toMatch(/^view without a primary key/);
  });

  it('samples rows with exact, JSON-safe values', async () => {
    const rows = await source.sample(request('orders', 'full', null).stream, 10, new AbortController().signal);
    expect(rows).toEqual([
      {
        id: 1,
        'Customer Name': 'Ada',
        total: '120.50',
        paid: true,
        tags: ['a', 'b c'],
        meta: { k: [1, 2] },
        placed_on: '2024-02-29',
        updated_at: '2024-05-01T10:00:00.123456Z',
      },
      // Beyond 2^53 an int8 keeps its digits as a string.
      {
        id: '9007199254740993',
        'Customer Name': 'Bob',
        total: null,
        paid: false,
        tags: [],
        meta: null,
        placed_on: null,
        updated_at: null,
      },
    ]);
    expect(await source.sample(request('orders', 'full', null).stream, 1, new AbortController().signal)).toHaveLength(
      1,
    );
  });

  it('refuses incremental reads of a table without a key, and names an unknown stream', async () => {
    await expect(
      readAll(
        request('events', 'incremental', null, {
          stream: { ...request('events', 'full', null).stream, cursorField: 'at' },
        }),
      ),
    ).rejects.toMatchObject({
      code: 'incremental_needs_key',
    });
    await expect(readAll(request('nope', 'full', null))).rejects.toMatchObject({ code: 'stream_not_found' });
  });
});

describe('PostgreSQL source: full reads', () => {
  beforeAll(async () => {
    await admin.query(`create table ${schema}.people (id int primary key, name text, updated_at timestamptz)`);
    await admin.query(
      `insert into ${schema}.people select g, 'p' || g, timestamptz '2024-01-01' + g * interval '1 minute' from generate_series(1, 10) g`,
    );
  });

  it('reads in key order by batches, each checkpointing its last key, and ends on the cursor seen at the start', async () => {
    const batches = await readAll(request('people', 'full', null));
    expect(batches.map((b) => b.records.length)).toEqual([3, 3, 3, 1]);
    expect(ids(batches)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(batches[0]?.state).toEqual({ after_key: [3], cursor_at_start: '2024-01-01T00:10:00Z' });
    expect(batches.at(-1)?.state).toEqual({ cursor: '2024-01-01T00:10:00Z', keys_at_cursor: [] });
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

  it('decodes COPY text exactly: escapes, NULL beside the text "\\N", quotes in text keys, every type', async () => {
    await admin.query(
      `create table ${schema}.odd (code text primary key, body text, n int8, at timestamptz, doc jsonb, flags bool[])`,
    );
    await admin.query(
      `insert into ${schema}.odd values ($1, $2, 9007199254740993, '2024-01-01 00:00:00.5+02', '{"a":"x\\ty"}', '{t,f}'),
        ($3, null, -5, null, null, null), ($4, '\\N', 0, 'infinity', '[]', '{}')`,
      ["o'brien", 'tab\there, line\nbreak, back\\slash, crlf\r\n, é€😀', 'plain', "it's"],
    );
    const stream = { ...request('odd', 'full', null).stream, primaryKey: ['code'], cursorField: undefined };
    const batches = await readAll(request('odd', 'full', null, { stream, batchSize: 1 }));
    expect(batches.flatMap((b) => b.records)).toEqual([
      { code: "it's", body: '\\N', n: 0, at: 'infinity', doc: [], flags: [] },
      {
        code: "o'brien",
        body: 'tab\there, line\nbreak, back\\slash, crlf\r\n, é€😀',
        n: '9007199254740993',
        at: '2023-12-31T22:00:00.5Z',
        doc: { a: 'x\ty' },
        flags: [true, false],
      },
      { code: 'plain', body: null, n: -5, at: null, doc: null, flags: null },
    ]);
    expect(batches[0]?.state).toEqual({ after_key: ["it's"] });
  });

  it('reads a keyless table in one pass and checkpoints only at its end', async () => {
    await admin.query(
      `insert into ${schema}.events select json_build_object('n', g), now() from generate_series(1, 7) g`,
    );
    const batches = await readAll(request('events', 'full', null));
    expect(batches.flatMap((b) => b.records.map((r) => (r.payload as { n: number }).n))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(batches.map((b) => b.state)).toEqual([undefined, undefined, {}]);
  });

  it('stops between batches when cancelled', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const batch of source.read(request('people', 'full', null, { signal: controller.signal }))) {
          seen.push(batch.records.length);
          controller.abort();
        }
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual([3]);
  });
});

describe('PostgreSQL source: incremental reads at the cursor boundary', () => {
  const t0 = '2024-03-01T12:00:00Z';
  beforeAll(async () => {
    await admin.query(`create table ${schema}.tickets (id int primary key, subject text, updated_at timestamptz)`);
    await admin.query(`create index on ${schema}.tickets (updated_at, id)`);
    // Seven rows share one timestamp, across batch boundaries (batches of 3); two come before it.
    await admin.query(
      `insert into ${schema}.tickets select g, 's' || g,
         case when g <= 2 then timestamptz '${t0}' - interval '1 hour' else timestamptz '${t0}' end
       from generate_series(1, 9) g`,
    );
  });

  it('never checkpoints inside a group of equal values; the end lists the keys of the last group', async () => {
    const batches = await readAll(request('tickets', 'incremental', null));
    expect(ids(batches)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Mid-run checkpoints say only "everything before this value is read".
    for (const batch of batches.slice(0, -1)) expect(batch.state?.keys_at_cursor).toEqual([]);
    expect(batches.at(-1)?.state).toEqual({
      cursor: '2024-03-01T12:00:00Z',
      keys_at_cursor: [[3], [4], [5], [6], [7], [8], [9]],
    });
  });

  it('resuming from a mid-group checkpoint re-reads the group rather than skipping any of it', async () => {
    const batches = await readAll(request('tickets', 'incremental', null));
    const midGroup = batches[1]?.state ?? null; // after ids 4..6, inside the group at t0
    const resumed = await readAll(request('tickets', 'incremental', midGroup));
    expect(ids(resumed)).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });

  it('the next run reads a new row at the saved value, and nothing already read', async () => {
    const state = lastState(await readAll(request('tickets', 'incremental', null)));
    expect(ids(await readAll(request('tickets', 'incremental', state)))).toEqual([]);
    await admin.query(`insert into ${schema}.tickets values (10, 'late twin', '${t0}')`);
    const next = await readAll(request('tickets', 'incremental', state));
    expect(ids(next)).toEqual([10]);
    expect(lastState(next)).toEqual({
      cursor: '2024-03-01T12:00:00Z',
      keys_at_cursor: [[3], [4], [5], [6], [7], [8], [9], [10]],
    });
  });

  it('the lookback reaches rows committed late with an earlier cursor value', async () => {
    const state = lastState(await readAll(request('tickets', 'incremental', null)));
    await admin.query(`insert into ${schema}.tickets values (11, 'late', timestamptz '${t0}' - interval '30 seconds')`);
    expect(ids(await readAll(request('tickets', 'incremental', state)))).toEqual([]);
    expect(ids(await readAll(request('tickets', 'incremental', state, { lookbackSeconds: 60 })))).toEqual([11]);
  });

  it('rows committed while a read runs, at and below its maximum, are read by the next run', async () => {
    await admin.query(`create table ${schema}.stream (id int primary key, updated_at timestamptz not null)`);
    await admin.query(
      `insert into ${schema}.stream select g, timestamptz '${t0}' + g * interval '1 second' from generate_series(1, 8) g`,
    );
    const writer = new pg.Client({ connectionString: testDatabaseUrl() });
    await writer.connect();
    const first: SourceBatch[] = [];
    try {
      for await (const batch of source.read(request('stream', 'incremental', null))) {
        first.push(batch);
        if (first.length === 1) {
          // Another session commits while the read is between batches: one row at the current maximum (8 s), one
          // below the position the read has reached, one above everything.
          await writer.query(`insert into ${schema}.stream values
            (100, timestamptz '${t0}' + interval '8 seconds'),
            (101, timestamptz '${t0}' + interval '2 seconds'),
            (102, timestamptz '${t0}' + interval '20 seconds')`);
        }
      }
    } finally {
      await writer.end();
    }
    // The read's snapshot holds exactly the rows that existed when it began.
    expect(ids(first)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(lastState(first)).toEqual({ cursor: '2024-03-01T12:00:08Z', keys_at_cursor: [[8]] });
    const second = await readAll(request('stream', 'incremental', lastState(first), { lookbackSeconds: 10 }));
    const all = new Set([...ids(first), ...ids(second)]);
    expect([...all].sort((a, b) => Number(a) - Number(b))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 100, 101, 102]);
    expect(ids(second)).not.toContain(8);
  });
});

describe('PostgreSQL source: the SSRF guard', () => {
  it('refuses a connection string aimed at a blocked address before connecting', async () => {
    const blocked = createPostgresSource({ connectionString: testDatabaseUrl(), allow: [] });
    await expect(blocked.discover()).rejects.toMatchObject({ code: 'destination_blocked' });
    const reading = blocked.read(request('people', 'full', null));
    await expect(
      (async () => {
        for await (const batch of reading) expect(batch).toBeUndefined();
      })(),
    ).rejects.toMatchObject({ code: 'destination_blocked' });
    await blocked.close();
  });
});
