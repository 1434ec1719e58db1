import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../../../test/helpers/syncs.js';
import { createTestMariadbDatabase, type TestMariadbDatabase } from '../../../../test/helpers/mariadb.js';
import { parseCidr } from '../../../core/net/cidr.js';
import type { DeletionPolicy, FieldInfo, SyncRecord, SyncTarget, WriteRequest } from '../../engine/types.js';
import { createMysqlTarget } from './index.js';

/** The MySQL target against the run's MariaDB server, in a database of this file's own. */

const allow = [parseCidr('127.0.0.0/8')];
let server: TestMariadbDatabase;
let target: SyncTarget;

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
  target = createMysqlTarget({ settings: settingsOf(server), allow });
});
afterAll(async () => {
  await target?.close();
  await server?.drop();
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
  const [result] = await server.admin.query<mysql.RowDataPacket[]>(`select ${columns} from \`${table}\` order by id`);
  return result;
}

const person = (id: number, name = `p${id}`) => ({
  id,
  name,
  score: id / 2,
  meta: { tags: ['a', `tab\there`], note: "quote ' and backslash \\ and ? mark" },
  seen_at: '2024-05-01T10:00:00.123456Z',
});

describe('MySQL target: upserts', () => {
  it('creates the table with the Switchyard columns and counts created, updated and unchanged exactly', async () => {
    const writer = await target.open(request('people'));
    expect(await writer.write([person(1), person(2), person(3)])).toEqual({
      created: 3,
      updated: 0,
      unchanged: 0,
      rejected: [],
    });
    const [before] = await rows('people', 'id, _switchyard_synced_at as synced');
    expect(await writer.write([person(1), person(2, 'renamed'), person(4)])).toEqual({
      created: 1,
      updated: 1,
      unchanged: 1,
      rejected: [],
    });
    // One record alone (a statement without a "Duplicates" count) is counted too.
    expect(await writer.write([person(4, 'again')])).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    expect(await writer.write([person(4, 'again')])).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect(await writer.finish()).toEqual({ deleted: 0 });
    const [columns] = await server.admin.query<mysql.RowDataPacket[]>(
      `select column_name as name, column_type as type from information_schema.columns
       where table_schema = database() and table_name = 'people' order by ordinal_position`,
    );
    expect(columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'id:bigint(20)',
      'name:longtext',
      'score:decimal(65,30)',
      'meta:longtext',
      'seen_at:datetime(6)',
      '_switchyard_synced_at:datetime(6)',
      '_switchyard_deleted_at:datetime(6)',
    ]);
    const stored = await rows('people', 'id, name, score, meta, seen_at, _switchyard_synced_at as synced');
    expect(stored[0]).toMatchObject({ id: 1, name: 'p1', seen_at: '2024-05-01 10:00:00.123456' });
    expect(Number(stored[0]?.score)).toBe(0.5);
    expect(JSON.parse(stored[0]?.meta as string)).toEqual(person(1).meta);
    // A row sent again unchanged keeps the time it was last synced.
    expect(stored[0]?.synced).toBe(before?.synced);
    expect(stored.map((r) => r.name)).toEqual(['p1', 'renamed', 'p3', 'again']);
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
      { id: 1, name: 'last' },
      { id: 2, name: 'p2' },
    ]);
  });

  it('isolates the records the server refuses, with its reasons, and writes the rest', async () => {
    await server.admin.query(
      `create table strict (id int primary key, name varchar(10) not null, score int check (score >= 0), meta json,
        seen_at datetime(6), _switchyard_synced_at datetime(6) not null default current_timestamp(6),
        _switchyard_deleted_at datetime(6))`,
    );
    const writer = await target.open(request('strict'));
    const batch: SyncRecord[] = Array.from({ length: 20 }, (_, i) => ({ ...person(i + 1), score: i }));
    batch[4] = { ...batch[4], score: 'five' };
    batch[11] = { ...batch[11], name: null };
    batch[14] = { ...batch[14], name: 'far too long for ten' };
    batch[17] = { ...batch[17], score: -1 };
    const outcome = await writer.write(batch);
    expect(outcome).toMatchObject({ created: 16, updated: 0, unchanged: 0 });
    expect(outcome.rejected.map((r) => r.record.id)).toEqual([5, 12, 15, 18]);
    expect(outcome.rejected.map((r) => r.reason)).toEqual([
      expect.stringMatching(/Incorrect integer value: 'five' for column .*score/),
      expect.stringMatching(/Column 'name' cannot be null/),
      expect.stringMatching(/Data too long for column 'name'/),
      expect.stringMatching(/CONSTRAINT .*score.* failed/),
    ]);
    await writer.finish();
    expect((await rows('strict')).map((r) => r.id)).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 13, 14, 16, 17, 19, 20]);
  });

  it('names the columns an existing table lacks, and a key that differs', async () => {
    await server.admin.query('create table narrow (id bigint primary key, name text)');
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
      { id: 1, deleted: 0 },
      { id: 2, deleted: 1 },
      { id: 3, deleted: 0 },
    ]);
    expect(await soft.write([person(2)])).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    await soft.finish();
    const hard = await target.open(request('tomb', { deletion: { mode: 'hard', maxDeleteShare: 1 } }));
    expect(await hard.delete?.([{ id: 1 }, { id: 3 }])).toBe(2);
    await hard.finish();
    expect(await rows('tomb', 'id, _switchyard_deleted_at is not null as deleted')).toEqual([{ id: 2, deleted: 0 }]);
  });
});

