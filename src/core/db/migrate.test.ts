import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, testDatabaseUrl, type TestDb } from '../../../test/helpers/db.js';
import {
  loadMigrations,
  migrate,
  migrationChecksum,
  MigrationEditedError,
  migrationStatus,
  type Migration,
} from './migrate.js';
import type { Db } from './port.js';
import { openPostgres } from './postgres.js';

let testDb: TestDb;
beforeEach(async () => {
  testDb = await createTestDb();
});
afterEach(async () => {
  await testDb.drop();
});

/** Migrations that log each application, so applying one twice would show. */
const logged = (count: number): Migration[] =>
  Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    name: `step_${i + 1}`,
    sql: `${i === 0 ? 'create table migration_log (id integer not null);\n' : ''}insert into migration_log values (${i + 1});`,
  }));

async function logOf(db: Db): Promise<number[]> {
  return (await db.query<{ id: number }>('select id from migration_log order by id')).rows.map((r) => r.id);
}

describe('migrate', () => {
  it('applying the real migrations again is a no-op', async () => {
    const { db } = testDb;
    const before = (await db.query('select id, applied_at from switchyard_migrations order by id')).rows;
    expect(before).toHaveLength(loadMigrations().length);
    expect(await migrate(db)).toEqual([]);
    expect((await db.query('select id, applied_at from switchyard_migrations order by id')).rows).toEqual(before);
    expect(await migrationStatus(db)).toMatchObject({ pending: [], unknown: [] });
  });

  it('applies each migration once, and later only the new ones', async () => {
    const { db } = testDb;
    await db.exec('drop table switchyard_migrations'); // this schema now plays an empty database
    expect(await migrate(db, logged(3))).toEqual([1, 2, 3]);
    expect(await migrate(db, logged(3))).toEqual([]);
    expect(await migrate(db, logged(4))).toEqual([4]);
    expect(await logOf(db)).toEqual([1, 2, 3, 4]);
    expect(await migrationStatus(db, logged(5))).toMatchObject({ latestApplied: 4, latestKnown: 5, pending: [5] });
  });

  it('rolls a failing migration back whole, its record included, and applies it once fixed', async () => {
    const { db } = testDb;
    await db.exec('drop table switchyard_migrations');
    const broken = [...logged(2), { id: 3, name: 'broken', sql: 'insert into migration_log values (3); select nope;' }];
    await expect(migrate(db, broken)).rejects.toThrow(/Migration 3 \(broken\) failed/);
    expect(await logOf(db)).toEqual([1, 2]);
    expect((await migrationStatus(db, broken)).pending).toEqual([3]);
    expect(await migrate(db, logged(3))).toEqual([3]);
    expect(await logOf(db)).toEqual([1, 2, 3]);
  });

  it('refuses to start when an applied migration was edited, before applying anything new', async () => {
    const { db } = testDb;
    await db.exec('drop table switchyard_migrations');
    expect(await migrate(db, logged(2))).toEqual([1, 2]);
    const edited = logged(3).map((m) => (m.id === 2 ? { ...m, sql: `${m.sql}\n-- a harmless-looking comment` } : m));
    await expect(migrate(db, edited)).rejects.toThrow(
      /Migration 2 \(step_2\) changed after it was applied to this database\. A committed migration is never edited/,
    );
    expect(await logOf(db)).toEqual([1, 2]); // migration 3 was not applied
    expect(await migrationStatus(db, edited)).toMatchObject({ edited: [2], pending: [3] });
    // Line endings are not an edit: a checkout with CRLF reads the same.
    const crlf = logged(3).map((m) => ({ ...m, sql: m.sql.replace(/\n/g, '\r\n') }));
    expect(await migrate(db, crlf)).toEqual([3]);
  });

  it('records checksums on a database migrated before they existed, then holds it to them', async () => {
    const { db } = testDb;
    await db.exec('drop table switchyard_migrations');
    await db.exec(`create table switchyard_migrations (id integer primary key, name text not null,
      applied_at timestamptz not null default now());
      create table migration_log (id integer not null); insert into migration_log values (1);
      insert into switchyard_migrations (id, name) values (1, 'step_1')`);
    expect(await migrationStatus(db, logged(2))).toMatchObject({ edited: [], pending: [2] });
    expect(await migrate(db, logged(2))).toEqual([2]);
    const rows = (await db.query<{ checksum: string }>('select checksum from switchyard_migrations order by id')).rows;
    expect(rows.map((r) => r.checksum)).toEqual(logged(2).map((m) => migrationChecksum(m.sql)));
    await expect(migrate(db, [{ ...logged(1)[0]!, sql: 'select 1' }])).rejects.toThrow(MigrationEditedError);
  });

  it('refuses migration files with gaps or bad names', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-migrations-'));
    try {
      fs.writeFileSync(path.join(dir, '0001_first.sql'), 'select 1;');
      fs.writeFileSync(path.join(dir, '0003_third.sql'), 'select 1;');
      expect(() => loadMigrations(dir)).toThrow(/without gaps/);
      fs.renameSync(path.join(dir, '0003_third.sql'), path.join(dir, '2_Second.sql'));
      expect(() => loadMigrations(dir)).toThrow(/0001_name\.sql/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('two nodes migrating one schema at once both succeed and apply each migration exactly once', async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const url = testDatabaseUrl();
    const a = await openPostgres({ url, schema, namespace: schema });
    const b = await openPostgres({ url, schema, namespace: schema });
    try {
      const [first, second] = await Promise.all([migrate(a, logged(6)), migrate(b, logged(6))]);
      expect([...first, ...second].sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(await logOf(a)).toEqual([1, 2, 3, 4, 5, 6]);

      // And the real migrations, on a second fresh schema.
      await a.exec('drop table switchyard_migrations; drop table migration_log');
      const [x, y] = await Promise.all([migrate(a), migrate(b)]);
      expect([...x, ...y].sort((p, q) => p - q)).toEqual(loadMigrations().map((m) => m.id));
      expect(await migrationStatus(a)).toMatchObject({ pending: [], unknown: [] });
    } finally {
      await a.exec(`drop schema if exists "${schema}" cascade`);
      await Promise.all([a.close(), b.close()]);
    }
  });
});
