import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../../../../test/helpers/db.js';
import { parseCidr } from '../../../core/net/cidr.js';
import type { SourceBatch, StreamSpec, SyncSource, SyncTarget, WriteRequest } from '../../engine/types.js';
import { createPostgresSource } from '../../sources/postgres/index.js';
import { createPostgresTarget } from './index.js';
import { takesAsIs } from './writer.js';

/*
 * A PostgreSQL source's batches carry their COPY text; a PostgreSQL target whose columns take those values as they
 * are writes the text itself (writeCopy), and says when it cannot (other types, a value refused) having written
 * nothing, so the runner writes the records instead.
 */

const allow = [parseCidr('127.0.0.1/32')];
const schema = `cpy_${randomBytes(5).toString('hex')}`;
let admin: pg.Client;
let source: SyncSource;
let target: SyncTarget;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: testDatabaseUrl() });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.query(`create table ${schema}.items (id bigint primary key, name text not null, qty integer,
    price numeric(10,2), meta jsonb, label varchar(20), seen_at timestamptz not null)`);
  await admin.query(`insert into ${schema}.items select g, 'item ' || g || E'\\ttab \\\\ back', g % 7, g / 3.0,
    jsonb_build_object('n', g, 'line', E'a\\nb'), 'l' || g, timestamptz '2026-01-01' + g * interval '1 minute'
    from generate_series(1, 25) g`);
  await admin.query(`create table ${schema}.tagged (id bigint primary key, tags text[])`);
  await admin.query(`insert into ${schema}.tagged values (1, '{a,b}'), (2, '{}')`);
  source = createPostgresSource({ connectionString: testDatabaseUrl(), allow, schemas: [schema] });
  target = createPostgresTarget({ connectionString: testDatabaseUrl(), allow, schema });
});
afterAll(async () => {
  await source.close();
  await target.close();
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.end();
});

async function batches(table: string): Promise<{ spec: StreamSpec; batches: SourceBatch[] }> {
  const spec = (await source.discover()).find((s) => s.name === `${schema}.${table}`) as StreamSpec;
  const out: SourceBatch[] = [];
  const read = source.read({
    stream: spec,
    mode: 'full',
    state: null,
    lookbackSeconds: 0,
    batchSize: 10,
    signal: new AbortController().signal,
    log: () => {},
  });
  for await (const batch of read) out.push(batch);
  return { spec, batches: out };
}

function request(spec: StreamSpec, name: string): WriteRequest {
  return {
    name,
    primaryKey: spec.primaryKey,
    fields: spec.fields,
    fullRefresh: false,
    executionId: `exec-${name}`,
    deletion: { mode: 'soft', maxDeleteShare: 0.5 },
    signal: new AbortController().signal,
    log: () => {},
  };
}

describe('COPY text from a PostgreSQL source into a PostgreSQL target', () => {
  it('writes the text as it is into columns that take it, equal to the source row for row, then upserts it', async () => {
    const { spec, batches: read } = await batches('items');
    expect(read.map((b) => b.copy?.rows)).toEqual([10, 10, 5]);
    const writer = await target.open(request(spec, 'items_copy'));
    const outcomes = [];
    for (const batch of read) outcomes.push(await writer.writeCopy?.(batch.copy!));
    expect(outcomes.map((o) => o?.created)).toEqual([10, 10, 5]);
    // Written again: every row is there and unchanged.
    expect(await writer.writeCopy?.(read[0]!.copy!)).toEqual({ created: 0, updated: 0, unchanged: 10, rejected: [] });
    await writer.finish();
    const differing = await admin.query(
      `select id from ${schema}.items s full join ${schema}.items_copy d using (id)
        where (s.name, s.qty, s.price, s.meta, s.label, s.seen_at)
          is distinct from (d.name, d.qty, d.price, d.meta, d.label, d.seen_at)`,
    );
    expect(differing.rows).toEqual([]);
    // The records of a batch still read the same as the text says.
    expect(read[2]!.records.map((r) => r.id)).toEqual([21, 22, 23, 24, 25]);
  });

  it('declines, writing nothing, when a column would read the text differently or refuses a value', async () => {
    const tagged = await batches('tagged');
    const arrays = await target.open(request(tagged.spec, 'tagged_copy')); // text[] becomes a jsonb column
    expect(await arrays.writeCopy?.(tagged.batches[0]!.copy!)).toBeUndefined();
    expect((await arrays.write(tagged.batches[0]!.records)).created).toBe(2);
    await arrays.finish();
    expect((await admin.query(`select tags from ${schema}.tagged_copy order by id`)).rows).toEqual([
      { tags: ['a', 'b'] },
      { tags: [] },
    ]);

    const items = await batches('items');
    await admin.query(`create table ${schema}.strict (id bigint primary key, name text, qty integer check (qty < 6),
      price numeric, meta jsonb, label text, seen_at timestamptz,
      _switchyard_synced_at timestamptz not null default now(), _switchyard_deleted_at timestamptz)`);
    const strict = await target.open(request(items.spec, 'strict'));
    expect(await strict.writeCopy?.(items.batches[0]!.copy!)).toBeUndefined(); // id 6 has qty 6
    expect((await admin.query(`select count(*)::int as n from ${schema}.strict`)).rows[0].n).toBe(0);
    const outcome = await strict.write(items.batches[0]!.records);
    expect([outcome.created, outcome.rejected.map((r) => r.record.id)]).toEqual([9, [6]]);
    await strict.finish();
  });

  it('takes the same type, integers into bigint or numeric, json into jsonb and text-like types into text', () => {
    expect(takesAsIs('numeric(10,2)', 'numeric')).toBe(true);
    expect(takesAsIs('timestamp(3) with time zone', 'timestamp with time zone')).toBe(true);
    expect(takesAsIs('integer', 'bigint')).toBe(true);
    expect(takesAsIs('json', 'jsonb')).toBe(true);
    expect(takesAsIs('character varying(20)', 'text')).toBe(true);
    expect(takesAsIs('text[]', 'jsonb')).toBe(false);
    expect(takesAsIs('timestamp with time zone', 'text')).toBe(false);
    expect(takesAsIs('double precision', 'numeric')).toBe(false);
    expect(takesAsIs('bigint', 'integer')).toBe(false);
  });
});
