import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { createApiKeyConnection } from '../../../test/helpers/catalog.js';
import { createRole, expectProblem } from '../../../test/helpers/fixtures.js';
import type { WriteRequest } from '../engine/types.js';
import { createRecordStoreTarget } from './target.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(() => t.close());

type FeedRecord = {
  id: string;
  data: Record<string, unknown>;
  _switchyard: {
    first_seen_at: string;
    last_modified_at: string;
    deleted_at: string | null;
    action: string;
    cursor: string;
  };
};

async function writer(connectionId: string, request: Partial<WriteRequest> & { executionId: string }) {
  const target = createRecordStoreTarget({ db: t.db, tenantId: t.tenantId, connectionId });
  return target.open({
    name: 'contacts',
    primaryKey: ['id'],
    fields: [],
    fullRefresh: false,
    deletion: { mode: 'soft', maxDeleteShare: 0.5 },
    signal: new AbortController().signal,
    log: () => {},
    ...request,
  });
}

/**
 * A connection with contacts a, b, c, d written by one run, then a full refresh that sees a and c unchanged, b
 * changed and d no more: the feed holds a and c (added), b (updated), d (deleted), in that order.
 */
async function syncedConnection(): Promise<string> {
  const id = await createApiKeyConnection(t);
  const first = await writer(id, { executionId: 'ex_first' });
  await first.write(['a', 'b', 'c', 'd'].map((key) => ({ id: key, name: `contact ${key}` })));
  const refresh = await writer(id, { executionId: 'ex_refresh', fullRefresh: true });
  await refresh.write([
    { id: 'a', name: 'contact a' },
    { id: 'b', name: 'contact b, renamed' },
    { id: 'c', name: 'contact c' },
  ]);
  expect(await refresh.finish()).toEqual({ deleted: 1 });
  return id;
}

async function feed(query: string, token?: string) {
  const res = await t.request({ url: `/v1/records?${query}`, ...(token ? { token } : {}) });
  expect(res.statusCode, res.body).toBe(200);
  return res.data as { records: FeedRecord[]; next_cursor: string | null };
}

const summary = (records: FeedRecord[]) => records.map((r) => `${r.id}:${r._switchyard.action}`);

