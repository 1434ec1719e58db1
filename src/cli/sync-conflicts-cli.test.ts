import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectVendor, type VendorConnection } from '../../test/fakes/connect.js';
import { startHubspotFake } from '../../test/fakes/hubspot.js';
import { cliRunner, json, ok, tableRow } from '../../test/helpers/cli.js';
import { testDatabaseUrl } from '../../test/helpers/db.js';
import { uniqueName } from '../../test/helpers/fixtures.js';
import { until } from '../../test/helpers/syncs.js';

/**
 * `switchyard syncs create|update` with the two-way flags, `syncs execution`'s per-side counts and
 * `switchyard syncs conflicts list | show | resolve`, against a test server on loopback running its sync runner:
 * HubSpot contacts (the fake that behaves as HubSpot documents) kept in step with a PostgreSQL table of the suite's
 * server (a schema made for this file).
 */
let fake: Awaited<ReturnType<typeof startHubspotFake>>;
let conn: VendorConnection;
let db: pg.Client;
let url: string;
let warehouse: string;
const schema = uniqueName('cli_twoway');
const runCli = cliRunner(() => ({ url, token: conn.t.adminToken }));

beforeAll(async () => {
  fake = await startHubspotFake();
  conn = await connectVendor('hubspot', fake.url, { auth_method: 'bearer', credentials: { token: 'sk-service-key' } });
  url = await conn.t.app.listen({ port: 0, host: '127.0.0.1' });
  db = new pg.Client({ connectionString: testDatabaseUrl() });
  await db.connect();
  await db.query(`create schema ${schema}`);
  const res = await conn.t.request({
    method: 'POST',
    url: '/v1/connections',
    body: { connector: 'postgresql', name: 'Warehouse', credentials: { connection_string: testDatabaseUrl() } },
  });
  expect(res.statusCode, res.body).toBe(201);
  warehouse = res.data.id as string;
});
afterAll(async () => {
  await conn?.t.built.workers.syncRunner.stop(0);
  await db?.query(`drop schema if exists ${schema} cascade`);
  await db?.end();
  await conn?.t.close();
  await fake?.close();
});

let clock = Date.UTC(2026, 0, 1);
function contact(id: string, email: string, firstname: string, lastname: string) {
  const at = new Date((clock += 1000)).toISOString();
  fake.objects
    .get('contacts')
    ?.set(id, { id, properties: { email, firstname, lastname }, createdAt: at, updatedAt: at, archived: false });
}
/** An edit in HubSpot's own UI: the property changes and the record's modification time moves. */
function editInHubspot(id: string, properties: Record<string, string>) {
  const r = fake.objects.get('contacts')?.get(id);
  if (!r) throw new Error(`no contact ${id}`);
  r.properties = { ...r.properties, ...properties };
  r.updatedAt = new Date(Math.max(Date.now(), (clock += 1000))).toISOString();
}
const row = async (id: string) =>
  (
    await db.query<{ first_name: string; last_name: string }>(
      `select first_name, last_name from ${schema}.contacts where id = $1`,
      [id],
    )
  ).rows[0];

type Conflict = { id: string; state: string; fields: { field: string; a: unknown; b: unknown; base: unknown }[] };
type TwoWayCounts = { a: { created: number; updated: number }; b: { created: number; updated: number } };

/** Run the sync through the CLI to its end; answers the run's id, read from its JSON. */
async function runSync(syncId: string): Promise<{ id: string; two_way: TwoWayCounts & { conflicts: number } }> {
  // --wait shows its progress on stderr; the JSON of the finished run is on stdout.
  const result = await runCli(['syncs', 'run', syncId, '--wait', '--json']);
  expect(result.code, result.stderr).toBe(0);
  const run = JSON.parse(result.stdout) as {
    id: string;
    status: string;
    stream_progress: Record<string, { two_way: TwoWayCounts }>;
  };
  expect(run.status).toBe('success');
  return { id: run.id, two_way: run.stream_progress.contacts?.two_way as TwoWayCounts & { conflicts: number } };
}

let syncId: string;

/** Wait for the run the resolve started to write a conflict's values to both sides (its state is then applied). */
const applied = (id: string) =>
  until(
    () => conn.t.request({ url: `/v1/syncs/conflicts/${id}` }),
    (r) => r.data.state === 'applied',
    `conflict ${id} to be applied`,
  );

