import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Json, type TestApp } from '../../../../test/helpers/app.js';
import { testDatabaseUrl } from '../../../../test/helpers/db.js';
import { startPgvectorServer, type PgvectorServer } from '../../../../test/helpers/pgvector-server.js';
import { finishedRun, startRun } from '../../../../test/helpers/syncs.js';

/**
 * A sync into pgvector end to end, as a tenant sets it up: a PostgreSQL table (the suite's server) read in full and
 * written into a PostgreSQL connection with pgvector (test/helpers/pgvector-server.ts) through the API and the runner.
 */
describe('sync into a pgvector target', () => {
  const schema = `vsrc_${randomBytes(4).toString('hex')}`;
  let t: TestApp;
  let vectors: PgvectorServer;
  let admin: pg.Client;
  let sourceId: string;
  let targetId: string;

  const connect = async (name: string, connectionString: string) => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/connections',
      body: { connector: 'postgresql', name, credentials: { connection_string: connectionString } },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.data.id as string;
  };

  beforeAll(async () => {
    t = await createTestApp();
    vectors = await startPgvectorServer();
    admin = new pg.Client({ connectionString: vectors.url });
    await admin.connect();
    await t.db.exec(`create schema ${schema}`);
    await t.db.exec(`create table ${schema}.docs (id integer primary key, title text not null, embedding jsonb)`);
    await t.db.exec(
      `insert into ${schema}.docs values (1, 'north', '[0, 1, 0]'), (2, 'east', '[1, 0, 0]'),
        (3, 'flat', '[1, 0]'), (4, 'up', '[0, 0, 1]'), (5, 'words', '["a", "b", "c"]')`,
    );
    sourceId = await connect('Documents', testDatabaseUrl());
    targetId = await connect('Vectors', vectors.url);
    await t.built.workers.syncRunner.start();
  });
  afterAll(async () => {
    await t?.built.workers.stop(5000);
    await t?.db.exec(`drop schema if exists ${schema} cascade`).catch(() => {});
    await t?.close();
    await admin?.end();
    await vectors?.stop();
  });

  const target = (extra: Json = {}) => ({ kind: 'pgvector', connection_id: targetId, dimensions: 3, ...extra });

  it('refuses an index on more dimensions than pgvector indexes', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/syncs',
      body: {
        name: 'too wide',
        type: 'full',
        source: { connection_id: sourceId, streams: [{ name: `${schema}.docs` }] },
        target: target({ dimensions: 3072, index: { method: 'hnsw' } }),
      },
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(JSON.stringify(res.data.errors)).toContain('at most 2,000 dimensions');
  });

  it('writes (id, embedding, metadata) rows, rejects the records whose embedding does not fit, and builds the index', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/v1/syncs',
      body: {
        name: 'docs into vectors',
        type: 'full',
        source: { connection_id: sourceId, streams: [{ name: `${schema}.docs`, target: 'docs' }] },
        target: target({ index: { method: 'hnsw', distance: 'cosine' } }),
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const run = await finishedRun(t, await startRun(t, created.data.id as string));
    expect(run).toMatchObject({ status: 'partial_success' });
    const rejected = await t.request({ url: `/v1/syncs/executions/${run.id as string}/rejected` });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect((rejected.data.data as Json[]).map((r) => [r.record_key, r.reason]).sort()).toEqual([
      ['3', 'the embedding "embedding" has 2 values; the target takes 3 (its dimensions)'],
      ['5', 'value 1 of the embedding "embedding" is not a finite number: "a"'],
    ]);
    const rows = await admin.query(`select id, embedding::text as embedding, metadata from public.docs order by id`);
    expect(rows.rows).toEqual([
      { id: '1', embedding: '[0,1,0]', metadata: { title: 'north' } },
      { id: '2', embedding: '[1,0,0]', metadata: { title: 'east' } },
      { id: '4', embedding: '[0,0,1]', metadata: { title: 'up' } },
    ]);
    const nearest = await admin.query(`select id from public.docs order by embedding <=> '[0.2, 0.9, 0.1]' limit 1`);
    expect(nearest.rows[0]?.id).toBe('1');
    const index = await admin.query(
      `select indexname from pg_indexes where tablename = 'docs' and indexdef like '%hnsw%'`,
    );
    expect(index.rows).toHaveLength(1);
  });
});