describe('GET /v1/records', () => {
  it('reads the changes in the order they were made, with their data and metadata', async () => {
    const conn = await syncedConnection();
    const { records, next_cursor } = await feed(`connection_id=${conn}&model=contacts`);
    expect(summary(records)).toEqual(['a:added', 'c:added', 'b:updated', 'd:deleted']);
    expect(next_cursor).toBeNull();
    const [a, , b, d] = records as [FeedRecord, FeedRecord, FeedRecord, FeedRecord];
    expect(a.data).toEqual({ id: 'a', name: 'contact a' });
    expect(a._switchyard.last_modified_at).toBe(a._switchyard.first_seen_at);
    expect(a._switchyard.deleted_at).toBeNull();
    expect(b.data.name).toBe('contact b, renamed');
    expect(Date.parse(b._switchyard.last_modified_at)).toBeGreaterThan(Date.parse(b._switchyard.first_seen_at));
    expect(d._switchyard.deleted_at).toBe(d._switchyard.last_modified_at);
    expect(d.data).toEqual({ id: 'd', name: 'contact d' });
  });

  it('pages with next_cursor, and goes on from the cursor of any record', async () => {
    const conn = await syncedConnection();
    const first = await feed(`connection_id=${conn}&model=contacts&limit=3`);
    expect(summary(first.records)).toEqual(['a:added', 'c:added', 'b:updated']);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = await feed(`connection_id=${conn}&model=contacts&limit=3&cursor=${first.next_cursor}`);
    expect(summary(second.records)).toEqual(['d:deleted']);
    expect(second.next_cursor).toBeNull();
    const afterA = await feed(`connection_id=${conn}&model=contacts&cursor=${first.records[0]?._switchyard.cursor}`);
    expect(summary(afterA.records)).toEqual(['c:added', 'b:updated', 'd:deleted']);

    // A later change of a record moves it to the end of the feed, after the cursor a reader stored.
    const stored = second.records[0]?._switchyard.cursor as string;
    const again = await writer(conn, { executionId: 'ex_again' });
    expect(await again.write([{ id: 'a', name: 'contact a, again' }])).toMatchObject({ updated: 1 });
    const later = await feed(`connection_id=${conn}&model=contacts&cursor=${stored}`);
    expect(summary(later.records)).toEqual(['a:updated']);
    expect(later.records[0]?.data.name).toBe('contact a, again');
  });

  it('filters by change and by modification time', async () => {
    const conn = await syncedConnection();
    const base = `connection_id=${conn}&model=contacts`;
    expect(summary((await feed(`${base}&filter=deleted`)).records)).toEqual(['d:deleted']);
    expect(summary((await feed(`${base}&filter=added,updated`)).records)).toEqual(['a:added', 'c:added', 'b:updated']);
    const all = (await feed(base)).records;
    const firstRun = all[0]?._switchyard.last_modified_at as string;
    expect(summary((await feed(`${base}&modified_after=${firstRun}`)).records)).toEqual(['b:updated', 'd:deleted']);
    expect((await feed(`connection_id=${conn}&model=leads`)).records).toEqual([]);
  });

  it('refuses a cursor it did not issue, and bad filters', async () => {
    const conn = await syncedConnection();
    const forged = Buffer.from(JSON.stringify({ id: 'drop table' })).toString('base64url');
    for (const cursor of ['not-a-cursor', forged]) {
      const res = await t.request({ url: `/v1/records?connection_id=${conn}&model=contacts&cursor=${cursor}` });
      expectProblem(res, 400, 'validation_failed');
      expect(res.data.errors).toEqual([{ path: 'querystring.cursor', message: 'invalid cursor' }]);
    }
    expectProblem(
      await t.request({ url: `/v1/records?connection_id=${conn}&model=contacts&filter=created` }),
      400,
      'validation_failed',
    );
    expectProblem(await t.request({ url: `/v1/records?connection_id=${conn}` }), 400, 'validation_failed');
  });
});

describe('GET /v1/records/export', () => {
  it('downloads the live records in each format, formulas escaped, and an empty model as an empty document', async () => {
    const conn = await syncedConnection();
    const extra = await writer(conn, { executionId: 'ex_extra' });
    await extra.write([{ id: 'e', name: '=HYPERLINK("x")', tags: ['vip'], score: 3 }]);
    const download = (format: string, model = 'contacts') =>
      t.request({ url: `/v1/records/export?connection_id=${conn}&model=${model}&format=${format}` });

    const csv = await download('csv');
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="contacts.csv"');
    // Live records only (d was deleted), in change order; the columns as the records first carry them (a stored
    // record's keys are in the store's order: shorter first).
    expect(csv.body.trim().split(/\r?\n/)).toEqual([
      'id,name,score,tags',
      'a,contact a,,',
      'c,contact c,,',
      'b,"contact b, renamed",,',
      `e,"'=HYPERLINK(""x"")",3,"[""vip""]"`,
    ]);
    const ndjson = await download('ndjson');
    expect(
      ndjson.body
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { id: string }).id),
    ).toEqual(['a', 'c', 'b', 'e']);
    const json = await download('json');
    expect((JSON.parse(json.body) as { id: string }[]).map((r) => r.id)).toEqual(['a', 'c', 'b', 'e']);
    const xml = await download('xml');
    expect(xml.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(xml.body).toContain('contact b, renamed');

    expect(JSON.parse((await download('json', 'nothing')).body)).toEqual([]);
    expectProblem(await download('yaml'), 400, 'validation_failed');
    expectProblem(
      await t.request({ url: '/v1/records/export?connection_id=conn_nope&model=contacts' }),
      404,
      'not_found',
    );
  });
});