describe('switchyard syncs: two-way flags', () => {
  it('refuses a malformed pair, match key or delete mode before asking the server', async () => {
    const pair = await runCli(['syncs', 'create', '--name', 'x', '--pair', 'properties.email']);
    expect(pair.code).toBe(1);
    expect(pair.stderr).toContain("option '--pair <a=b>' argument 'properties.email' is invalid. expected A=B");
    const direction = await runCli(['syncs', 'create', '--name', 'x', '--pair', 'a=b:sideways']);
    expect(direction.stderr).toContain('"sideways" is neither a direction (both, a_to_b, b_to_a) nor a normaliser');
    const deletes = await runCli(['syncs', 'create', '--name', 'x', '--deletes', 'a=shred']);
    expect(deletes.stderr).toContain('"shred" is not a delete mode (propagate, soft, ignore)');
    const match = await runCli(['syncs', 'create', '--name', 'x', '--match', 'email=email:upper']);
    expect(match.stderr).toContain('"upper" is not a normaliser');
  });

  it('creates a bidirectional sync from flags and shows its pairs; update changes only the part given', async () => {
    contact('301', 'ada@example.test', 'Ada', 'Lovelace');
    const created = ok(
      await runCli([
        'syncs',
        'create',
        '--name',
        'Contacts both ways',
        '--source',
        conn.connectionId,
        '--stream',
        'contacts',
        '--target',
        'postgres',
        '--target-connection',
        warehouse,
        '--target-schema',
        schema,
        '--direction',
        'bidirectional',
        '--conflict-policy',
        'manual',
        '--pair',
        'properties.email=email:email',
        '--pair',
        'properties.firstname=first_name:both',
        '--pair',
        'properties.lastname=last_name:a_to_b:trim',
        '--match',
        'properties.email=email:email',
        '--timestamps',
        'a=updatedAt',
        '--deletes',
        'a=soft,b=ignore',
      ]),
    );
    syncId = /^Created sync (sync_\w+) \(Contacts both ways\)/.exec(created.stdout)?.[1] as string;
    expect(syncId).toBeDefined();
    const shown = ok(await runCli(['syncs', 'show', syncId])).stdout;
    expect(shown).toMatch(/^Direction: +bidirectional \(manual\)$/m);
    expect(shown).toContain(
      [
        'Two-way (A is the source, B the target):',
        '  properties.email ↔ email (email)',
        '  properties.firstname ↔ first_name',
        '  properties.lastname → last_name (trim)',
        '  First-run match: properties.email = email (email)',
        '  Timestamps: A updatedAt, B -',
        '  Deletes: on A soft, on B ignore',
      ].join('\n'),
    );

    ok(
      await runCli(['syncs', 'update', syncId, '--deletes', 'b=propagate', '--timestamps', 'b=_switchyard_synced_at']),
    );
    const updated = json<{ two_way: Record<string, unknown> }>(await runCli(['syncs', 'show', syncId, '--json']));
    expect(updated.two_way).toMatchObject({
      deletes: { a: 'soft', b: 'propagate' },
      timestamps: { a: 'updatedAt', b: '_switchyard_synced_at' },
      match: { a: 'properties.email', b: 'email', normalize: 'email' },
    });
    expect((updated.two_way.fields as unknown[]).length).toBe(3);
    // --pair replaces the pairs; the rest stays.
    ok(
      await runCli([
        'syncs',
        'update',
        syncId,
        '--pair',
        'properties.email=email:email',
        '--pair',
        'properties.firstname=first_name',
        '--pair',
        'properties.lastname=last_name',
        '--timestamps',
        'a=updatedAt',
      ]),
    );
    const replaced = json<{ two_way: Record<string, unknown> }>(await runCli(['syncs', 'show', syncId, '--json']));
    expect(replaced.two_way.fields).toEqual([
      { a: 'properties.email', b: 'email', direction: 'both', normalize: 'email' },
      { a: 'properties.firstname', b: 'first_name', direction: 'both', normalize: 'none' },
      { a: 'properties.lastname', b: 'last_name', direction: 'both', normalize: 'none' },
    ]);
    expect(replaced.two_way.deletes).toEqual({ a: 'soft', b: 'propagate' });

    // Pairs on a one-way sync are refused by the server; turning this one one-way drops them.
    const oneWay = await runCli([
      'syncs',
      'create',
      '--name',
      'y',
      '--source',
      warehouse,
      '--stream',
      'x.y',
      '--pair',
      'a=b',
    ]);
    expect(oneWay.code).toBe(1);
    expect(oneWay.stderr).toMatch(/^error validation_failed: /);
    expect(oneWay.stderr).toContain('Field pairs are for bidirectional syncs');
  });

  it('prints a run’s counts on each side in syncs execution', async () => {
    await conn.t.built.workers.syncRunner.start();
    const first = await runSync(syncId);
    expect(first.two_way).toMatchObject({ b: { created: 1 }, a: { created: 0 } });
    const shown = ok(await runCli(['syncs', 'execution', first.id])).stdout;
    expect(shown).toContain('Two-way (written on A and on B):');
    expect(shown).toMatch(
      /^ {2}STREAM +A CREATED +A UPDATED +A DELETED +B CREATED +B UPDATED +B DELETED +ECHOES +CONFLICTS +UNMATCHED +AMBIGUOUS$/m,
    );
    expect(shown).toMatch(/^ {2}contacts +0 +0 +0 +1 +0 +0 +\d+ +0 +1 +0$/m);
    expect(await row('301')).toEqual({ first_name: 'Ada', last_name: 'Lovelace' });
  });
});

