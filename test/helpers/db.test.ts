import { describe, expect, it } from 'vitest';
import { createTestDb } from './db.js';

/** The schemas tests share one after another must look new to each: the suite's isolation rests on it. */
describe('test databases', () => {
  it('hands an ended test’s schema to the next one empty, its sequences started over', async () => {
    const first = await createTestDb();
    await first.db.exec(`insert into tenants (id, slug, name) values ('ten_a', 'a', 'A')`);
    await first.db.exec(`insert into audit_log (id, tenant_id, actor_type, action, outcome)
                         values ('aud_a', 'ten_a', 'system', 'test.done', 'success')`);
    const before = await first.db.query<{ n: number }>(`select nextval('sync_records_seq') as n`);
    await first.db.query(`select nextval('sync_records_seq')`);
    const migrations = await first.db.query('select * from switchyard_migrations order by id');
    await first.drop();

    const second = await createTestDb();
    expect(second.schema).toBe(first.schema);
    expect((await second.db.query('select * from tenants')).rowCount).toBe(0);
    expect((await second.db.query('select * from audit_log')).rowCount).toBe(0);
    expect((await second.db.query<{ n: number }>(`select nextval('sync_records_seq') as n`)).rows).toEqual(before.rows);
    expect((await second.db.query('select * from switchyard_migrations order by id')).rows).toEqual(migrations.rows);
    await second.drop();
  });

  it('drops a schema whose test changed its structure, and the next test gets a new one', async () => {
    const first = await createTestDb();
    await first.db.exec('alter table tenants add column extra text');
    await first.drop();
    const second = await createTestDb();
    expect(second.schema).not.toBe(first.schema);
    const gone = await second.db.query('select 1 from pg_namespace where nspname = $1', [first.schema]);
    expect(gone.rowCount).toBe(0);
    await second.drop();
  });
});
