import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestResponse } from '../../test/helpers/app.js';
import { startFakeVendor } from '../../test/helpers/fake-vendor.js';
import { auditOf, expectProblem, rowCounts } from '../../test/helpers/fixtures.js';

/**
 * Events and audit entries of the connections API: each change publishes its event in its own transaction (a
 * failing event insert undoes the change), and every mutating call writes exactly one audit entry.
 */

let t: TestApp;
let vendor: Awaited<ReturnType<typeof startFakeVendor>>;
beforeEach(async () => {
  t = await createTestApp();
  vendor = await startFakeVendor({
    '/me': (req) =>
      req.headers['x-api-key'] === 'good' ? { json: { id: 'acct_1' } } : { status: 401, json: { message: 'no' } },
  });
});
afterEach(async () => {
  await t.close();
  await vendor.close();
});

const create = (apiKey = 'good', extra: Record<string, unknown> = {}) =>
  t.request({
    method: 'POST',
    url: '/v1/connections',
    body: {
      connector: 'generic_rest',
      name: 'Events API',
      config: { base_url: vendor.url, test_path: '/me', account_id_path: '$.id' },
      credentials: { api_key: apiKey },
      ...extra,
    },
  });
const call = (method: 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, token?: string) =>
  t.request({ method, url, ...(body !== undefined ? { body } : {}), ...(token ? { token } : {}) });
const events = async () =>
  (await t.db.query<{ type: string; data: Record<string, unknown> }>('select type, data from events order by id')).rows;

/** Make inserts into `table` fail when `condition` (SQL over `new`) holds: a fault injected into the transaction. */
async function failInserts(table: string, condition: string) {
  await t.db.exec(`
    create function fail_insert() returns trigger language plpgsql as $$
    begin
      if ${condition} then raise exception 'injected failure'; end if;
      return new;
    end $$;
    create trigger fail_insert before insert on ${table} for each row execute function fail_insert();`);
}

describe('connection events', () => {
  it('each change publishes its event with the data a subscriber needs, and never a credential', async () => {
    const id = (await create()).data.id as string;
    await call('PATCH', `/v1/connections/${id}`, { name: 'Renamed', credentials: { api_key: 'good' } });
    await call('POST', `/v1/connections/${id}/pause`);
    await call('POST', `/v1/connections/${id}/resume`);
    await call('DELETE', `/v1/connections/${id}`);
    const base = { connection_id: id };
    expect(await events()).toEqual([
      {
        type: 'connection.created',
        data: { ...base, connector: 'generic_rest', name: 'Events API', state: 'active', vendor_account_id: 'acct_1' },
      },
      { type: 'connection.updated', data: { ...base, fields: ['name', 'credentials'] } },
      {
        type: 'connection.state_changed',
        data: { ...base, connector: 'generic_rest', from: 'active', to: 'paused', reason: 'paused by an operator' },
      },
      {
        type: 'connection.state_changed',
        data: { ...base, connector: 'generic_rest', from: 'paused', to: 'active', reason: null },
      },
      { type: 'connection.tested', data: { ...base, outcome: 'connected', state: 'active' } },
      { type: 'connection.deleted', data: { ...base, connector: 'generic_rest', name: 'Renamed' } },
    ]);
    expect(JSON.stringify(await events())).not.toContain('good');
  });

  it('create: a failing event insert leaves no connection, credential or history behind', async () => {
    await failInserts('events', "new.type = 'connection.created'");
    expectProblem(await create(), 500, 'internal_error');
    expect(await rowCounts(t, ['connections', 'connection_credentials', 'connection_state_history', 'events'])).toEqual(
      { connections: 0, connection_credentials: 0, connection_state_history: 0, events: 0 },
    );
  });

  it('edit, pause and delete are undone when their event cannot be written', async () => {
    const id = (await create()).data.id as string;
    await failInserts('events', "new.type <> 'connection.created'");
    expectProblem(await call('PATCH', `/v1/connections/${id}`, { name: 'Never' }), 500, 'internal_error');
    expectProblem(await call('POST', `/v1/connections/${id}/pause`), 500, 'internal_error');
    expectProblem(await call('DELETE', `/v1/connections/${id}`), 500, 'internal_error');
    const after = await t.request({ url: `/v1/connections/${id}` });
    expect(after.data).toMatchObject({ name: 'Events API', state: 'active' });
    expect(await rowCounts(t, ['connection_credentials', 'events'])).toEqual({ connection_credentials: 1, events: 1 });
  });

  it('a test whose outcome cannot be recorded does not leave the connection in testing', async () => {
    const id = (await create()).data.id as string;
    await failInserts('events', "new.type = 'connection.tested'");
    expectProblem(await call('POST', `/v1/connections/${id}/test`), 500, 'internal_error');
    const after = await t.request({ url: `/v1/connections/${id}` });
    expect(after.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected' } });
  });

  it('the audit entry is part of the change: when it cannot be written, the change and its event are undone', async () => {
    await failInserts('audit_log', "new.action = 'connection.create' and new.outcome = 'success'");
    expectProblem(await create(), 500, 'internal_error');
    expect(await rowCounts(t, ['connections', 'events'])).toEqual({ connections: 0, events: 0 });
  });
});

describe('audit entries of the connections API', () => {
  type Expectation = [TestResponse, string, string, Record<string, unknown>?];

  it('every mutating call writes exactly one entry, successes and refusals alike', async () => {
    const editor = (await t.keyWithRole('editor')).token;
    const created = await create();
    const id = created.data.id as string;
    const url = `/v1/connections/${id}`;
    const cases: Expectation[] = [
      [created, 'connection.create', 'success', { connector: 'generic_rest', name: 'Events API', state: 'active' }],
      [await create('bad'), 'connection.create', 'failure'],
      [await create('good', { connector: 'nope' }), 'connection.create', 'failure'],
      [
        await call('PATCH', url, { name: 'New name' }),
        'connection.update',
        'success',
        { fields: ['name'], credentials_rotated: false },
      ],
      [await call('PATCH', url, { credentials: { api_key: 'x' } }, editor), 'connection.update', 'denied'],
      [await call('POST', `${url}/test`), 'connection.test', 'success', { outcome: 'connected', state: 'active' }],
      [await call('POST', `${url}/pause`), 'connection.pause', 'success', { state: 'paused' }],
      [await call('POST', `${url}/pause`), 'connection.pause', 'failure'],
      [await call('POST', `${url}/resume`), 'connection.resume', 'success', { outcome: 'connected', state: 'active' }],
      [await call('DELETE', url), 'connection.delete', 'success', { connector: 'generic_rest', name: 'New name' }],
      [await call('DELETE', url), 'connection.delete', 'failure'],
    ];
    for (const [res, action, outcome, diff] of cases) {
      const entries = await auditOf(t, res);
      expect(entries, `${action} ${res.statusCode}`).toHaveLength(1);
      expect(entries[0]).toMatchObject({ action, outcome, status_code: res.statusCode });
      if (diff) expect(entries[0]?.diff, action).toEqual(diff);
      if (res.statusCode < 400 || res.statusCode === 404) expect(entries[0]?.target_id).toBe(id);
    }
    const dump = JSON.stringify((await t.db.query('select * from audit_log')).rows);
    expect(dump).not.toMatch(/"(good|bad|x)"/);
  });
});