describe('switchyard syncs conflicts', () => {
  let conflictId: string;

  it('lists and shows a conflict with each field’s value on A, on B and the base', async () => {
    ok(await runCli(['syncs', 'conflicts', 'list']));
    expect(ok(await runCli(['syncs', 'conflicts', 'list', '--sync', syncId])).stdout).toBe('No open conflicts.\n');
    editInHubspot('301', { firstname: 'Augusta Ada', lastname: 'King' });
    await db.query(`update ${schema}.contacts set first_name = 'A. A.', last_name = 'Lovelace-King' where id = '301'`);
    const parked = await runSync(syncId);
    expect(parked.two_way).toMatchObject({ conflicts: 1, a: { updated: 0 }, b: { updated: 0 } });

    const listed = ok(await runCli(['syncs', 'conflicts', 'list', '--sync', syncId])).stdout;
    expect(listed.split('\n')[0]).toMatch(/^ID +SYNC +STREAM +A ID +B ID +FIELDS +STATE +CREATED$/);
    const line = listed.split('\n')[1] ?? '';
    conflictId = line.split(' ')[0] as string;
    expect(line).toMatch(/ +Contacts both ways +contacts +301 +301 +first_name, last_name +open +\d{4}-/);

    const shown = ok(await runCli(['syncs', 'conflicts', 'show', conflictId])).stdout;
    expect(shown).toContain(`Conflict ${conflictId} in sync ${syncId} (Contacts both ways): open`);
    expect(shown).toMatch(/^Record on A: +301$/m);
    expect(shown).toMatch(/^ {2}FIELD +A +B +BASE$/m);
    expect(tableRow(shown, '  first_name')).toMatch(/^ {2}first_name +Augusta Ada +A\. A\. +Ada$/);
    expect(tableRow(shown, '  last_name')).toMatch(/^ {2}last_name +King +Lovelace-King +Lovelace$/);
    // Nothing is written on either side while it waits.
    expect(await row('301')).toEqual({ first_name: 'A. A.', last_name: 'Lovelace-King' });
    expect(fake.objects.get('contacts')?.get('301')?.properties.firstname).toBe('Augusta Ada');
  });

  it('resolves with values typed, the rest from the side --take names; the sync then writes them to both sides', async () => {
    const nothing = await runCli(['syncs', 'conflicts', 'resolve', conflictId]);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('Say how to resolve it: --take a, --take b, or --set field=value');
    const unknown = await runCli(['syncs', 'conflicts', 'resolve', conflictId, '--set', 'nickname=Ada']);
    expect(unknown.stderr).toContain('Not a conflicting field: nickname (the fields are first_name, last_name).');
    const partial = await runCli(['syncs', 'conflicts', 'resolve', conflictId, '--set', 'first_name=Ada']);
    expect(partial.stderr).toContain('Set every conflicting field, or give --take a|b for the rest: last_name.');

    const resolved = ok(
      await runCli(['syncs', 'conflicts', 'resolve', conflictId, '--set', 'first_name=Ada Augusta', '--take', 'b']),
    ).stdout;
    expect(resolved).toBe(
      `Resolved conflict ${conflictId} (values first_name=Ada Augusta, last_name=Lovelace-King); ` +
        `the next run of ${syncId} writes it.\n`,
    );
    // The resolve started a run; once it has written the values the conflict is applied.
    await applied(conflictId);
    expect(await row('301')).toEqual({ first_name: 'Ada Augusta', last_name: 'Lovelace-King' });
    expect(fake.objects.get('contacts')?.get('301')?.properties).toMatchObject({
      firstname: 'Ada Augusta',
      lastname: 'Lovelace-King',
    });
    const again = await runCli(['syncs', 'conflicts', 'resolve', conflictId, '--take', 'a']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(new RegExp(`^error conflict: Conflict ${conflictId} is applied already`));
    expect(ok(await runCli(['syncs', 'conflicts', 'list', '--sync', syncId])).stdout).toBe('No open conflicts.\n');
    expect(tableRow(ok(await runCli(['syncs', 'conflicts', 'list', '--state', 'all'])).stdout, conflictId)).toMatch(
      / applied /,
    );
  });

  it('takes one side whole with --take', async () => {
    editInHubspot('301', { firstname: 'Ada (HubSpot)' });
    await db.query(`update ${schema}.contacts set first_name = 'Ada (table)' where id = '301'`);
    expect((await runSync(syncId)).two_way).toMatchObject({ conflicts: 1 });
    const [open] = json<Conflict[]>(await runCli(['syncs', 'conflicts', 'list', '--sync', syncId, '--json']));
    expect(open?.fields).toEqual([{ field: 'first_name', a: 'Ada (HubSpot)', b: 'Ada (table)', base: 'Ada Augusta' }]);
    const resolved = ok(await runCli(['syncs', 'conflicts', 'resolve', open?.id as string, '--take', 'a'])).stdout;
    expect(resolved).toContain('(take A)');
    // The record changed nowhere since the run that parked it: the resolve's run still writes it.
    await applied(open?.id as string);
    expect((await row('301'))?.first_name).toBe('Ada (HubSpot)');
  });
});
