import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../test/helpers/db.js';
import { loadMigrations, migrate } from '../../core/db/migrate.js';
import { listModels, readFeed } from './feed.js';
import { createRecordStoreTarget } from './target.js';

/** Migration 0026 carries a record store written before it (rows keyed by connection and model) into sync_models. */
let testDb: TestDb;

beforeAll(async () => {
  testDb = await createTestDb({ migrations: loadMigrations().filter((m) => m.id < 26) });
  const { db } = testDb;
  await db.query(`insert into tenants (id, name, slug) values ('ten_up', 'Up', 'up'), ('ten_other', 'Other', 'other')`);
  await db.query(
    `insert into connectors (slug, manifest, source, availability, management, manifest_hash)
     values ('up_vendor', '{}', 'custom', 'active', 'shared', 'x')`,
  );
  await db.query(
    `insert into connections (id, tenant_id, connector_slug, name, auth_method, credential_source, state)
     values ('conn_up', 'ten_up', 'up_vendor', 'up', 'api_key', 'tenant', 'active'),
            ('conn_other', 'ten_other', 'up_vendor', 'other', 'api_key', 'tenant', 'active')`,
  );
  await db.query(
    `insert into sync_records (tenant_id, connection_id, model, record_id, data, hash, last_execution_id, deleted_at)
     values ('ten_up', 'conn_up', 'people', '1', '{"id": 1, "tags": ["a", "b"]}', 'h1', 'ex_old', null),
            ('ten_up', 'conn_up', 'people', '2', '{"id": 2}', 'h2', 'ex_old', now()),
            ('ten_up', 'conn_up', 'deals', '9', '{"id": 9}', 'h9', 'ex_old', null),
            ('ten_other', 'conn_other', 'people', '1', '{"id": "theirs"}', 'hx', null, null)`,
  );
  expect(await migrate(db)).toEqual(loadMigrations().flatMap((m) => (m.id >= 26 ? [m.id] : [])));
});

afterAll(() => testDb.drop());

/** The change feed of a model as tenant ten_up reads it. */
const feedOf = (connectionId: string, model: string, afterSeq = 0) =>
  readFeed(testDb.db, { tenantId: 'ten_up', connectionId, model }, { afterSeq, limit: 10 });

describe('the record store after migration 0026', () => {
  it('reads the records written before it, each under its own connection, model and tenant', async () => {
    const { db } = testDb;
    const feed = await feedOf('conn_up', 'people');
    expect(feed.map((r) => [r.record_id, r.data, r.deleted_at !== null])).toEqual([
      ['1', { id: 1, tags: ['a', 'b'] }, false],
      ['2', { id: 2 }, true],
    ]);
    expect((await listModels(db, 'ten_up', 'conn_up')).map((m) => [m.model, m.records, m.deleted])).toEqual([
      ['deals', 1, 0],
      ['people', 1, 1],
    ]);
    // Another tenant's connection reads nothing of it, nor it of another tenant's.
    expect(await listModels(db, 'ten_up', 'conn_other')).toEqual([]);
    expect(await feedOf('conn_other', 'people')).toEqual([]);
  });

  it('goes on writing the same model: a changed record and a new one come after the old seqs', async () => {
    const { db } = testDb;
    const before = await feedOf('conn_up', 'deals');
    const writer = await createRecordStoreTarget({ db, tenantId: 'ten_up', connectionId: 'conn_up' }).open({
      name: 'deals',
      primaryKey: ['id'],
      fields: [],
      fullRefresh: false,
      executionId: 'ex_new',
      deletion: { mode: 'soft', maxDeleteShare: 0.5 },
      signal: new AbortController().signal,
      log: () => {},
    });
    expect(await writer.write([{ id: 9, stage: 'won' }, { id: 10 }])).toMatchObject({ created: 1, updated: 1 });
    const after = await feedOf('conn_up', 'deals', before.at(-1)?.seq);
    expect(after.map((r) => [r.record_id, r.data])).toEqual([
      ['9', { id: 9, stage: 'won' }],
      ['10', { id: 10 }],
    ]);
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int as n from sync_models where connection_id = 'conn_up' and model = 'deals'`,
    );
    expect(rows[0]?.n).toBe(1);
  });
});
