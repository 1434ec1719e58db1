import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectVendor, type VendorConnection } from './fakes/connect.js';
import { startHubspotFake } from './fakes/hubspot.js';
import type { Json } from './helpers/app.js';
import { testDatabaseUrl } from './helpers/db.js';
import { uniqueName } from './helpers/fixtures.js';
import { finishedRun, startRun } from './helpers/syncs.js';

/**
 * Two-way sync through the running server and its sync runner: HubSpot contacts (side A, the fake that behaves as
 * HubSpot documents) kept in step with a PostgreSQL table (side B) — first-run matching by e-mail, changes both
 * ways, echoes suppressed (also when HubSpot lower-cases an e-mail we wrote), conflicts by policy and through the
 * inbox.
 */
let fake: Awaited<ReturnType<typeof startHubspotFake>>;
let conn: VendorConnection;
let db: pg.Client;
let pgConnection: string;
const schema = uniqueName('twoway');

beforeAll(async () => {
  fake = await startHubspotFake();
  conn = await connectVendor('hubspot', fake.url, { auth_method: 'bearer', credentials: { token: 'sk-service-key' } });
  await conn.t.built.workers.syncRunner.start();
  db = new pg.Client({ connectionString: testDatabaseUrl() });
  await db.connect();
  await db.query(`create schema ${schema}`);
  const res = await conn.t.request({
    method: 'POST',
    url: '/v1/connections',
    body: { connector: 'postgresql', name: 'Warehouse', credentials: { connection_string: testDatabaseUrl() } },
  });
  expect(res.statusCode, res.body).toBe(201);
  pgConnection = res.data.id as string;
});
afterAll(async () => {
  await conn.t.built.workers.syncRunner.stop(0);
  await db.query(`drop schema if exists ${schema} cascade`);
  await db.end();
  await conn.t.close();
  await fake.close();
});

let clock = Date.UTC(2026, 0, 1);
function contact(id: string, email: string, firstname: string) {
  const at = new Date((clock += 1000)).toISOString();
  fake.objects.get('contacts')?.set(id, {
    id,
    properties: { email, firstname },
    createdAt: at,
    updatedAt: at,
    archived: false,
  });
}
/** An edit in HubSpot's own UI: the property changes and the record's modification time moves. */
function editInHubspot(id: string, properties: Record<string, string>) {
  const r = fake.objects.get('contacts')?.get(id);
  if (!r) throw new Error(`no contact ${id}`);
  r.properties = { ...r.properties, ...properties };
  r.updatedAt = new Date(Math.max(Date.now(), (clock += 1000))).toISOString();
}

