import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { cliRunner, json, ok, tableRow } from '../../test/helpers/cli.js';
import { testDatabaseUrl } from '../../test/helpers/db.js';
import { formatRunsChart, zonedTime } from './commands/sync-catalog.js';
import { runProgressText, type Execution } from './commands/sync-runs.js';

/**
 * The `switchyard syncs` commands against a test server on loopback, syncing a table of the suite's PostgreSQL
 * server (a schema made for this file) into the record store. The sync runner is started only for the runs that
 * need it, so the first tests see runs stay pending.
 */

const runCli = cliRunner(() => ({ url, token: t.adminToken }));
const schema = `cli_${randomBytes(5).toString('hex')}`;
const PEOPLE = `${schema}.people`;

let t: TestApp;
let url: string;
let admin: pg.Client;
let connectionId: string;
let dir: string;
let mappingsFile: string;

/** The id of the sync with this name, through the CLI's JSON list. */
async function syncNamed(name: string): Promise<string> {
  const all = json<Sync[]>(await runCli(['syncs', 'list', '--search', name, '--json']));
  const found = all.find((s) => s.name === name);
  expect(found).toBeDefined();
  return found?.id as string;
}

type Sync = { id: string; name: string; enabled: boolean; schedule: { cron: string; timezone: string } | null };

beforeAll(async () => {
  t = await createTestApp();
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  admin = new pg.Client({ connectionString: testDatabaseUrl() });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.query(
    `create table ${PEOPLE} (id int primary key, name text not null, age text, updated_at timestamptz not null)`,
  );
  await admin.query(
    `insert into ${PEOPLE} values (1, 'Ada', '36', '2025-01-01T00:00:00Z'), (2, 'Grace', '85', '2025-01-02T00:00:00Z'),
       (3, 'Linus', 'young', '2025-01-03T00:00:00Z')`,
  );
  const res = await t.api.POST('/v1/connections', {
    body: { connector: 'postgresql', name: 'Warehouse', credentials: { connection_string: testDatabaseUrl() } },
  });
  expect(res.error, JSON.stringify(res.error)).toBeUndefined();
  connectionId = res.data?.id as string;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-cli-'));
  mappingsFile = path.join(dir, 'mappings.yaml');
});

