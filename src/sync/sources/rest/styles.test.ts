import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { installConnector } from '../../../../test/helpers/connectors.js';
import { drain, idsOf } from '../../../../test/fakes/connect.js';
import { finishedRun, startRun } from '../../../../test/helpers/syncs.js';
import { startFakeServer, type FakeReply, type FakeServer } from '../../../../test/fakes/server.js';
import { createRestPushTarget } from '../../targets/rest-push.js';
import { createRestSource } from './source.js';

// What the five vendors do not exercise: link headers, child streams, delta tokens with removals, JSON write bodies.
let t: TestApp | undefined;
let fake: FakeServer | undefined;
afterEach(async () => {
  await t?.close();
  await fake?.close();
  t = fake = undefined;
});

const items = Array.from({ length: 7 }, (_, i) => ({ id: i + 1, name: `item ${i + 1}` }));

async function setup() {
  fake = await startFakeServer((req): FakeReply => {
    const url = fake?.url ?? '';
    if (req.path === '/api/items' && req.method === 'GET') {
      const page = Number(req.query.get('page') ?? 1);
      const per = Number(req.query.get('per_page'));
      const rows = items.slice((page - 1) * per, page * per);
      const last = page * per >= items.length;
      return {
        headers: last
          ? {}
          : {
              link: `<${url}/api/items?page=${page + 1}&per_page=${per}>; rel="next", <${url}/api/items?page=3>; rel="last"`,
            },
        json: rows,
      };
    }
    const notes = /^\/api\/items\/(\d+)\/notes$/.exec(req.path);
    if (notes) return { json: { notes: [{ id: `n${notes[1]}a` }, { id: `n${notes[1]}b` }] } };
    if (req.path === '/api/changes') {
      const token = req.query.get('sync_token');
      if (!token) return { json: { changes: items.slice(0, 3), next_sync_token: 'tok-1' } };
      return {
        json: {
          changes: [
            { id: 2, name: 'renamed' },
            { id: 3, status: 'removed' },
          ],
          next_sync_token: 'tok-2',
        },
      };
    }
    if (req.path === '/api/odd')
      return {
        json: {
          odd: [
            { id: 1, name: 'fine' },
            { id: 2, name: 'nul\u0000 \ud800 here' },
          ],
        },
      };
    if (req.path === '/api/items' && req.method === 'POST') return { status: 201, json: { id: 99 } };
    return { status: 422, json: { message: `refused ${req.method} ${req.path}` } };
  });
  t = await createTestApp();
  const manifest = await installConnector(t, {
    slug: 'styles_api',
    streams: [
      {
        name: 'items',
        path: '/items',
        pagination: { style: 'link_header', limit_param: 'per_page', max_limit: 3 },
        write: {
          create: { method: 'POST', path: '/items' },
          update: { method: 'PATCH', path: '/items/{{record.id}}' },
          body: { item: '{{record}}' },
          error_path: '$.message',
        },
      },
      {
        name: 'notes',
        path: '/items/{{parent.id}}/notes',
        parent: { stream: 'items', field: 'id', as: 'item_id' },
        primary_key: ['item_id', 'id'],
        pagination: { style: 'none', results_path: '$.notes' },
      },
      { name: 'odd', path: '/odd', pagination: { style: 'none', results_path: '$.odd' } },
      {
        name: 'changes',
        path: '/changes',
        delta: {
          token_param: 'sync_token',
          token_path: '$.next_sync_token',
          deleted: { field: 'status', equals: 'removed' },
        },
        pagination: { style: 'none', results_path: '$.changes' },
      },
    ],
  });
  const res = await t.request({
    method: 'POST',
    url: '/v1/connections',
    body: {
      connector: 'styles_api',
      auth_method: 'bearer',
      credentials: { token: 'tok' },
      config: { base_url: `${fake.url}/api` },
      validate: false,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const connectionId = res.data.id as string;
  const app = t;
  return {
    fake,
    manifest,
    connectionId,
    source: createRestSource({ call: app.built.proxy.call, tenantId: app.tenantId, connectionId, manifest }),
  };
}

describe('REST source: pagination styles, child streams, delta tokens; push bodies', () => {
  it('follows rel="next" link headers on the same origin, under the base URL', async () => {
    const { source } = await setup();
    const read = await drain(source, 'items', 'full');
    expect(read.error).toBeUndefined();
    expect(idsOf(read.records)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(read.batches.map((b) => b.state)).toEqual([
      { next: expect.objectContaining({ url: expect.stringContaining('page=2') }) },
      { next: expect.any(Object) },
      {},
    ]);
  });

  it('reads a child stream for each parent record, adding the parent key, and resumes at the parent it stopped in', async () => {
    const { source } = await setup();
    const read = await drain(source, 'notes', 'full');
    expect(read.records).toHaveLength(14);
    expect(read.records[0]).toEqual({ id: 'n1a', item_id: 1 });
    const killed = await drain(source, 'notes', 'full', null, { stopAfter: 4 });
    const rest = await drain(source, 'notes', 'full', killed.state);
    expect([...killed.records, ...rest.records].map((r) => `${String(r.item_id)}/${String(r.id)}`)).toEqual(
      read.records.map((r) => `${String(r.item_id)}/${String(r.id)}`),
    );
  });

  it('reads a delta: the whole listing first, then only changes since the token, removals reported by key', async () => {
    const { source, fake } = await setup();
    const first = await drain(source, 'changes', 'delta');
    expect(first.records).toHaveLength(3);
    expect(first.state).toEqual({ delta_token: 'tok-1' });
    const next = await drain(source, 'changes', 'delta', first.state);
    expect(next.records).toEqual([{ id: 2, name: 'renamed' }]);
    expect(next.batches[0]?.deleted).toEqual([{ id: 3 }]);
    expect(next.state).toEqual({ delta_token: 'tok-2' });
    expect(fake.requests.at(-1)?.query.get('sync_token')).toBe('tok-1');
  });

  it('a delta sync removes from the record store what the vendor reports removed, under a renamed key', async () => {
    const { connectionId } = await setup();
    const app = t as TestApp;
    await app.built.workers.syncRunner.start();
    try {
      const created = await app.request({
        method: 'POST',
        url: '/v1/syncs',
        body: {
          name: 'changes',
          type: 'delta',
          source: { connection_id: connectionId, streams: [{ name: 'changes', target: 'changes' }] },
          mappings: {
            select: 'mapped',
            fields: [
              { from: 'id', to: 'item_id', cast: 'string' },
              { from: 'name', to: 'name' },
            ],
          },
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const syncId = created.data.id as string;
      const first = await finishedRun(app, await startRun(app, syncId));
      expect(first.records).toMatchObject({ processed: 3, created: 3, deleted: 0 });
      const second = await finishedRun(app, await startRun(app, syncId));
      expect(second.status, JSON.stringify(second)).toBe('success');
      expect(second.records).toMatchObject({ processed: 2, updated: 1, deleted: 1 });
      const feed = await app.request({ url: `/v1/records?connection_id=${connectionId}&model=changes` });
      expect(feed.statusCode, feed.body).toBe(200);
      const records = feed.data.records as { id: string; _switchyard: { action: string } }[];
      const byId = Object.fromEntries(records.map((r) => [r.id, r._switchyard.action]));
      expect(byId).toEqual({ '1': 'added', '2': 'updated', '3': 'deleted' });
    } finally {
      await app.built.workers.syncRunner.stop(5000);
    }
  });

  it('keeps a record the store refuses (a NUL) among the run’s rejected records, readable', async () => {
    const { connectionId } = await setup();
    const app = t as TestApp;
    await app.built.workers.syncRunner.start();
    try {
      const created = await app.request({
        method: 'POST',
        url: '/v1/syncs',
        body: { name: 'odd', type: 'full', source: { connection_id: connectionId, streams: [{ name: 'odd' }] } },
      });
      expect(created.statusCode, created.body).toBe(201);
      const run = await finishedRun(app, await startRun(app, created.data.id as string));
      expect([run.status, run.records]).toEqual([
        'partial_success',
        expect.objectContaining({ created: 1, failed: 1 }),
      ]);
      const rejected = await app.request({ url: `/v1/syncs/executions/${run.id as string}/rejected` });
      expect(rejected.data.data).toEqual([
        expect.objectContaining({
          record_key: '2',
          record: { id: 2, name: 'nul\ufffd \ufffd here' },
          reason: 'record holds a NUL character (U+0000), which the record store cannot keep',
        }),
      ]);
    } finally {
      await app.built.workers.syncRunner.stop(5000);
    }
  });

  it('pushes with the declared JSON body, and a refusal rejects that record only', async () => {
    const { fake, manifest, connectionId } = await setup();
    const app = t as TestApp;
    const target = createRestPushTarget({ call: app.built.proxy.call, tenantId: app.tenantId, connectionId, manifest });
    const writer = await target.open({
      name: 'items',
      primaryKey: ['name'],
      fields: [],
      fullRefresh: false,
      executionId: 'exec_1',
      deletion: { mode: 'none', maxDeleteShare: 1 },
      signal: new AbortController().signal,
      log: () => {},
    });
    const outcome = await writer.write([{ name: 'new' }, { id: 5, name: 'changed' }]);
    expect(outcome).toEqual({
      created: 1,
      updated: 0,
      unchanged: 0,
      rejected: [{ record: { id: 5, name: 'changed' }, reason: '422: refused PATCH /api/items/5' }],
      // The created item's answer has no id at the manifest's id path; a refused record has none.
      ids: [undefined, undefined],
    });
    const posted = fake.requests.find((r) => r.method === 'POST');
    expect(JSON.parse(posted?.body.toString() ?? '{}')).toEqual({ item: { name: 'new' } });
    expect(posted?.headers['content-type']).toBe('application/json');
  });
});