describe('MySQL target: full refresh', () => {
  const seed = async (table: string, count: number) => {
    const writer = await target.open(request(table));
    await writer.write(Array.from({ length: count }, (_, i) => person(i + 1)));
    await writer.finish();
  };
  const tables = async () => {
    const [result] = await server.admin.query<mysql.RowDataPacket[]>(
      `select table_name as name from information_schema.tables where table_schema = database()
       and table_name like '\\_switchyard\\_%'`,
    );
    return result.map((r) => r.name as string);
  };
  const refresh = (table: string, executionId: string, deletion: DeletionPolicy) =>
    target.open(request(table, { fullRefresh: true, executionId, deletion }));

  it('stages in a shadow, leaves the target as it was until finish, then swaps it in with soft deletes', async () => {
    await seed('fr_soft', 10);
    // A column the sync does not write keeps its values through the swap.
    await server.admin.query(
      "alter table fr_soft add column note varchar(20); update fr_soft set note = concat('n', id)",
    );
    const [synced] = await rows('fr_soft', 'id, _switchyard_synced_at as at');
    const writer = await refresh('fr_soft', 'exec-soft', { mode: 'soft', maxDeleteShare: 0.5 });
    // Rows 1..8 again (3 renamed), row 11 new: 9 and 10 are gone from the source.
    const outcome = await writer.write([
      ...Array.from({ length: 8 }, (_, i) => person(i + 1, i === 2 ? 'renamed' : undefined)),
      person(11),
    ]);
    expect(outcome).toEqual({ created: 1, updated: 1, unchanged: 7, rejected: [] });
    expect(await tables()).toHaveLength(1);
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
    expect(await tables()).toEqual([]);
    const after = await rows(
      'fr_soft',
      'id, name, note, _switchyard_deleted_at is not null as deleted, _switchyard_synced_at as at',
    );
    expect(after.filter((r) => r.deleted).map((r) => r.id)).toEqual([9, 10]);
    expect(after.find((r) => r.id === 3)?.name).toBe('renamed');
    expect(after.map((r) => r.note)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9', 'n10', null]);
    expect(after[0]?.at).toBe(synced?.at);
  });

  it('a resumed run with the same execution id keeps filling its shadow', async () => {
    await seed('fr_resume', 6);
    const first = await refresh('fr_resume', 'exec-r', { mode: 'hard', maxDeleteShare: 0.5 });
    await first.write([person(1), person(2), person(3)]);
    await first.abort(); // killed: the shadow stays
    const resumed = await refresh('fr_resume', 'exec-r', { mode: 'hard', maxDeleteShare: 0.5 });
    await resumed.write([person(3), person(4)]); // the batch after the last checkpoint is written again
    expect(await resumed.finish()).toEqual({ deleted: 2 });
    expect((await rows('fr_resume')).map((r) => r.id)).toEqual([1, 2, 3, 4]);
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
    expect((await tables()).length).toBeGreaterThan(0);
  });

  it('drops its shadow when the run ended for good (failed, cancelled), not when it will resume', async () => {
    await seed('fr_final', 4);
    const before = (await tables()).length;
    const writer = await refresh('fr_final', 'exec-final', { mode: 'hard', maxDeleteShare: 0.5 });
    await writer.write([person(1), person(2)]);
    expect((await tables()).length).toBe(before + 1);
    await writer.abort({ final: true });
    expect((await tables()).length).toBe(before);
    expect((await rows('fr_final')).map((r) => r.id)).toEqual([1, 2, 3, 4]);
  });

  it('with deletion "none" keeps rows the source no longer has', async () => {
    await seed('fr_none', 4);
    const writer = await refresh('fr_none', 'exec-n', { mode: 'none', maxDeleteShare: 0 });
    await writer.write([person(1, 'only')]);
    expect(await writer.finish()).toEqual({ deleted: 0 });
    expect((await rows('fr_none')).map((r) => r.name)).toEqual(['only', 'p2', 'p3', 'p4']);
  });

  it('refuses a table whose triggers the swap would drop', async () => {
    await seed('fr_trigger', 2);
    await server.admin.query(
      'create trigger fr_trigger_touch before update on fr_trigger for each row set new.name = new.name',
    );
    await expect(refresh('fr_trigger', 'exec-t', { mode: 'soft', maxDeleteShare: 1 })).rejects.toMatchObject({
      code: 'target_not_swappable',
    });
  });
});

describe('MySQL target: failures', () => {
  it('a connection killed mid-batch fails the batch, retryable, with nothing of it written', async () => {
    await seed();
    // Another session holds row 2500: the batch's second statement waits on it, after the first (rows 1–2000) ran.
    await server.admin.query('start transaction');
    await server.admin.query("insert into killed (id, name, _switchyard_synced_at) values (2500, 'held', now(6))");
    const writer = await target.open(request('killed'));
    const writing = writer.write(Array.from({ length: 3000 }, (_, i) => person(i + 1)));
    writing.catch(() => {});
    const [blocked] = await until(
      async () =>
        (
          await server.admin.query<mysql.RowDataPacket[]>(
            "select id from information_schema.processlist where info like 'insert into `killed`%' and id <> connection_id()",
          )
        )[0],
      (found) => found.length === 1,
      'the batch to wait on the held row',
    );
    await server.admin.query(`kill ${Number(blocked?.id)}`);
    await expect(writing).rejects.toMatchObject({
      code: 'target_write_failed',
      retryable: true,
      message: expect.stringContaining('connection was lost'),
    });
    await writer.abort();
    await server.admin.query('rollback');
    expect(await rows('killed')).toEqual([]);
  });

  it('refuses a blocked address and a socket path', async () => {
    const blocked = createMysqlTarget({ settings: settingsOf(server), allow: [] });
    await expect(blocked.open(request('people'))).rejects.toMatchObject({ code: 'destination_blocked' });
    await expect(blocked.describe?.('people')).rejects.toMatchObject({ code: 'destination_blocked' });
    await blocked.close();
  });

  async function seed() {
    const writer = await target.open(request('killed'));
    await writer.finish();
  }
});
