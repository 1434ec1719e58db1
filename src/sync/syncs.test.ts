import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Json, type TestApp } from '../../test/helpers/app.js';
import { testDatabaseUrl } from '../../test/helpers/db.js';
import { finishedRun, startRun, until } from '../../test/helpers/syncs.js';

/**
 * The sync engine end to end, with its runner and scheduler running as in production: a PostgreSQL connection (a
 * role on the suite's server) read into the record store, incrementally; configuration checks; runs, cancel, reset,
 * state edits, paused connections, event and schedule triggers, and a run whose node died resuming elsewhere.
 */
describe('syncs', () => {
  const role = `sync_${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const schema = `src_${randomBytes(4).toString('hex')}`;
  let t: TestApp;
  let connectionId: string;

  const execution = async (id: string) => (await t.request({ url: `/v1/syncs/executions/${id}` })).data;
  const finished = (id: string) => finishedRun(t, id);
  const run = (syncId: string, body: Json = {}) => startRun(t, syncId, body);
  const createSync = async (body: Json) => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/syncs',
      body: {
        name: `people ${randomBytes(3).toString('hex')}`,
        source: { connection_id: connectionId, streams: [{ name: `${schema}.people`, target: 'people' }] },
        ...body,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.data.id as string;
  };

  beforeAll(async () => {
    t = await createTestApp({ config: { sync: { concurrency: 2, leaseMs: 1500, maxAttempts: 3 } } as never });
    const server = new URL(testDatabaseUrl());
    await t.db.exec(`create role ${role} login password '${password}'`);
    await t.db.exec(`create schema ${schema} authorization ${role}`);
    await t.db.exec(
      `create table ${schema}.people (id integer primary key, name text not null, email text, score numeric,
         updated_at timestamptz not null default now())`,
    );
    await t.db.exec(
      `insert into ${schema}.people select g, 'person ' || g, 'p' || g || '@example.test', g * 1.5,
         timestamptz '2026-01-01' + g * interval '1 second' from generate_series(1, 2000) g`,
    );
    await t.db.exec(`alter table ${schema}.people owner to ${role}`);
    const created = await t.request({
      method: 'POST',
      url: '/v1/connections',
      body: {
        connector: 'postgresql',
        name: 'Source DB',
        auth_method: 'connection_string',
        credentials: {
          connection_string: `postgresql://${role}:${encodeURIComponent(password)}@${server.host}${server.pathname}`,
        },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    connectionId = created.data.id as string;
    await t.built.workers.syncRunner.start();
    await t.built.workers.scheduler.start();
  });

  afterAll(async () => {
    await t?.built.workers.stop(5000);
    await t?.db.exec(`drop schema if exists ${schema} cascade`).catch(() => {});
    await t?.db.exec(`drop owned by ${role}`).catch(() => {});
    await t?.db.exec(`drop role if exists ${role}`).catch(() => {});
    await t?.close();
  });

  it('discovers tables with keys, fields and cursor candidates', async () => {
    const res = await t.request({ method: 'POST', url: '/v1/syncs/discover', body: { connection_id: connectionId } });
    expect(res.statusCode, res.body).toBe(200);
    const people = (res.data.streams as Json[]).find((s) => s.name === `${schema}.people`) as Json;
    expect(people.primary_key).toEqual(['id']);
    expect((people.fields as Json[]).map((f) => f.name)).toEqual(['id', 'name', 'email', 'score', 'updated_at']);
  });

  it('refuses a configuration it could not run, saying why', async () => {
    const base = { connection_id: connectionId, streams: [{ name: `${schema}.people` }] };
    const cron = await t.request({
      method: 'POST',
      url: '/v1/syncs',
      body: { name: 'x', source: base, schedule: { cron: '61 * * * *', timezone: 'UTC' } },
    });
    expect([cron.statusCode, cron.data.code]).toEqual([422, 'schedule_invalid']);
    const zone = await t.request({
      method: 'POST',
      url: '/v1/syncs',
      body: { name: 'x', source: base, schedule: { cron: '0 * * * *', timezone: 'Mars/Olympus' } },
    });
    expect([zone.statusCode, zone.data.code]).toEqual([422, 'schedule_invalid']);
    const stream = await t.request({
      method: 'POST',
      url: '/v1/syncs',
      body: { name: 'x', source: { ...base, streams: [{ name: `${schema}.nope` }] } },
    });
    expect([stream.statusCode, stream.data.code]).toEqual([422, 'stream_unknown']);
    const mapping = await t.request({
      method: 'POST',
      url: '/v1/syncs',
      body: {
        name: 'x',
        source: base,
        mappings: {
          select: 'mapped',
          fields: [
            { to: 'id', from: 'id' },
            { to: 'mail', from: 'e_mail' },
          ],
        },
      },
    });
    expect([mapping.statusCode, mapping.data.code]).toEqual([422, 'mapping_invalid']);
    expect(mapping.data.detail).toContain('e_mail');
    // One database may be both ends, but no table may be written onto itself.
    const onItself = await t.request({
      method: 'POST',
      url: '/v1/syncs',
      body: {
        name: 'x',
        source: { ...base, streams: [{ name: `${schema}.people`, target: 'people' }] },
        target: { kind: 'postgres', connection_id: connectionId, schema },
      },
    });
    expect([onItself.statusCode, onItself.data.detail]).toEqual([400, 'The source and the target are the same.']);
    const { rows } = await t.db.query('select count(*)::int as n from sync_configs where name = $1', ['x']);
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('previews a schedule in its time zone across a DST change', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/syncs/schedule-preview',
      body: { cron: '30 2 * * *', timezone: 'Europe/Berlin', count: 3 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const runs = res.data.next_runs as string[];
    expect(runs).toHaveLength(3);
    for (const at of runs) {
      const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', timeStyle: 'short' }).format(
        new Date(at),
      );
      expect(['02:30', '03:30']).toContain(local);
    }
  });

  it('previews a mapping on sample records from the source', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/syncs/mapping-preview',
      body: {
        connection_id: connectionId,
        stream: `${schema}.people`,
        limit: 2,
        mappings: {
          select: 'mapped',
          fields: [
            { to: 'id', from: 'id' },
            { to: 'contact.label', template: '{{name}} <{{email}}>' },
            { to: 'score', from: 'score', cast: 'number' },
          ],
        },
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const [first] = res.data.samples as Json[];
    expect(first?.error).toBeNull();
    expect((first?.output as Json).contact).toEqual({
      label: expect.stringMatching(/^person \d+ <p\d+@example\.test>$/),
    });
  });

  it('reads a table into the record store, then only what changed, and keeps state as data', async () => {
    const syncId = await createSync({
      type: 'incremental',
      source: {
        connection_id: connectionId,
        streams: [{ name: `${schema}.people`, target: 'people', cursor_field: 'updated_at' }],
      },
    });
    const first = await finished(await run(syncId));
    expect(first.status, JSON.stringify(first)).toBe('success');
    expect(first.records).toMatchObject({ processed: 2000, created: 2000, updated: 0, failed: 0 });
    const stored = await t.db.query<{ n: number }>(
      `select count(*)::int as n from sync_records r join sync_models m on m.id = r.model_id where m.connection_id = $1 and m.model = 'people'`,
      [connectionId],
    );
    expect(stored.rows[0]?.n).toBe(2000);

    await t.db.exec(`update ${schema}.people set name = name || ' (edited)', updated_at = now() where id <= 20`);
    const second = await finished(await run(syncId));
    expect(second.status).toBe('success');
    expect(second.records).toMatchObject({ updated: 20, created: 0 });
    expect((second.records as Json).processed as number).toBeLessThan(100);

    const state = await t.request({ url: `/v1/syncs/${syncId}/state` });
    const entry = (state.data.data as Json[])[0] as Json;
    expect(entry.stream).toBe(`${schema}.people`);
    expect((entry.state as Json).cursor).toBeDefined();

    const logs = await t.request({ url: `/v1/syncs/executions/${second.id as string}/logs` });
    expect((logs.data.data as Json[]).map((l) => l.message).join('\n')).toContain('Run succeeded.');
    expect((logs.data.data as Json[]).map((l) => l.message)).toContain(`Reading ${schema}.people (incremental).`);
    // The first run was an initial load: read in full, by key ranges, ending where the incremental read went on.
    const firstLogs = await t.request({ url: `/v1/syncs/executions/${first.id as string}/logs` });
    expect((firstLogs.data.data as Json[]).map((l) => l.message)).toContain(`Reading ${schema}.people (full).`);

    // Rewind: an edited checkpoint is audited and the next run reads from it.
    const rewind = await t.request({
      method: 'PUT',
      url: `/v1/syncs/${syncId}/state/${schema}.people`,
      body: { state: { cursor: '2026-01-01T00:16:40Z' } },
    });
    expect(rewind.statusCode, rewind.body).toBe(200);
    const third = await finished(await run(syncId));
    expect(third.records).toMatchObject({ processed: expect.any(Number), created: 0 });
    expect((third.records as Json).processed as number).toBeGreaterThanOrEqual(1000);
    const audit = await t.db.query(`select action from audit_log where action = 'sync.state_set'`);
    expect(audit.rowCount).toBe(1);

    // Reset: everything is read again; unchanged records make no change.
    expect((await t.request({ method: 'POST', url: `/v1/syncs/${syncId}/reset`, body: {} })).data).toEqual({
      reset: [`${schema}.people`],
    });
    const fourth = await finished(await run(syncId));
    expect(fourth.records).toMatchObject({ processed: 2000, created: 0, updated: 0 });
  });

  it('ends a run at once when its connection is paused', async () => {
    const syncId = await createSync({ type: 'full' });
    expect(
      (await t.request({ method: 'POST', url: `/v1/connections/${connectionId}/pause`, body: {} })).statusCode,
    ).toBe(200);
    try {
      const done = await finished(await run(syncId));
      expect([done.status, done.error_code]).toEqual(['failed', 'connection_paused']);
      expect(done.error).toContain('paused');
    } finally {
      await t.request({ method: 'POST', url: `/v1/connections/${connectionId}/resume`, body: {} });
    }
  });

  it('cancels a waiting run, and a published event starts the syncs that name its type', async () => {
    const syncId = await createSync({ type: 'full', trigger_event_types: ['connection.tested'] });
    await t.built.workers.syncRunner.stop();
    try {
      const waiting = await run(syncId);
      const cancelled = await t.request({ method: 'POST', url: `/v1/syncs/executions/${waiting}/cancel` });
      expect([cancelled.statusCode, cancelled.data.status]).toEqual([202, 'cancelled']);
      // A connection test publishes connection.tested: the sync's run is asked for in the same transaction.
      await t.request({ method: 'POST', url: `/v1/connections/${connectionId}/test`, body: {} });
      const { rows } = await t.db.query<{ trigger: string; status: string }>(
        `select trigger, status from sync_executions where config_id = $1 order by created_at`,
        [syncId],
      );
      expect(rows).toEqual([
        { trigger: 'manual', status: 'cancelled' },
        { trigger: 'event', status: 'pending' },
      ]);
    } finally {
      await t.built.workers.syncRunner.start();
    }
    const { rows } = await t.db.query<{ id: string }>(
      `select id from sync_executions where config_id = $1 and trigger = 'event'`,
      [syncId],
    );
    expect((await finished(rows[0]?.id as string)).status).toBe('success');
  });

  it('resumes a run whose node stopped heartbeating, and fails one that keeps dying as stuck', async () => {
    const syncId = await createSync({ type: 'full' });
    // A run another node claimed, then died: its lease has ended and nothing heartbeats it.
    const dead = `sxr_dead${randomBytes(4).toString('hex')}`;
    await t.db.query(
      `insert into sync_executions (id, tenant_id, config_id, status, trigger, lease_owner, lease_expires_at,
         heartbeat_at, attempts, started_at)
       values ($1, $2, $3, 'running', 'manual', 'gone-node', now() - interval '1 minute', now() - interval '2 minutes', 1,
         now() - interval '2 minutes')`,
      [dead, t.tenantId, syncId],
    );
    await t.db.query('update sync_configs set running_execution_id = $1 where id = $2', [dead, syncId]);
    const shown = await execution(dead);
    expect(shown.stuck).toBe(true);
    const resumed = await finished(dead);
    expect([resumed.status, resumed.attempts]).toEqual(['success', 2]);
    const logs = await t.request({ url: `/v1/syncs/executions/${dead}/logs` });
    expect((logs.data.data as Json[]).map((l) => l.message).join('\n')).toContain('resumes from its checkpoints');

    const doomed = `sxr_doom${randomBytes(4).toString('hex')}`;
    await t.db.query(
      `insert into sync_executions (id, tenant_id, config_id, status, trigger, lease_owner, lease_expires_at,
         attempts, started_at)
       values ($1, $2, $3, 'running', 'manual', 'gone-node', now() - interval '1 minute', 3, now())`,
      [doomed, t.tenantId, syncId],
    );
    await t.db.query('update sync_configs set running_execution_id = $1 where id = $2', [doomed, syncId]);
    const failed = await finished(doomed);
    expect([failed.status, failed.error_code]).toEqual(['failed', 'stuck']);
    const events = await t.db.query(
      `select type from events where type = 'sync.execution.failed' and data->>'execution_id' = $1`,
      [doomed],
    );
    expect(events.rowCount).toBe(1);
  });

  it('fires a due schedule instant once, and publishes each state change as an event', async () => {
    const syncId = await createSync({ type: 'full', schedule: { cron: '*/5 * * * *', timezone: 'UTC' } });
    const sync = (await t.request({ url: `/v1/syncs/${syncId}` })).data;
    expect(Date.parse(sync.next_run_at as string)).toBeGreaterThan(Date.now());
    // Due a few seconds ago: well within the misfire grace, whatever the second of the minute.
    const instant = new Date(Math.floor(Date.now() / 1000) * 1000 - 5_000);
    await t.db.query('update sync_configs set next_run_at = $2 where id = $1', [syncId, instant]);
    const { rows } = await until(
      () => t.db.query<{ id: string }>(`select id from sync_executions where config_id = $1`, [syncId]),
      (r) => r.rowCount > 0,
      'the scheduled run',
    );
    const done = await finished(rows[0]?.id as string);
    expect([done.status, done.trigger, done.triggered_by]).toEqual(['success', 'schedule', instant.toISOString()]);
    const ticks = await t.db.query('select outcome from sync_schedule_ticks where config_id = $1', [syncId]);
    expect(ticks.rows).toEqual([{ outcome: 'started' }]);
    const types = await t.db.query<{ type: string }>(
      `select type from events where data->>'execution_id' = $1 order by id`,
      [done.id],
    );
    expect(types.rows.map((r) => r.type)).toEqual(['sync.execution.started', 'sync.execution.succeeded']);
  });

  it('holds a disabled tenant’s syncs: no schedule fires, no run is claimed, a running one pauses and resumes', async () => {
    const other = await t.otherTenant();
    const setDisabled = async (disabled: boolean) => {
      const res = await t.request({ method: 'PATCH', url: `/v1/tenants/${other.tenantId}`, body: { disabled } });
      expect(res.statusCode, res.body).toBe(200);
    };
    const conn = await t.request({
      method: 'POST',
      url: '/v1/connections',
      token: other.token,
      body: {
        connector: 'postgresql',
        name: 'Their DB',
        auth_method: 'connection_string',
        credentials: {
          connection_string: `postgresql://${role}:${encodeURIComponent(password)}@${new URL(testDatabaseUrl()).host}${new URL(testDatabaseUrl()).pathname}`,
        },
      },
    });
    expect(conn.statusCode, conn.body).toBe(201);
    const created = await t.request({
      method: 'POST',
      url: '/v1/syncs',
      token: other.token,
      body: {
        name: 'their people',
        type: 'full',
        batch_size: 4, // 500 batches: a run long enough to be disabled while it runs
        schedule: { cron: '0 3 * * *', timezone: 'UTC' },
        source: { connection_id: conn.data.id, streams: [{ name: `${schema}.people`, target: 'people' }] },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const theirs = created.data.id as string;

    // While the tenant is disabled its key is refused, so its run is watched in the database.
    const theirRun = async (id: string) =>
      (
        await t.db.query<{ status: string; processed: number; attempts: number }>(
          'select status, records_processed as processed, attempts from sync_executions where id = $1',
          [id],
        )
      ).rows[0];

    // A running run pauses at its next heartbeat, back to pending, and keeps its config.
    const first = await startRun(t, theirs, {}, other.token);
    await until(
      () => theirRun(first),
      (e) => (e?.processed ?? 0) > 0,
      'the run to start writing',
    );
    await setDisabled(true);
    const paused = await until(
      () => theirRun(first),
      (e) => e?.status === 'pending',
      'the run to pause',
    );
    expect(paused?.processed).toBeLessThan(2000);

    // Its due schedule instant does not fire, and its pending run is not claimed, while another tenant's are.
    // Due a few seconds ago: well within the misfire grace, whatever the second of the minute.
    const instant = new Date(Math.floor(Date.now() / 1000) * 1000 - 5_000);
    const ours = await createSync({ type: 'full', schedule: { cron: '0 3 * * *', timezone: 'UTC' } });
    await t.db.query('update sync_configs set next_run_at = $2 where id = any($1)', [[theirs, ours], instant]);
    const { rows } = await until(
      () => t.db.query<{ id: string }>(`select id from sync_executions where config_id = $1`, [ours]),
      (r) => r.rowCount > 0,
      'our scheduled run',
    );
    expect((await finished(rows[0]?.id as string)).status).toBe('success');
    const ticks = await t.db.query('select 1 from sync_schedule_ticks where config_id = $1', [theirs]);
    expect(ticks.rowCount).toBe(0);
    expect((await theirRun(first))?.status).toBe('pending');

    // Enabled again: the paused run resumes from its checkpoint and ends with every row written once.
    await setDisabled(false);
    const done = await finishedRun(t, first, other.token, 120_000);
    expect(done.status, JSON.stringify(done)).toBe('success');
    // The paused attempt does not count towards the stuck limit: resuming takes the count back to what it was.
    expect(done.attempts).toBe((paused?.attempts ?? 0) + 1);
    const stored = await t.db.query<{ n: number }>(
      `select count(*)::int as n from sync_records r join sync_models m on m.id = r.model_id where m.connection_id = $1 and m.model = 'people'`,
      [conn.data.id],
    );
    expect(stored.rows[0]?.n).toBe(2000);
    const logs = await t.request({ url: `/v1/syncs/executions/${first}/logs`, token: other.token });
    expect((logs.data.data as Json[]).map((l) => l.message).join('\n')).toContain('Paused: the tenant was disabled.');
  });

  it('deletes a connection’s syncs with it', async () => {
    const syncId = await createSync({ type: 'full' });
    const other = await t.request({
      method: 'POST',
      url: '/v1/connections',
      body: {
        connector: 'postgresql',
        name: 'Throwaway',
        auth_method: 'connection_string',
        validate: false,
        credentials: { connection_string: 'postgresql://u:p@127.0.0.1:1/x' },
      },
    });
    const throwaway = other.data.id as string;
    const res = await t.request({
      method: 'POST',
      url: '/v1/syncs',
      body: {
        name: 'to pg',
        source: { connection_id: connectionId, streams: [{ name: `${schema}.people` }] },
        target: { kind: 'postgres', connection_id: throwaway },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((await t.request({ method: 'DELETE', url: `/v1/connections/${throwaway}` })).statusCode).toBe(204);
    expect((await t.request({ url: `/v1/syncs/${res.data.id as string}` })).statusCode).toBe(404);
    expect((await t.request({ url: `/v1/syncs/${syncId}` })).statusCode).toBe(200);
  });
});
