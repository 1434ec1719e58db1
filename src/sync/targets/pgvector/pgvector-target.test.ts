import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../../../../test/helpers/db.js';
import { startPgvectorServer, type PgvectorServer } from '../../../../test/helpers/pgvector-server.js';
import { parseCidr } from '../../../core/net/cidr.js';
import type { SyncRecord, WriteRequest } from '../../engine/types.js';
import { createPgvectorTarget, type PgvectorTargetOptions } from './index.js';

// The real pgvector (PGlite's build of the extension), reached over TCP with a connection string: see
// test/helpers/pgvector-server.ts for why it is PGlite and not Debian's PostgreSQL.
const allow = [parseCidr('127.0.0.0/8')];
let server: PgvectorServer;
let admin: pg.Client;

beforeAll(async () => {
  server = await startPgvectorServer();
  admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await server?.stop();
});

const logs: string[] = [];
function request(name: string, extra: Partial<WriteRequest> = {}): WriteRequest {
  return {
    name,
    primaryKey: ['id'],
    fields: [],
    fullRefresh: false,
    executionId: `exec-${randomBytes(4).toString('hex')}`,
    deletion: { mode: 'soft', maxDeleteShare: 1 },
    signal: new AbortController().signal,
    log: (_level, message) => logs.push(message),
    ...extra,
  };
}

const target = (extra: Partial<PgvectorTargetOptions> = {}) =>
  createPgvectorTarget({
    connectionString: server.url,
    allow,
    dimensions: 3,
    embeddingField: 'embedding',
    ...extra,
  });

async function rows(table: string, where = 'true') {
  const result = await admin.query(
    `select id, embedding::text as embedding, metadata, _switchyard_deleted_at is not null as deleted
     from public.${table} where ${where} order by id`,
  );
  return result.rows;
}

const doc = (id: number, embedding: unknown = [id, id / 2, -id], extra: SyncRecord = {}) => ({
  id,
  title: `doc ${id}`,
  embedding,
  ...extra,
});