async function createSync(name: string, body: Json = {}): Promise<string> {
  const res = await conn.t.request({
    method: 'POST',
    url: '/v1/syncs',
    body: {
      name,
      source: { kind: 'connection', connection_id: conn.connectionId, streams: [{ name: 'contacts', target: name }] },
      target: { kind: 'postgres', connection_id: pgConnection, schema },
      type: 'incremental',
      direction: 'bidirectional',
      conflict_policy: 'source_wins',
      two_way: {
        fields: [
          { a: 'properties.email', b: 'email', normalize: 'email' },
          { a: 'properties.firstname', b: 'first_name' },
        ],
        match: { a: 'properties.email', b: 'email', normalize: 'email' },
        timestamps: { a: 'updatedAt' },
      },
      ...body,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

async function run(syncId: string, body: Json = {}) {
  const execution = await finishedRun(conn.t, await startRun(conn.t, syncId, body));
  expect(execution.status, JSON.stringify(execution)).toBe('success');
  return (execution.stream_progress as Record<string, Json>).contacts?.two_way as Json;
}

const rows = async (table: string) =>
  (
    await db.query<{ id: string; email: string; first_name: string }>(
      `select id, email, first_name from ${schema}.${table} order by id`,
    )
  ).rows;

describe('two-way sync: HubSpot contacts ↔ a PostgreSQL table', () => {
  it('links existing records by e-mail, creates the rest on each side, then moves changes both ways without echoes', async () => {
    contact('101', 'Ada@Example.test', 'Ada');
    contact('102', 'grace@example.test', 'Grace');
    const table = 'people';
    // The table already has Grace (matched by e-mail, any case) and someone HubSpot does not have.
    // A table of one's own takes the two bookkeeping columns a PostgreSQL target keeps (README, Syncs).
    await db.query(
      `create table ${schema}.${table} (id text primary key, email text, first_name text,
         _switchyard_synced_at timestamptz, _switchyard_deleted_at timestamptz)`,
    );
    await db.query(
      `insert into ${schema}.${table} values ('g-1', 'GRACE@example.test', 'Grace'), ('k-1', 'katherine@example.test', 'Katherine')`,
    );
    const sync = await createSync(table);

    const first = await run(sync);
    expect(first).toMatchObject({ unmatched: 2, ambiguous: 0, b: { created: 1 }, a: { created: 1 } });
    expect((await rows(table)).map((r) => r.email).sort()).toEqual([
      'Ada@Example.test',
      'GRACE@example.test',
      'katherine@example.test',
    ]);
    const katherine = [...(fake.objects.get('contacts')?.values() ?? [])].find(
      (c) => c.properties.email === 'katherine@example.test',
    );
    expect(katherine?.properties.firstname).toBe('Katherine');

    // Nothing changed: nothing is written (our own writes read back are echoes, not changes).
    const quiet = await run(sync);
    expect(quiet).toMatchObject({ a: { created: 0, updated: 0 }, b: { created: 0, updated: 0 }, conflicts: 0 });

    // A change on each side, to different records.
    editInHubspot('101', { firstname: 'Augusta Ada' });
    await db.query(`update ${schema}.${table} set first_name = 'Grace B.' where id = 'g-1'`);
    const changed = await run(sync);
    expect(changed).toMatchObject({ a: { updated: 1 }, b: { updated: 1 }, conflicts: 0 });
    // The table's row is written whole: the e-mail A did not change is kept, not emptied.
    expect((await rows(table)).find((r) => r.id === '101')).toMatchObject({
      first_name: 'Augusta Ada',
      email: 'Ada@Example.test',
    });
    expect(fake.objects.get('contacts')?.get('102')?.properties.firstname).toBe('Grace B.');

    // HubSpot rewrites the e-mail we gave it (lower case): compared normalised, it is not a change to send back.
    const hubspotGrace = fake.objects.get('contacts')?.get('102');
    if (hubspotGrace) hubspotGrace.properties.email = 'grace@example.test';
    editInHubspot('102', {});
    const echo = await run(sync);
    expect(echo).toMatchObject({ a: { updated: 0 }, b: { updated: 0 }, conflicts: 0 });
    expect(echo.echoes as number).toBeGreaterThanOrEqual(1);
  });

  it('settles a field changed on both sides by the policy, or parks it in the inbox until a person resolves it', async () => {
    contact('201', 'lin@example.test', 'Lin');
    const table = 'conflicts';
    const sync = await createSync(table, { conflict_policy: 'manual' });
    await run(sync);
    editInHubspot('201', { firstname: 'Lin (HubSpot)' });
    await db.query(`update ${schema}.${table} set first_name = 'Lin (table)' where id = '201'`);
    const parked = await run(sync);
    expect(parked).toMatchObject({ conflicts: 1, a: { updated: 0 }, b: { updated: 0 } });
    const inbox = await conn.t.request({ url: `/v1/syncs/conflicts?sync_id=${sync}&state=open` });
    expect(inbox.statusCode, inbox.body).toBe(200);
    const conflict = (inbox.data.data as Json[])[0] as Json;
    expect(conflict).toMatchObject({
      a_id: '201',
      b_id: '201',
      state: 'open',
      fields: [{ field: 'first_name', a: 'Lin (HubSpot)', b: 'Lin (table)', base: 'Lin' }],
    });
    // While it waits, nothing is overwritten on either side.
    await run(sync);
    expect((await rows(table)).find((r) => r.id === '201')?.first_name).toBe('Lin (table)');
    expect(fake.objects.get('contacts')?.get('201')?.properties.firstname).toBe('Lin (HubSpot)');
    const resolved = await conn.t.request({
      method: 'POST',
      url: `/v1/syncs/conflicts/${conflict.id as string}/resolve`,
      body: { take: 'b' },
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.data.state).toBe('resolved');
    await run(sync);
    expect(fake.objects.get('contacts')?.get('201')?.properties.firstname).toBe('Lin (table)');
    const after = await conn.t.request({ url: `/v1/syncs/conflicts/${conflict.id as string}` });
    expect(after.data.state).toBe('applied');
    // Source wins: the same clash is settled at once, HubSpot's value everywhere.
    await conn.t.request({ method: 'PATCH', url: `/v1/syncs/${sync}`, body: { conflict_policy: 'source_wins' } });
    editInHubspot('201', { firstname: 'Lin A' });
    await db.query(`update ${schema}.${table} set first_name = 'Lin B' where id = '201'`);
    const settled = await run(sync);
    expect(settled).toMatchObject({ conflicts: 1, b: { updated: 1 } });
    expect((await rows(table)).find((r) => r.id === '201')?.first_name).toBe('Lin A');
    expect(fake.objects.get('contacts')?.get('201')?.properties.firstname).toBe('Lin A');
  });
});

describe('two-way sync: HubSpot contacts ↔ the record store', () => {
  it('keeps the record store in step with HubSpot, and a record removed from the store is deleted as the policy says', async () => {
    contact('301', 'mary@example.test', 'Mary');
    contact('302', 'alan@example.test', 'Alan');
    const res = await conn.t.request({
      method: 'POST',
      url: '/v1/syncs',
      body: {
        name: 'contacts-in-store',
        source: {
          kind: 'connection',
          connection_id: conn.connectionId,
          streams: [{ name: 'contacts', target: 'people' }],
        },
        target: { kind: 'record_store' },
        type: 'incremental',
        direction: 'bidirectional',
        two_way: {
          fields: [
            { a: 'properties.email', b: 'email', normalize: 'email' },
            { a: 'properties.firstname', b: 'first_name' },
          ],
          deletes: { a: 'propagate', b: 'ignore' },
        },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const sync = res.data.id as string;
    const first = await run(sync);
    expect((first.b as Json).created as number).toBeGreaterThanOrEqual(2);
    const stored = async () =>
      (
        await conn.t.db.query<{ record_id: string; data: Json; deleted_at: Date | null }>(
          `select record_id, data, deleted_at from sync_records r join sync_models m on m.id = r.model_id where m.connection_id = $1 and m.model = 'people'`,
          [conn.connectionId],
        )
      ).rows;
    expect((await stored()).find((r) => r.record_id === '301')?.data).toMatchObject({ first_name: 'Mary' });
    editInHubspot('301', { firstname: 'Mary S.' });
    const changed = await run(sync);
    expect(changed).toMatchObject({ b: { updated: 1 }, a: { updated: 0 } });
    expect((await stored()).find((r) => r.record_id === '301')?.data).toMatchObject({ first_name: 'Mary S.' });
    // Removed from the store (B): a full run sees it gone; deletes.b is ignore, so HubSpot keeps it, unlinked.
    await conn.t.db.query(
      `update sync_records set deleted_at = now()
        where model_id = (select id from sync_models where connection_id = $1 and model = 'people') and record_id = '302'`,
      [conn.connectionId],
    );
    await run(sync, { full_refresh: true });
    expect(fake.objects.get('contacts')?.has('302')).toBe(true);
    const links = await conn.t.db.query<{ a_id: string }>(`select a_id from sync_links where config_id = $1`, [sync]);
    expect(links.rows.map((r) => r.a_id)).not.toContain('302');
  });
});
