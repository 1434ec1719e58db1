import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../../../../test/helpers/db.js';
import { parseCidr } from '../../../core/net/cidr.js';
import type { DeletionPolicy, FieldInfo, SyncRecord, SyncTarget, WriteRequest } from '../../engine/types.js';
import { createPostgresTarget } from './index.js';

const allow = [parseCidr('127.0.0.0/8')];
const schema = `tgt_${randomBytes(5).toString('hex')}`;
let admin: pg.Client;
let target: SyncTarget;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: testDatabaseUrl() });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  target = createPostgresTarget({ connectionString: testDatabaseUrl(), allow, schema });
});
afterAll(async () => {
  await target.close();
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.end();
});

const fields: FieldInfo[] = [
  { name: 'id', type: 'integer' },
  { name: 'name', type: 'string' },
  { name: 'score', type: 'number' },
  { name: 'meta', type: 'json' },
  { name: 'seen_at', type: 'timestamp' },
];

function request(name: string, extra: Partial<WriteRequest> = {}): WriteRequest {
  return {
    name,
    primaryKey: ['id'],
    fields,
    fullRefresh: false,
    executionId: 'exec-1',
    deletion: { mode: 'soft', maxDeleteShare: 0.5 },
    signal: new AbortController().signal,
    log: () => {},
    ...extra,
  };
}

async function rows(table: string, columns = 'id, name') {
  return (await admin.query(`select ${columns} from ${schema}.${table} order by id`)).rows;
}

const person = (id: number, name = `p${id}`) => ({
  id,
  name,
  score: id / 2,
  meta: { tags: ['a', `tab\there`], note: 'line\nbreak \\ backslash' },
  seen_at: '2024-05-01T10:00:00.123456Z',
});