describe('GET /v1/records/models', () => {
  it('lists the models with live and deleted counts, the last change and where the feed ends', async () => {
    const conn = await syncedConnection();
    const res = await t.request({ url: `/v1/records/models?connection_id=${conn}` });
    expect(res.statusCode, res.body).toBe(200);
    const all = (await feed(`connection_id=${conn}&model=contacts`)).records;
    expect(res.data).toEqual({
      data: [
        {
          model: 'contacts',
          records: 3,
          deleted: 1,
          last_modified_at: all.at(-1)?._switchyard.last_modified_at,
          latest_cursor: all.at(-1)?._switchyard.cursor,
        },
      ],
    });
    const empty = await t.request({ url: `/v1/records/models?connection_id=${await createApiKeyConnection(t)}` });
    expect(empty.data).toEqual({ data: [] });
  });
});

describe('access', () => {
  it('answers 404 for an unknown connection and for one of another tenant, whose records it never shows', async () => {
    const other = await t.otherTenant();
    const theirs = await createApiKeyConnection(t, {}, other.token);
    const target = createRecordStoreTarget({ db: t.db, tenantId: other.tenantId, connectionId: theirs });
    const w = await target.open({
      name: 'contacts',
      primaryKey: ['id'],
      fields: [],
      fullRefresh: false,
      executionId: 'ex_other',
      deletion: { mode: 'soft', maxDeleteShare: 0.5 },
      signal: new AbortController().signal,
      log: () => {},
    });
    await w.write([{ id: 'secret', name: 'their contact' }]);

    for (const url of [
      `/v1/records?connection_id=${theirs}&model=contacts`,
      `/v1/records/models?connection_id=${theirs}`,
      '/v1/records?connection_id=conn_missing&model=contacts',
      '/v1/records/models?connection_id=conn_missing',
    ]) {
      const res = await t.request({ url });
      expectProblem(res, 404, 'not_found');
      expect(res.body).not.toContain('their contact');
    }
    const own = await feed(`connection_id=${theirs}&model=contacts`, other.token);
    expect(summary(own.records)).toEqual(['secret:added']);
  });

  it('needs view_syncs', async () => {
    const conn = await syncedConnection();
    const viewer = await t.keyWithRole('viewer');
    expect(summary((await feed(`connection_id=${conn}&model=contacts`, viewer.token)).records)).toHaveLength(4);
    const without = await t.keyWithRole(await createRole(t, ['list_connections']));
    for (const url of [
      `/v1/records?connection_id=${conn}&model=contacts`,
      `/v1/records/models?connection_id=${conn}`,
    ]) {
      const res = await t.request({ url, token: without.token });
      expectProblem(res, 403, 'forbidden');
      expect(res.data.missing_capability).toBe('view_syncs');
    }
  });
});

describe('POST /v1/records/export', () => {
  it('writes a model to the files store in the format asked for, refusing callers without view_syncs', async () => {
    const conn = await syncedConnection();
    const res = await t.request({
      method: 'POST',
      url: '/v1/records/export',
      body: { connection_id: conn, model: 'contacts', format: 'csv' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({
      name: 'contacts.csv',
      folder: '/exports',
      media_type: 'text/csv',
      source: { kind: 'export', connection_id: conn, model: 'contacts' },
    });
    const content = await t.request({ url: `/v1/files/${res.data.id as string}/content` });
    expect(content.body.trim().split(/\r?\n/)).toEqual([
      'id,name',
      'a,contact a',
      'c,contact c',
      'b,"contact b, renamed"',
    ]);

    const key = await t.keyWithRole(await createRole(t, ['manage_files']));
    const refused = await t.request({
      method: 'POST',
      url: '/v1/records/export',
      token: key.token,
      body: { connection_id: conn, model: 'contacts' },
    });
    expectProblem(refused, 403, 'forbidden');
    expect(refused.data.missing_capability).toBe('view_syncs');
  });
});
