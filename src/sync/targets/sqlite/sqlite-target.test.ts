import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeletionPolicy, FieldInfo, SyncRecord, SyncTarget, WriteRequest } from '../../engine/types.js';
import { createSqliteTarget } from './index.js';

/** The SQLite target writing a file (created by it) in a directory of this test's own. */

let root: string;
let target: SyncTarget;
let check: Database.Database;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-sqlite-tgt-'));
  target = createSqliteTarget({ path: 'out.sqlite', root });
  await target.describe?.('nothing'); // creates the file
  check = new Database(path.join(root, 'out.sqlite'));
});
afterAll(async () => {
  await target?.close();
  check?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const fields: FieldInfo[] = [
  { name: 'id', type: 'integer' },
  { name: 'name', type: 'string' },
  { name: 'score', type: 'number' },
  { name: 'meta', type: 'json' },
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

const rows = (table: string, columns = 'id, name') =>
  check.prepare(`select ${columns} from "${table}" order by id`).all() as Record<string, unknown>[];
const person = (id: number, name = `p${id}`) => ({ id, name, score: id / 2, meta: { tags: ['a', "it's"] } });

describe('SQLite target: upserts', () => {
  it('creates the table and counts created, updated and unchanged exactly', async () => {
    const writer = await target.open(request('people'));
    expect(await writer.write([person(1), person(2), person(3)])).toEqual({
      created: 3,
      updated: 0,
      unchanged: 0,
      rejected: [],
    });
    expect(await writer.write([person(1), person(2, 'renamed'), person(4), person(4, 'twin')])).toEqual({
      created: 1,
      updated: 1,
      unchanged: 2,
      rejected: [],
    });
    expect(await writer.finish()).toEqual({ deleted: 0 });
    expect(rows('people', 'id, name, score, meta')).toEqual([
      { id: 1, name: 'p1', score: 0.5, meta: '{"tags":["a","it\'s"]}' },
      { id: 2, name: 'renamed', score: 1, meta: '{"tags":["a","it\'s"]}' },
      { id: 3, name: 'p3', score: 1.5, meta: '{"tags":["a","it\'s"]}' },
      { id: 4, name: 'twin', score: 2, meta: '{"tags":["a","it\'s"]}' },
    ]);
    expect(await target.describe?.('people')).toEqual([
      { name: 'id', type: 'integer', nullable: false },
      { name: 'name', type: 'string', nullable: true },
      { name: 'score', type: 'number', nullable: true },
      { name: 'meta', type: 'json', nullable: true },
    ]);
  });

  it('isolates the records SQLite refuses, with its reasons', async () => {
    check.exec(`create table strict (id integer primary key, name text not null, score integer check (score >= 0),
      meta text, _switchyard_synced_at text not null, _switchyard_deleted_at text) strict`);
    const writer = await target.open(request('strict'));
    const batch: SyncRecord[] = Array.from({ length: 12 }, (_, i) => ({ ...person(i + 1), score: i }));
    batch[3] = { ...batch[3], score: 'four' };
    batch[7] = { ...batch[7], name: null };
    batch[10] = { ...batch[10], score: -1 };
    const outcome = await writer.write(batch);
    expect(outcome).toMatchObject({ created: 9, updated: 0, unchanged: 0 });
    expect(outcome.rejected.map((r) => [r.record.id, r.reason])).toEqual([
      [4, expect.stringMatching(/cannot store TEXT value in INTEGER column strict.score/)],
      [8, expect.stringMatching(/NOT NULL constraint failed: strict.name/)],
      [11, expect.stringMatching(/CHECK constraint failed/)],
    ]);
    await writer.finish();
  });

  it('tombstones: soft marks deleted (a later write revives), hard removes', async () => {
    const soft = await target.open(request('tomb'));
    await soft.write([person(1), person(2), person(3)]);
    expect(await soft.delete?.([{ id: 2 }, { id: 99 }])).toBe(1);
    expect(rows('tomb', 'id, _switchyard_deleted_at is not null as deleted')).toEqual([
      { id: 1, deleted: 0 },
      { id: 2, deleted: 1 },
      { id: 3, deleted: 0 },
    ]);
    expect(await soft.write([person(2)])).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    await soft.finish();
    const hard = await target.open(request('tomb', { deletion: { mode: 'hard', maxDeleteShare: 1 } }));
    expect(await hard.delete?.([{ id: 1 }, { id: 3 }])).toBe(2);
    await hard.finish();
    expect(rows('tomb')).toEqual([{ id: 2, name: 'p2' }]);
  });
});

describe('SQLite target: full refresh', () => {
  const seed = async (table: string, count: number) => {
    const writer = await target.open(request(table));
    await writer.write(Array.from({ length: count }, (_, i) => person(i + 1)));
    await writer.finish();
  };
  const shadows = () =>
    check
      .prepare("select count(*) as n from sqlite_schema where name like '\\_switchyard\\_shadow\\_%' escape '\\'")
      .get();
  const refresh = (table: string, executionId: string, deletion: DeletionPolicy) =>
    target.open(request(table, { fullRefresh: true, executionId, deletion }));

  it('stages in a shadow and applies it at finish with soft deletes; a view on the table keeps working', async () => {
    await seed('fr_soft', 10);
    check.exec('create view fr_soft_names as select name from fr_soft');
    const writer = await refresh('fr_soft', 'exec-soft', { mode: 'soft', maxDeleteShare: 0.5 });
    const outcome = await writer.write([
      ...Array.from({ length: 8 }, (_, i) => person(i + 1, i === 2 ? 'renamed' : undefined)),
      person(11),
    ]);
    expect(outcome).toEqual({ created: 1, updated: 1, unchanged: 7, rejected: [] });
    expect(shadows()).toEqual({ n: 1 });
    expect(rows('fr_soft').map((r) => r.name)).toContain('p3');
    expect(await writer.finish()).toEqual({ deleted: 2 });
    expect(shadows()).toEqual({ n: 0 });
    const after = rows('fr_soft', 'id, name, _switchyard_deleted_at is not null as deleted');
    expect(after.filter((r) => r.deleted).map((r) => r.id)).toEqual([9, 10]);
    expect(after.find((r) => r.id === 3)?.name).toBe('renamed');
    expect(check.prepare('select count(*) as n from fr_soft_names').get()).toEqual({ n: 11 });
  });

  it('resumes into its shadow, and stops at the delete share leaving the table as it was', async () => {
    await seed('fr_resume', 6);
    const first = await refresh('fr_resume', 'exec-r', { mode: 'hard', maxDeleteShare: 0.5 });
    await first.write([person(1), person(2), person(3)]);
    await first.abort();
    const resumed = await refresh('fr_resume', 'exec-r', { mode: 'hard', maxDeleteShare: 0.5 });
    await resumed.write([person(3), person(4)]);
    expect(await resumed.finish()).toEqual({ deleted: 2 });
    expect(rows('fr_resume').map((r) => r.id)).toEqual([1, 2, 3, 4]);

    await seed('fr_guard', 10);
    const guarded = await refresh('fr_guard', 'exec-g', { mode: 'hard', maxDeleteShare: 0.3 });
    await guarded.write([person(1, 'changed'), person(2), person(3)]);
    await expect(guarded.finish()).rejects.toMatchObject({
      code: 'delete_threshold_exceeded',
      message: expect.stringContaining('would delete 7 of 10 rows'),
    });
    expect(rows('fr_guard').map((r) => r.name)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9', 'p10']);
    // The runner's abort after the threshold is not final: the shadow stays for a person to look at.
    await guarded.abort();
    expect((shadows() as { n: number }).n).toBeGreaterThan(0);
  });

  it('drops its shadow when the run ended for good (failed, cancelled), not when it will resume', async () => {
    await seed('fr_final', 4);
    const before = (shadows() as { n: number }).n;
    const writer = await refresh('fr_final', 'exec-final', { mode: 'hard', maxDeleteShare: 0.5 });
    await writer.write([person(1), person(2)]);
    expect(shadows()).toEqual({ n: before + 1 });
    await writer.abort({ final: true });
    expect(shadows()).toEqual({ n: before });
    expect(rows('fr_final').map((r) => r.id)).toEqual([1, 2, 3, 4]);
  });
});

describe('SQLite target: the directory rule', () => {
  it('refuses a path out of the directory', async () => {
    const outside = createSqliteTarget({ path: '../elsewhere.sqlite', root });
    await expect(outside.open(request('people'))).rejects.toMatchObject({ code: 'destination_blocked' });
    expect(fs.existsSync(path.join(root, '..', 'elsewhere.sqlite'))).toBe(false);
  });
});