describe('PostgreSQL target: upserts', () => {
  it('creates the table with the Switchyard columns and counts created, updated and unchanged exactly', async () => {
    const writer = await target.open(request('people'));
    expect(await writer.write([person(1), person(2), person(3)])).toEqual({
      created: 3,
      updated: 0,
      unchanged: 0,
      rejected: [],
    });
    expect(await writer.write([person(1), person(2, 'renamed'), person(4)])).toEqual({
      created: 1,
      updated: 1,
      unchanged: 1,
      rejected: [],
    });
    expect(await writer.finish()).toEqual({ deleted: 0 });
    const columns = await admin.query(
      `select column_name, data_type from information_schema.columns where table_schema = $1 and table_name = 'people' order by ordinal_position`,
      [schema],
    );
    expect(columns.rows.map((c) => `${c.column_name}:${c.data_type}`)).toEqual([
      'id:bigint',
      'name:text',
      'score:numeric',
      'meta:jsonb',
      'seen_at:timestamp with time zone',
      '_switchyard_synced_at:timestamp with time zone',
      '_switchyard_deleted_at:timestamp with time zone',
    ]);
    // Values survive COPY's escapes exactly.
    const stored = await rows(
      'people',
      `id, name, score::text, meta, to_char(seen_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as seen`,
    );
    expect(stored[0]).toEqual({
      id: '1',
      name: 'p1',
      score: '0.5',
      meta: person(1).meta,
      seen: '2024-05-01 10:00:00.123456',
    });
    expect(stored.map((r) => r.name)).toEqual(['p1', 'renamed', 'p3', 'p4']);
    expect(await target.describe?.('people')).toEqual([
      { name: 'id', type: 'integer', nullable: false },
      { name: 'name', type: 'string', nullable: true },
      { name: 'score', type: 'number', nullable: true },
      { name: 'meta', type: 'json', nullable: true },
      { name: 'seen_at', type: 'timestamp', nullable: true },
    ]);
  });

  it('writes records sharing a key once, the last one winning', async () => {
    const writer = await target.open(request('twins'));
    expect(await writer.write([person(1, 'first'), person(2), person(1, 'last')])).toEqual({
      created: 2,
      updated: 0,
      unchanged: 1,
      rejected: [],
    });
    await writer.finish();
    expect(await rows('twins')).toEqual([
      { id: '1', name: 'last' },
      { id: '2', name: 'p2' },
    ]);
  });

  it('isolates the records the database refuses and writes the rest', async () => {
    await admin.query(
      `create table ${schema}.strict (id int primary key, name text not null, score int check (score >= 0), meta jsonb,
        seen_at timestamptz, _switchyard_synced_at timestamptz not null default now(), _switchyard_deleted_at timestamptz)`,
    );
    const writer = await target.open(request('strict'));
    const batch: SyncRecord[] = Array.from({ length: 20 }, (_, i) => ({ ...person(i + 1), score: i }));
    batch[4] = { ...batch[4], score: 'five' };
    batch[11] = { ...batch[11], name: null };
    batch[17] = { ...batch[17], score: -1 };
    const outcome = await writer.write(batch);
    expect(outcome).toMatchObject({ created: 17, updated: 0, unchanged: 0 });
    expect(outcome.rejected.map((r) => r.record.id)).toEqual([5, 12, 18]);
    expect(outcome.rejected[0]?.reason).toMatch(/invalid input syntax for type integer: "five"/);
    expect(outcome.rejected[1]?.reason).toMatch(/null value in column "name".*violates not-null constraint/);
    expect(outcome.rejected[2]?.reason).toMatch(/violates check constraint/);
    await writer.finish();
    expect((await rows('strict')).map((r) => r.id)).toEqual([
      1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 19, 20,
    ]);
  });

  it('names the columns an existing table lacks, and a key that differs', async () => {
    await admin.query(`create table ${schema}.narrow (id bigint primary key, name text)`);
    await expect(target.open(request('narrow'))).rejects.toMatchObject({
      code: 'target_columns_missing',
      message: expect.stringContaining('"score", "meta", "seen_at", "_switchyard_synced_at", "_switchyard_deleted_at"'),
    });
    await expect(target.open(request('people', { primaryKey: ['name'] }))).rejects.toMatchObject({
      code: 'target_key_mismatch',
    });
  });

  it('applies tombstones: soft marks them deleted (a later write revives), hard removes them', async () => {
    const soft = await target.open(request('tomb'));
    await soft.write([person(1), person(2), person(3)]);
    expect(await soft.delete?.([{ id: 2 }, { id: 99 }])).toBe(1);
    expect(await rows('tomb', 'id, _switchyard_deleted_at is not null as deleted')).toEqual([
      { id: '1', deleted: false },
      { id: '2', deleted: true },
      { id: '3', deleted: false },
    ]);
    expect(await soft.write([person(2)])).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    await soft.finish();
    const hard = await target.open(request('tomb', { deletion: { mode: 'hard', maxDeleteShare: 1 } }));
    expect(await hard.delete?.([{ id: 1 }, { id: 3 }])).toBe(2);
    await hard.finish();
    expect(await rows('tomb', 'id, _switchyard_deleted_at is not null as deleted')).toEqual([
      { id: '2', deleted: false },
    ]);
  });
});