afterAll(async () => {
  await t?.built.workers.syncRunner.stop();
  await t?.close();
  await admin?.query(`drop schema if exists ${schema} cascade`);
  await admin?.end();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('switchyard syncs: configurations', () => {
  it('discovers the tables, previews a schedule in its time zone, and refuses a bad cron with its code', async () => {
    const discovered = ok(await runCli(['syncs', 'discover', connectionId, '--fields']));
    expect(discovered.stdout.split('\n')[0]).toMatch(/^STREAM +PRIMARY KEY +CURSOR +MODES +FIELDS/);
    expect(tableRow(discovered.stdout, PEOPLE)).toMatch(/ id +\S* *full, incremental/);
    expect(discovered.stdout).toContain(`${PEOPLE}:\n  id integer`);

    const preview = ok(
      await runCli(['syncs', 'schedule-preview', '--cron', '0 2 * * *', '--timezone', 'Europe/Berlin', '--count', '3']),
    );
    const lines = preview.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe("Next runs of '0 2 * * *' in Europe/Berlin:");
    expect(lines).toHaveLength(4);
    // 02:00 in Berlin is 01:00 or 00:00 UTC depending on daylight-saving time; the local column says which.
    for (const line of lines.slice(1)) {
      expect(line).toMatch(/^ {2}\d{4}-\d\d-\d\dT0[01]:00:00Z {2}\w{3} \d{4}-\d\d-\d\d 02:00 GMT\+[12]$/);
    }
    const bad = await runCli(['syncs', 'schedule-preview', '--cron', '61 * * * *']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error schedule_invalid: "61 \* \* \* \*" is not a cron expression/);
    const zone = await runCli(['syncs', 'schedule-preview', '--cron', '@daily', '--timezone', 'Mars/Olympus']);
    expect(zone.stderr).toContain('error schedule_invalid: "Mars/Olympus" is not an IANA time zone');
  });

  it('creates a sync from flags, lists and shows it', async () => {
    const created = ok(
      await runCli([
        'syncs',
        'create',
        '--name',
        'People',
        '--source',
        connectionId,
        '--stream',
        PEOPLE,
        '--type',
        'full',
        '--cron',
        '0 2 * * *',
        '--timezone',
        'Europe/Berlin',
        '--deletion',
        'none',
      ]),
    );
    const id = /^Created sync (sync_\w+) \(People\): /.exec(created.stdout)?.[1] as string;
    expect(id).toBeDefined();
    expect(created.stdout).toContain(`${connectionId}: ${PEOPLE} → record store, full.`);
    expect(created.stdout).toMatch(/^Next run \d{4}-\d\d-\d\d 0[01]:00Z\.$/m);

    const listed = ok(await runCli(['syncs', 'list']));
    expect(listed.stdout.split('\n')[0]).toMatch(
      /^ID +NAME +SOURCE +TARGET +TYPE +SCHEDULE +STATE +LAST RUN +NEXT RUN$/,
    );
    expect(tableRow(listed.stdout, id)).toMatch(
      /People +\S+: \S+\.people +record store +full +0 2 \* \* \* \(Europe\/Berlin\) +enabled +- +\d{4}-/,
    );
    const shown = ok(await runCli(['syncs', 'show', id])).stdout;
    expect(shown).toMatch(/^Schedule: +0 2 \* \* \* in Europe\/Berlin; misfire skip, overlap skip$/m);
    expect(shown).toMatch(/^Deletion: +none; stops above 50% of the target$/m);
    expect(shown).toMatch(/^Last run: +never$/m);
    expect(shown).toContain('Mappings: none (records are written as read).');
  });

  it('update changes only what is given: a schedule option keeps the rest of the schedule', async () => {
    const id = await syncNamed('People');
    // A schedule option alone keeps the rest of the schedule.
    ok(await runCli(['syncs', 'update', id, '--timezone', 'America/New_York', '--overlap', 'queue_one']));
    expect(json<Sync>(await runCli(['syncs', 'show', id, '--json'])).schedule).toEqual({
      cron: '0 2 * * *',
      timezone: 'America/New_York',
      misfire: 'skip',
      overlap: 'queue_one',
    });
    expect(ok(await runCli(['syncs', 'update', id, '--no-schedule'])).stdout).toBe(
      `Updated sync ${id} (People): schedule.\n`,
    );
    expect(ok(await runCli(['syncs', 'show', id])).stdout).toMatch(/^Schedule: +none \(by hand/m);
    const nothing = await runCli(['syncs', 'update', id]);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toBe('error: Nothing to change: give at least one option (see --help).\n');
  });

  it('disable stops runs, enable allows them; delete asks for --yes off a terminal', async () => {
    const id = await syncNamed('People');
    expect(ok(await runCli(['syncs', 'disable', id])).stdout).toBe(`Disabled sync ${id} (People).\n`);
    expect(tableRow(ok(await runCli(['syncs', 'list'])).stdout, id)).toMatch(/ manual +disabled /);
    const refusedRun = await runCli(['syncs', 'run', id]);
    expect(refusedRun.code).toBe(1);
    expect(refusedRun.stderr).toMatch(/^error sync_disabled: Sync "People" is disabled/);
    ok(await runCli(['syncs', 'enable', id]));

    const refused = await runCli(['syncs', 'delete', id]);
    expect(refused.stderr).toMatch(/^error: Refusing to delete sync \S+ without --yes/);
    expect(ok(await runCli(['syncs', 'delete', id, '--yes'])).stdout).toBe(`Deleted sync ${id}.\n`);
    expect(ok(await runCli(['syncs', 'list'])).stdout).toBe('No syncs.\n');
    expect((await runCli(['syncs', 'show', id])).stderr).toMatch(/^error not_found: Sync \S+ does not exist\./);
  });

  it('mapping-preview runs mappings from a YAML file on sample records, showing the one a cast rejects', async () => {
    fs.writeFileSync(
      mappingsFile,
      [
        'select: mapped',
        'fields:',
        '  - { to: id, from: id }',
        '  - { to: full_name, template: "{{name}} (#{{id}})" }',
        '  - { to: age, from: age, cast: integer }',
        '  - { to: origin, constant: warehouse }',
      ].join('\n'),
    );
    const preview = ok(
      await runCli(['syncs', 'mapping-preview', connectionId, PEOPLE, '--mappings', mappingsFile, '--limit', '3']),
    );
    expect(preview.stdout).toContain('out: {"id":1,"full_name":"Ada (#1)","age":36,"origin":"warehouse"}');
    expect(preview.stdout).toMatch(/in: {2}\{"id":3,"name":"Linus","age":"young".*\n {2}rejected: .*age/);
  });

  it('creates from a YAML file with mappings, and names a mapped field the source lacks', async () => {
    const configFile = path.join(dir, 'sync.yaml');
    fs.writeFileSync(
      configFile,
      [
        'name: Mapped people',
        `source: { connection_id: ${connectionId}, streams: [{ name: ${PEOPLE}, target: people }] }`,
        'type: incremental',
        `schedule: { cron: '@hourly' }`,
      ].join('\n'),
    );
    const created = json<Sync & { mappings: { select: string } }>(
      await runCli(['syncs', 'create', '--from-file', configFile, '--mappings', mappingsFile, '--json']),
    );
    expect(created).toMatchObject({ name: 'Mapped people', mappings: { select: 'mapped' } });
    const shown = ok(await runCli(['syncs', 'show', created.id])).stdout;
    expect(shown).toContain('Mappings (only these fields):\n  id ← id\n  full_name ← "{{name}} (#{{id}})"');
    expect(shown).toContain('  age ← age (integer)\n  origin ← constant "warehouse"');
    expect(shown).toMatch(new RegExp(`^ {2}${PEOPLE.replace('.', '\\.')} +people +- +-$`, 'm'));

    const badMappings = path.join(dir, 'bad.json');
    fs.writeFileSync(badMappings, JSON.stringify({ fields: [{ to: 'mail', from: 'email' }] }));
    const bad = await runCli(['syncs', 'update', created.id, '--mappings', badMappings]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error mapping_invalid: .*email/);
    expect(bad.stderr).toMatch(/^ {2}body\.mappings\.fields\[0\]\.from: .*email/m);
    const notJson = path.join(dir, 'broken.json');
    fs.writeFileSync(notJson, '{ "fields": [');
    expect((await runCli(['syncs', 'update', created.id, '--mappings', notJson])).stderr).toMatch(
      /^error: --mappings in .*broken\.json is not valid JSON/,
    );
    const half = await runCli(['syncs', 'create', '--name', 'X', '--source', connectionId]);
    expect(half.stderr).toBe(
      'error: Give the streams to read with --stream <name> (see `switchyard syncs discover`).\n',
    );
    await t.api.DELETE('/v1/syncs/{id}', { params: { path: { id: created.id } } });
  });
});

describe('switchyard syncs: runs, logs, checkpoints', () => {
  let syncId: string;
  let finished: Execution | undefined;

  beforeAll(async () => {
    const res = await t.api.POST('/v1/syncs', {
      body: {
        name: 'People incremental',
        source: { kind: 'connection', connection_id: connectionId, streams: [{ name: PEOPLE, target: 'people' }] },
        type: 'incremental',
        mappings: {
          select: 'all',
          fields: [{ to: 'age', from: 'age', cast: 'integer' }],
        },
      },
    });
    expect(res.error, JSON.stringify(res.error)).toBeUndefined();
    syncId = res.data?.id as string;
  });

  it('a run waits while no runner works; cancel ends it before it starts', async () => {
    const queued = ok(await runCli(['syncs', 'run', syncId]));
    const runId = /^Started run (\S+) of sync /.exec(queued.stdout)?.[1] as string;
    expect(runId).toBeDefined();
    expect(queued.stdout).toContain(`switchyard syncs logs ${runId} --follow`);
    const pending = ok(await runCli(['syncs', 'executions', '--sync', syncId, '--status', 'pending']));
    expect(tableRow(pending.stdout, runId)).toMatch(/ pending +manual /);
    expect(ok(await runCli(['syncs', 'cancel', runId])).stdout).toBe(`Cancelled run ${runId} before it started.\n`);
    const again = await runCli(['syncs', 'cancel', runId]);
    expect(again.stderr).toMatch(/^error conflict: Sync run \S+ already ended \(cancelled\)\./);
    const logs = ok(await runCli(['syncs', 'logs', runId]));
    expect(logs.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ {2}info +- {2}Cancelled before it started\.$/m);
  });

  it('run --wait follows the run to its end; a partial success exits 0 with a note', async () => {
    await t.built.workers.syncRunner.start();
    const run = await runCli(['syncs', 'run', syncId, '--wait', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const final = JSON.parse(run.stdout) as Execution;
    // Linus's age "young" is not an integer: the record is rejected, the others written.
    expect(final).toMatchObject({
      status: 'partial_success',
      records: { processed: 3, created: 2, updated: 0, failed: 1 },
    });
    expect(run.stderr).toContain(`partial_success [████████████████████] 1/1 streams · 3 processed`);
    expect(run.stderr).toContain(`note: 1 records were rejected; see switchyard syncs rejected ${final.id}`);
    finished = final;
  });

  it('executions, execution and rejected show the run’s counts and the record it rejected', async () => {
    const final = finished as Execution;

    const runs = ok(await runCli(['syncs', 'executions', '--sync', syncId]));
    expect(runs.stdout.split('\n')[0]).toMatch(
      /^ID +SYNC +STATUS +TRIGGER +STARTED +DURATION +PROCESSED +CREATED +UPDATED +DELETED +FAILED$/,
    );
    expect(tableRow(runs.stdout, final.id)).toMatch(/ partial_success +manual +\S+ \S+ +\S+( \S+)? +3 +2 +0 +0 +1$/);
    const shown = ok(await runCli(['syncs', 'execution', final.id])).stdout;
    expect(shown).toMatch(/^Records: +3 processed: 2 created, 0 updated, 0 deleted, 1 failed$/m);
    expect(shown).toMatch(new RegExp(`^ {2}${PEOPLE.replace('.', '\\.')} +complete +3 +2 +0 +0 +1`, 'm'));

    const rejected = ok(await runCli(['syncs', 'rejected', final.id]));
    expect(rejected.stdout.split('\n')[0]).toMatch(/^AT +STREAM +KEY +REASON +RECORD$/);
    expect(rejected.stdout).toMatch(/ 3 +field age: 'young' is not an integer +\{"id":3,/);
  });

  it('logs prints the run’s log (--follow ends with the run), the same entries as --json', async () => {
    const final = finished as Execution;
    const logs = ok(await runCli(['syncs', 'logs', final.id, '--follow']));
    expect(logs.stdout.trimEnd().split('\n').length).toBeGreaterThan(0);
    const entries = json<{ message: string }[]>(await runCli(['syncs', 'logs', final.id, '--json']));
    expect(entries.map((e) => e.message).join('\n')).toBe(
      logs.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.split('  ').slice(3).join('  '))
        .join('\n'),
    );
  });

  it('state shows the checkpoint the run saved; state set rewinds it, reset forgets it; stats count the runs', async () => {
    const final = finished as Execution;
    const state = ok(await runCli(['syncs', 'state', syncId]));
    expect(state.stdout.split('\n')[0]).toMatch(/^STREAM +STATE +SAVED BY +UPDATED$/);
    expect(tableRow(state.stdout, PEOPLE)).toContain(final.id);
    // Rewind by hand, audited; then reset.
    const set = json<{ state: Record<string, unknown>; execution_id: string | null }>(
      await runCli(['syncs', 'state', 'set', syncId, PEOPLE, '--state', '{"cursor":"2025-01-02T00:00:00Z"}', '--json']),
    );
    expect(set).toMatchObject({ state: { cursor: '2025-01-02T00:00:00Z' }, execution_id: null });
    expect(tableRow(ok(await runCli(['syncs', 'state', syncId])).stdout, PEOPLE)).toMatch(
      /^\S+ +\{"cursor":"2025-01-02T00:00:00Z"\} +hand +\d{4}-/,
    );
    const notObject = await runCli(['syncs', 'state', 'set', syncId, PEOPLE, '--state', '[1]']);
    expect(notObject.stderr).toMatch(/^error: --state must be a JSON object/);
    const unknownStream = await runCli(['syncs', 'state', 'set', syncId, 'nope', '--state', '{}']);
    expect(unknownStream.stderr).toMatch(/^error stream_unknown: /);
    expect(ok(await runCli(['syncs', 'reset', syncId, '--stream', PEOPLE, '--yes'])).stdout).toBe(
      `Reset ${PEOPLE} of sync ${syncId}: the next run reads them from the start.\n`,
    );
    expect(ok(await runCli(['syncs', 'state', syncId])).stdout).toBe(
      'No checkpoints: the next run reads everything.\n',
    );

    const stats = ok(await runCli(['syncs', 'stats']));
    expect(stats.stdout).toMatch(/^ {2}Configurations: +1 \(1 enabled\)$/m);
    expect(stats.stdout).toMatch(/^ {2}Runs: +2$/m);
    expect(stats.stdout).toContain('Records per run, last 2 runs, oldest first:');
  });

  it('a run that fails exits 1 with the reason', async () => {
    await admin.query(`alter table ${PEOPLE} rename to people_gone`);
    try {
      const run = await runCli(['syncs', 'run', syncId, '--wait']);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^Run \S+ ended failed\.$/m);
      expect(run.stderr).toMatch(/^error \w+: .*people/m);
    } finally {
      await admin.query(`alter table ${schema}.people_gone rename to people`);
    }
  });

  it('deleting the connection names the sync it also deletes before refusing without --yes', async () => {
    const refused = await runCli(['connections', 'delete', connectionId]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`It also deletes the sync using it: People incremental (${syncId}).`);
    expect(ok(await runCli(['syncs', 'show', syncId])).stdout).toContain('People incremental');
  });
});

describe('progress and chart text', () => {
  const execution = (over: Partial<Execution>): Execution =>
    ({
      id: 'syncx_1',
      sync_id: 'sync_1',
      status: 'running',
      stuck: false,
      cancel_requested: false,
      streams: [],
      stream_progress: {},
      records: { processed: 0, created: 0, updated: 0, deleted: 0, failed: 0 },
      finished_at: null,
      ...over,
    }) as Execution;
  const counts = { processed: 5, created: 5, updated: 0, deleted: 0, failed: 0 };

  it('the bar counts finished streams and names the one being read', () => {
    const e = execution({
      streams: ['a', 'b'],
      stream_progress: { a: { ...counts, status: 'complete' }, b: { ...counts, status: 'running' } },
      records: { processed: 10, created: 8, updated: 2, deleted: 1, failed: 0 },
    });
    expect(runProgressText(e)).toBe(
      'running [██████████░░░░░░░░░░] 1/2 streams · b · 10 processed (8 created, 2 updated, 1 deleted, 0 failed)',
    );
    expect(runProgressText(execution({ stuck: true }))).toBe(
      'running (stuck: no heartbeat) · 0 processed (0 created, 0 updated, 0 failed)',
    );
  });

  it('the chart shows finished runs oldest first, and the local time names its offset', () => {
    const runs = [
      execution({ finished_at: 'x', records: { ...counts, processed: 100, failed: 4 } }),
      execution({}),
      execution({ finished_at: 'x', records: { ...counts, processed: 50 } }),
    ];
    expect(formatRunsChart(runs)).toBe(
      'Records per run, last 2 runs, oldest first:\n  processed  ▄█  (max 100)\n  failed      ▁  (max 4)',
    );
    expect(formatRunsChart([])).toBe('Records per run: no finished runs yet.');
    expect(zonedTime('2025-03-30T01:00:00.000Z', 'Europe/Berlin')).toBe('Sun 2025-03-30 03:00 GMT+2');
    expect(zonedTime('2025-03-29T01:00:00.000Z', 'Europe/Berlin')).toBe('Sat 2025-03-29 02:00 GMT+1');
  });
});