describe('pgvector target', () => {
  it('creates the extension and a vector(N) table, and upserts rows counting created, updated and unchanged', async () => {
    const writer = await target().open(request('docs'));
    expect(await writer.write([doc(1), doc(2), doc(3)])).toEqual({
      created: 3,
      updated: 0,
      unchanged: 0,
      rejected: [],
    });
    expect(await writer.write([doc(1), doc(2, [0.5, 0.25, 1e-3], { title: 'moved' }), doc(4)])).toEqual({
      created: 1,
      updated: 1,
      unchanged: 1,
      rejected: [],
    });
    expect(await writer.finish()).toEqual({ deleted: 0 });
    const extension = await admin.query(`select extversion from pg_extension where extname = 'vector'`);
    expect(extension.rows).toHaveLength(1);
    const columns = await admin.query(
      `select attname, format_type(atttypid, atttypmod) as type from pg_attribute
       where attrelid = 'public.docs'::regclass and attnum > 0 and not attisdropped order by attnum`,
    );
    expect(columns.rows.map((c) => `${c.attname}:${c.type}`)).toEqual([
      'id:text',
      'embedding:vector(3)',
      'metadata:jsonb',
      '_switchyard_synced_at:timestamp with time zone',
      '_switchyard_deleted_at:timestamp with time zone',
    ]);
    expect(await rows('docs')).toEqual([
      { id: '1', embedding: '[1,0.5,-1]', metadata: { title: 'doc 1' }, deleted: false },
      { id: '2', embedding: '[0.5,0.25,0.001]', metadata: { title: 'moved' }, deleted: false },
      { id: '3', embedding: '[3,1.5,-3]', metadata: { title: 'doc 3' }, deleted: false },
      { id: '4', embedding: '[4,2,-4]', metadata: { title: 'doc 4' }, deleted: false },
    ]);
  });

  it('rejects a record whose embedding is the wrong length, not numbers or missing, or that has no id; the rest are written', async () => {
    const writer = await target().open(request('checked'));
    const batch: SyncRecord[] = [
      doc(1),
      doc(2, [1, 2]),
      doc(3, [1, 'two', 3]),
      doc(4, null),
      doc(5, '[5,5,5]'),
      { id: null, embedding: [1, 1, 1] },
      doc(7, [1, Number.NaN, 1]),
      doc(8, 'not a vector'),
    ];
    const outcome = await writer.write(batch);
    await writer.finish();
    expect(outcome).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
    expect(outcome.rejected.map((r) => [r.record, r.reason])).toEqual([
      [batch[1], 'the embedding "embedding" has 2 values; the target takes 3 (its dimensions)'],
      [batch[2], 'value 2 of the embedding "embedding" is not a finite number: "two"'],
      [batch[3], 'no embedding: the field "embedding" is empty'],
      [batch[5], 'no id: the field "id" is empty'],
      [batch[6], 'value 2 of the embedding "embedding" is not a finite number: null'],
      [batch[7], 'the embedding "embedding" is text that is not a list of numbers'],
    ]);
    expect((await rows('checked')).map((r) => [r.id, r.embedding])).toEqual([
      ['1', '[1,0.5,-1]'],
      ['5', '[5,5,5]'],
    ]);
  });

  it('takes the id from a configured field and keeps only the listed metadata fields', async () => {
    const writer = await target({ idField: 'slug', metadataFields: ['title', 'lang'] }).open(request('picked'));
    const outcome = await writer.write([
      { id: 1, slug: 'intro', title: 'Intro', lang: 'en', body: 'long text', embedding: [1, 0, 0] },
      { id: 2, slug: 'usage', title: 'Usage', embedding: [0, 1, 0] },
    ]);
    await writer.finish();
    expect(outcome.rejected).toEqual([]);
    expect(await rows('picked')).toEqual([
      { id: 'intro', embedding: '[1,0,0]', metadata: { title: 'Intro', lang: 'en' }, deleted: false },
      { id: 'usage', embedding: '[0,1,0]', metadata: { title: 'Usage' }, deleted: false },
    ]);
  });

  it('a full refresh replaces the rows and soft-deletes those the source no longer has; tombstones delete by id', async () => {
    let writer = await target().open(request('refreshed'));
    await writer.write([doc(1), doc(2), doc(3)]);
    await writer.finish();

    writer = await target().open(request('refreshed', { fullRefresh: true }));
    expect(await writer.write([doc(1), doc(3, [9, 9, 9])])).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    // Nothing is applied before the refresh finishes.
    expect((await rows('refreshed', '_switchyard_deleted_at is null')).map((r) => r.id)).toEqual(['1', '2', '3']);
    expect(await writer.finish()).toEqual({ deleted: 1 });
    expect((await rows('refreshed')).map((r) => [r.id, r.embedding, r.deleted])).toEqual([
      ['1', '[1,0.5,-1]', false],
      ['2', '[2,1,-2]', true],
      ['3', '[9,9,9]', false],
    ]);

    writer = await target().open(request('refreshed', { deletion: { mode: 'hard', maxDeleteShare: 1 } }));
    expect(await writer.delete?.([{ id: 3 }])).toBe(1);
    await writer.finish();
    expect((await rows('refreshed')).map((r) => r.id)).toEqual(['1', '2']);
  });

  it('builds the hnsw index when the run finishes, and pgvector answers nearest-neighbour queries over it', async () => {
    const writer = await target({ index: { method: 'hnsw', distance: 'cosine' } }).open(request('indexed'));
    await writer.write([
      { id: 'north', embedding: [0, 1, 0] },
      { id: 'east', embedding: [1, 0, 0] },
      { id: 'up', embedding: [0, 0, 1] },
    ]);
    await writer.finish();
    const index = await admin.query(
      `select indexdef from pg_indexes where tablename = 'indexed' and indexdef like '%hnsw%'`,
    );
    expect(index.rows[0]?.indexdef).toMatch(/USING hnsw \(embedding (public\.)?vector_cosine_ops\)/);
    const nearest = await admin.query(`select id from public.indexed order by embedding <=> '[0.9,0.1,0]' limit 2`);
    expect(nearest.rows.map((r) => r.id)).toEqual(['east', 'north']);
  });

  it('refuses a table whose embedding has other dimensions, naming both', async () => {
    await admin.query('create table public.wider (id text primary key, embedding vector(5) not null, metadata jsonb)');
    await expect(target().open(request('wider'))).rejects.toMatchObject({
      code: 'target_dimensions_mismatch',
      message: expect.stringMatching(/embedding is vector\(5\), not vector\(3\)/),
    });
  });

  it('reaches only addresses the SSRF guard allows', async () => {
    const blocked = createPgvectorTarget({
      connectionString: 'postgresql://postgres:x@10.1.2.3:5432/postgres',
      allow,
      dimensions: 3,
      embeddingField: 'embedding',
    });
    await expect(blocked.open(request('never'))).rejects.toMatchObject({ code: 'destination_blocked' });
  });
});

describe('pgvector target on a PostgreSQL server without pgvector', () => {
  it('says the server cannot create the extension, and creates nothing', async () => {
    const schema = `novec_${randomBytes(4).toString('hex')}`;
    const plain = new pg.Client({ connectionString: testDatabaseUrl() });
    await plain.connect();
    try {
      await plain.query(`create schema ${schema}`);
      const onPlain = createPgvectorTarget({
        connectionString: testDatabaseUrl(),
        allow,
        schema,
        dimensions: 3,
        embeddingField: 'embedding',
      });
      await expect(onPlain.open(request('docs'))).rejects.toMatchObject({
        code: 'target_extension_unavailable',
        message: expect.stringContaining('"vector"'),
      });
      const tables = await plain.query('select count(*)::int as n from pg_tables where schemaname = $1', [schema]);
      expect(tables.rows[0]?.n).toBe(0);
    } finally {
      await plain.query(`drop schema if exists ${schema} cascade`);
      await plain.end();
    }
  });
});