describe('PostgreSQL target: full refresh', () => {
  const seed = async (table: string, count: number) => {
    const writer = await target.open(request(table));
    await writer.write(Array.from({ length: count }, (_, i) => person(i + 1)));
    await writer.finish();
  };
  const shadows = async () =>
    (
      await admin.query(
        `select relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = $1 and relkind = 'r' and relname like '\\_switchyard\\_shadow\\_%'`,
        [schema],
      )
    ).rows.length;
  const refresh = (table: string, executionId: string, deletion: DeletionPolicy) =>
    target.open(request(table, { fullRefresh: true, executionId, deletion }));

  it('stages in a shadow, leaves the target as it was until finish, then applies and soft-deletes in one go', async () => {
    await seed('fr_soft', 10);
    const writer = await refresh('fr_soft', 'exec-soft', { mode: 'soft', maxDeleteShare: 0.5 });
    // Rows 1..8 again (3 renamed), row 11 new: 9 and 10 are gone from the source.
    const outcome = await writer.write([
      ...Array.from({ length: 8 }, (_, i) => person(i + 1, i === 2 ? 'renamed' : undefined)),
      person(11),
    ]);
    expect(outcome).toEqual({ created: 1, updated: 1, unchanged: 7, rejected: [] });
    expect(await shadows()).toBe(1);
    expect((await rows('fr_soft')).map((r) => r.name)).toEqual([
      'p1',
      'p2',
      'p3',
      'p4',
      'p5',
      'p6',
      'p7',
      'p8',
      'p9',
      'p10',
    ]);
    expect(await writer.finish()).toEqual({ deleted: 2 });
    expect(await shadows()).toBe(0);
    const after = await rows('fr_soft', 'id, name, _switchyard_deleted_at is not null as deleted');
    expect(after.filter((r) => r.deleted).map((r) => r.id)).toEqual(['9', '10']);
    expect(after.find((r) => r.id === '3')?.name).toBe('renamed');
    expect(after.map((r) => r.id)).toContain('11');
  });

  it('a resumed run with the same execution id keeps filling its shadow', async () => {
    await seed('fr_resume', 6);
    const first = await refresh('fr_resume', 'exec-r', { mode: 'hard', maxDeleteShare: 0.5 });
    await first.write([person(1), person(2), person(3)]);
    await first.abort(); // killed: the shadow stays
    const resumed = await refresh('fr_resume', 'exec-r', { mode: 'hard', maxDeleteShare: 0.5 });
    await resumed.write([person(3), person(4)]); // the batch after the last checkpoint is written again
    expect(await resumed.finish()).toEqual({ deleted: 2 });
    expect((await rows('fr_resume')).map((r) => r.id)).toEqual(['1', '2', '3', '4']);
  });

  it('stops with delete_threshold_exceeded and leaves the target untouched when too much would go', async () => {
    await seed('fr_guard', 10);
    const writer = await refresh('fr_guard', 'exec-g', { mode: 'hard', maxDeleteShare: 0.3 });
    await writer.write([person(1, 'changed'), person(2), person(3)]);
    await expect(writer.finish()).rejects.toMatchObject({
      code: 'delete_threshold_exceeded',
      message: expect.stringContaining('would delete 7 of 10 rows'),
    });
    expect((await rows('fr_guard')).map((r) => r.name)).toEqual([
      'p1',
      'p2',
      'p3',
      'p4',
      'p5',
      'p6',
      'p7',
      'p8',
      'p9',
      'p10',
    ]);
    // The runner's abort after the threshold is not final: the shadow stays for a person to look at.
    await writer.abort();
    expect(await shadows()).toBeGreaterThan(0);
  });

  it('drops its shadow when the run ended for good (failed, cancelled), not when it will resume', async () => {
    await seed('fr_final', 4);
    const before = await shadows();
    const writer = await refresh('fr_final', 'exec-final', { mode: 'hard', maxDeleteShare: 0.5 });
    await writer.write([person(1), person(2)]);
    expect(await shadows()).toBe(before + 1);
    await writer.abort({ final: true });
    expect(await shadows()).toBe(before);
    expect((await rows('fr_final')).map((r) => r.id)).toEqual(['1', '2', '3', '4']);
  });

  it('with deletion "none" applies the shadow and keeps rows the source no longer has', async () => {
    await seed('fr_none', 4);
    const writer = await refresh('fr_none', 'exec-n', { mode: 'none', maxDeleteShare: 0 });
    await writer.write([person(1, 'only')]);
    expect(await writer.finish()).toEqual({ deleted: 0 });
    expect((await rows('fr_none')).map((r) => r.name)).toEqual(['only', 'p2', 'p3', 'p4']);
  });
});

describe('PostgreSQL target: the SSRF guard', () => {
  it('refuses a connection string aimed at a blocked address', async () => {
    const blocked = createPostgresTarget({ connectionString: testDatabaseUrl(), allow: [], schema });
    await expect(blocked.open(request('people'))).rejects.toMatchObject({ code: 'destination_blocked' });
    await expect(blocked.describe?.('people')).rejects.toMatchObject({ code: 'destination_blocked' });
    await blocked.close();
  });
});
