import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Json, type TestApp } from '../../../test/helpers/app.js';
import { createApiKeyConnection } from '../../../test/helpers/catalog.js';
import { expectProblem } from '../../../test/helpers/fixtures.js';
import { finishedRun, startRun } from '../../../test/helpers/syncs.js';

/**
 * Bulk import through the running server (seed 002, Pattern 3): upload → inspect → a sync from the file → dry run
 * with the errors file → import under a policy → undo. The sync runner runs as in production.
 */
let t: TestApp;
let connectionId: string;

beforeAll(async () => {
  t = await createTestApp();
  connectionId = await createApiKeyConnection(t);
  await t.built.workers.syncRunner.start();
});

afterAll(async () => {
  await t?.built.workers.stop(5000);
  await t?.close();
});

async function upload(name: string, text: string): Promise<string> {
  const res = await t.request({
    method: 'POST',
    // Each call a file of its own (a name already taken gets "name (2)"), as `switchyard import` uploads.
    url: `/v1/files?name=${name}&if_exists=rename`,
    headers: { 'content-type': 'text/csv' },
    body: text,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

const people = [
  'id,email,plan,score,joined',
  '1,ada@example.com,pro,10,2024-01-05',
  '2,grace@example.com,free,7,2024-02-11',
  '3,not-an-email,pro,5,2024-03-01',
  '4,linus@example.com,gold,3,2024-04-09',
  '5,ken@example.com,free,eleven,2024-05-20',
  '6,barbara@example.com,pro,9,2024-06-30',
].join('\n');

const schema = [
  { name: 'id', type: 'integer', nullable: false },
  { name: 'email', type: 'string', nullable: false, pattern: '[^@\\s]+@[^@\\s]+' },
  { name: 'plan', type: 'string', enum: ['free', 'pro'] },
  { name: 'score', type: 'integer' },
  { name: 'joined', type: 'date' },
];

async function createImport(fileId: string, model: string, source: Json = {}, config: Json = {}): Promise<string> {
  const res = await t.request({
    method: 'POST',
    url: '/v1/syncs',
    body: {
      name: `Import ${model}`,
      type: 'full',
      source: {
        kind: 'file',
        file_id: fileId,
        format: { format: 'csv' },
        schema,
        unique: [['id']],
        streams: [{ name: model, primary_key: ['id'] }],
        ...source,
      },
      target: { kind: 'record_store', connection_id: connectionId },
      ...config,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

async function liveRecords(model: string): Promise<Json[]> {
  const res = await t.request({ url: `/v1/records?connection_id=${connectionId}&model=${model}&limit=100` });
  expect(res.statusCode, res.body).toBe(200);
  return (res.data.records as Json[]).filter((r) => (r._switchyard as Json).deleted_at === null);
}

describe('file imports', () => {
  it('inspects a file: the detected format, a proposed schema and the first records', async () => {
    const fileId = await upload('people.csv', people);
    const res = await t.request({ method: 'POST', url: '/v1/imports/inspect', body: { file_id: fileId, preview: 2 } });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.data.format as Json).format).toBe('csv');
    const fields = (res.data.schema as Json).fields as Json[];
    expect(fields.map((f) => [f.name, f.type])).toEqual([
      ['id', 'integer'],
      ['email', 'string'],
      ['plan', 'string'],
      ['score', 'string'],
      ['joined', 'date'],
    ]);
    expect(fields.find((f) => f.name === 'score')?.note).toMatch(/eleven/);
    expect(res.data.sample).toEqual([
      { id: '1', email: 'ada@example.com', plan: 'pro', score: '10', joined: '2024-01-05' },
      { id: '2', email: 'grace@example.com', plan: 'free', score: '7', joined: '2024-02-11' },
    ]);

    const binary = await t.request({
      method: 'POST',
      url: '/v1/files?name=photo.csv',
      headers: { 'content-type': 'text/csv' },
      body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
    });
    const refused = await t.request({
      method: 'POST',
      url: '/v1/imports/inspect',
      body: { file_id: binary.data.id as string },
    });
    expectProblem(refused, 422, 'file_unreadable');
  });

  it('previews a mapping on the file’s first records, converted by the schema, with its key', async () => {
    const fileId = await upload('people.csv', people);
    const preview = (body: Json) =>
      t.request({
        method: 'POST',
        url: '/v1/syncs/mapping-preview',
        body: { kind: 'file', file_id: fileId, format: { format: 'csv' }, schema, stream: 'people', limit: 2, ...body },
      });
    const renamed = {
      select: 'mapped',
      fields: [
        { from: 'id', to: 'id' },
        { from: 'email', to: 'e_mail' },
      ],
    };
    const keyed = await preview({ primary_key: ['id'], mappings: renamed });
    expect(keyed.statusCode, keyed.body).toBe(200);
    expect(keyed.data.problems).toEqual([]);
    expect(keyed.data.samples).toEqual([
      {
        input: { id: 1, email: 'ada@example.com', plan: 'pro', score: 10, joined: '2024-01-05' },
        output: { id: 1, e_mail: 'ada@example.com' },
        error: null,
      },
      {
        input: { id: 2, email: 'grace@example.com', plan: 'free', score: 7, joined: '2024-02-11' },
        output: { id: 2, e_mail: 'grace@example.com' },
        error: null,
      },
    ]);
    // Without a key, records are keyed by their number in the file: a mapping that drops it says so.
    const numbered = await preview({ mappings: renamed });
    expect(numbered.statusCode, numbered.body).toBe(200);
    expect((numbered.data.problems as Json[])[0]?.message).toMatch(/_record/);
  });

  it('dry-runs the whole file, writing nothing, and gives the errors file with a reason per rejected row', async () => {
    const syncId = await createImport(await upload('people.csv', people), 'dry_people');
    const check = await finishedRun(t, await startRun(t, syncId, { dry_run: true }));
    expect(check).toMatchObject({ status: 'partial_success', dry_run: true });
    expect(check.records).toMatchObject({ processed: 6, created: 0, updated: 0, failed: 3 });
    expect(await liveRecords('dry_people')).toEqual([]);

    const errors = await t.request({ url: `/v1/syncs/executions/${check.id as string}/errors-file` });
    expect(errors.statusCode).toBe(200);
    expect(errors.headers['content-type']).toContain('text/csv');
    const lines = errors.body.trim().split(/\r?\n/);
    expect(lines[0]).toBe('id,email,plan,score,joined,_stream,_error');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^3,not-an-email,.*record 3 \(line 4\), email: .*does not match/);
    expect(lines[2]).toMatch(/^4,linus@example.com,gold,.*plan/);
    expect(lines[3]).toMatch(/^5,ken@example.com,free,eleven,.*score/);
    // The dry run moved no checkpoint.
    expect((await t.request({ url: `/v1/syncs/${syncId}/state` })).data.data).toEqual([]);
  });

  it('checks records against an event type’s JSON Schema too', async () => {
    const type = await t.request({
      method: 'POST',
      url: '/v1/event-types',
      body: {
        name: 'person.imported',
        schema: { type: 'object', properties: { score: { type: 'integer', maximum: 8 } } },
      },
    });
    expect(type.statusCode, type.body).toBe(201);
    const syncId = await createImport(await upload('people.csv', people), 'typed_people', {
      event_type: 'person.imported',
    });
    const check = await finishedRun(t, await startRun(t, syncId, { dry_run: true }));
    // The three records the schema's own rules refuse, and records 1 and 6 whose score is over the type's maximum.
    expect((check.records as Json).failed).toBe(5);
    const rejected = await t.request({ url: `/v1/syncs/executions/${check.id as string}/rejected` });
    const reasons = (rejected.data.data as Json[]).map((r) => r.reason as string);
    expect(reasons.filter((r) => /maximum|<= 8/.test(r))).toHaveLength(2);

    const unknown = await t.request({
      method: 'POST',
      url: '/v1/syncs',
      body: {
        name: 'Unknown type',
        source: {
          kind: 'file',
          file_id: await upload('people.csv', people),
          format: { format: 'csv' },
          event_type: 'no.such.type',
          streams: [{ name: 'x' }],
        },
        target: { kind: 'record_store', connection_id: connectionId },
      },
    });
    expectProblem(unknown, 422, 'source_unavailable');
    expect(unknown.data.detail).toMatch(/no\.such\.type/);
  });

  it('rejects the whole file under reject_file: every error reported, nothing imported', async () => {
    const syncId = await createImport(await upload('people.csv', people), 'strict_people', { on_error: 'reject_file' });
    const run = await finishedRun(t, await startRun(t, syncId));
    expect(run).toMatchObject({ status: 'failed', error_code: 'records_rejected' });
    expect((run.records as Json).failed).toBe(3);
    expect(run.error).toMatch(/nothing was imported/);
    expect(await liveRecords('strict_people')).toEqual([]);
  });

  it('writes a reject_file import into the record store in one transaction: read once, rolled back by a late refusal', async () => {
    const late = [
      'id,email,plan,score,joined',
      '1,ada@example.com,pro,10,2024-01-05',
      '2,grace@example.com,free,7,2024-02-11',
    ];
    late.push('4,linus@example.com,pro,3,2024-04-09', '6,barbara@example.com,pro,eleven,2024-06-30');
    // Batches of one: three records are written (in the run's transaction) before the fourth is refused.
    const syncId = await createImport(await upload('late.csv', late.join('\n')), 'late_people', {}, { batch_size: 1 });
    const run = await finishedRun(t, await startRun(t, syncId));
    expect(run).toMatchObject({ status: 'failed', error_code: 'records_rejected' });
    expect(run.records).toMatchObject({ processed: 4, created: 0, failed: 1 });
    const all = await t.request({ url: `/v1/records?connection_id=${connectionId}&model=late_people&limit=10` });
    expect(all.data.records).toEqual([]); // not even as deleted: the three written records were rolled back
    const logs = await t.request({ url: `/v1/syncs/executions/${run.id as string}/logs` });
    const said = (logs.data.data as Json[]).map((l) => l.message as string);
    expect(said).toContain('Writing late_people in one transaction: nothing is kept unless every record is.');
    expect(said.some((m) => m.startsWith('Checked '))).toBe(false);

    const clean = await createImport(
      await upload('late.csv', late.slice(0, 4).join('\n')),
      'late_people',
      {},
      {
        batch_size: 1,
      },
    );
    const done = await finishedRun(t, await startRun(t, clean));
    expect(done).toMatchObject({ status: 'success', records: { processed: 3, created: 3, failed: 0 } });
    expect((await liveRecords('late_people')).map((r) => r.id).sort()).toEqual(['1', '2', '4']);
  });

  it('stops at the first error under stop, importing nothing', async () => {
    const syncId = await createImport(await upload('people.csv', people), 'stop_people', { on_error: 'stop' });
    const run = await finishedRun(t, await startRun(t, syncId));
    expect(run).toMatchObject({ status: 'failed', error_code: 'records_rejected' });
    expect((run.records as Json).failed).toBe(1);
    expect(run.error).toMatch(/record 3 \(line 4\)/);
    expect(await liveRecords('stop_people')).toEqual([]);
  });

  it('imports the good rows under skip (Partial Success), then undoes the import', async () => {
    // Two records exist before the import: one it will change, one it will not touch.
    const seed = await createImport(
      await upload(
        'seed.csv',
        'id,email,plan,score,joined\n1,ada@old.example,free,1,2020-01-01\n9,nine@example.com,pro,9,2020-09-09',
      ),
      'people',
      { on_error: 'skip' },
    );
    expect((await finishedRun(t, await startRun(t, seed))).status).toBe('success');

    const syncId = await createImport(await upload('people.csv', people), 'people', { on_error: 'skip' });
    const run = await finishedRun(t, await startRun(t, syncId));
    expect(run).toMatchObject({ status: 'partial_success', error_code: 'records_rejected' });
    expect(run.records).toMatchObject({ processed: 6, created: 2, updated: 1, failed: 3 });
    const after = await liveRecords('people');
    expect(after.map((r) => r.id).sort()).toEqual(['1', '2', '6', '9']);
    expect(after.find((r) => r.id === '1')?.data).toMatchObject({ email: 'ada@example.com', plan: 'pro', score: 10 });

    const undo = await t.request({ method: 'POST', url: `/v1/syncs/executions/${run.id as string}/undo` });
    expect(undo.statusCode, undo.body).toBe(200);
    expect(undo.data.undo).toMatchObject({ removed: 2, restored: 1, kept: 0 });
    const undone = await liveRecords('people');
    expect(undone.map((r) => r.id).sort()).toEqual(['1', '9']);
    expect(undone.find((r) => r.id === '1')?.data).toMatchObject({ email: 'ada@old.example', plan: 'free' });

    expectProblem(
      await t.request({ method: 'POST', url: `/v1/syncs/executions/${run.id as string}/undo` }),
      409,
      'import_not_undoable',
    );
  });

  it('undoes a full-refresh import: the records its file lacked come back, soft or hard deleted', async () => {
    const csv = (rows: string[]) => ['id,email,plan,score,joined', ...rows].join('\n');
    const importInto = async (model: string, rows: string[], config: Json = {}) =>
      createImport(await upload(`${model}.csv`, csv(rows)), model, {}, config);
    const seedRows = ['1,ada@old.example,free,1,2020-01-01', '8,eight@example.com,pro,8,2020-08-08'];
    const fileRows = ['1,ada@example.com,pro,10,2024-01-05', '2,grace@example.com,free,7,2024-02-11'];
    const ids = async (model: string) => (await liveRecords(model)).map((r) => r.id).sort();

    for (const mode of ['soft', 'hard'] as const) {
      const model = `refresh_${mode}`;
      const seed = await importInto(model, [...seedRows, '9,nine@example.com,pro,9,2020-09-09']);
      expect((await finishedRun(t, await startRun(t, seed))).status).toBe('success');
      const replace = await importInto(model, fileRows, { deletion: { mode, max_delete_share: 1 } });
      const run = await finishedRun(t, await startRun(t, replace, { full_refresh: true }));
      expect(run).toMatchObject({ status: 'success', full_refresh: true });
      expect(run.records).toMatchObject({ created: 1, updated: 1, deleted: 2 });
      expect(await ids(model)).toEqual(['1', '2']);
      // Record 9 is written again by another import after the refresh: the undo leaves it as that import left it.
      const later = await importInto(model, ['9,nine@new.example,free,99,2025-09-09']);
      expect((await finishedRun(t, await startRun(t, later))).status).toBe('success');

      const undo = await t.request({ method: 'POST', url: `/v1/syncs/executions/${run.id as string}/undo` });
      expect(undo.statusCode, undo.body).toBe(200);
      expect(undo.data.undo, mode).toMatchObject({ removed: 1, restored: 2, kept: 1 });
      const after = await liveRecords(model);
      expect(after.map((r) => r.id).sort()).toEqual(['1', '8', '9']);
      expect(after.find((r) => r.id === '1')?.data).toMatchObject({ email: 'ada@old.example', plan: 'free' });
      expect(after.find((r) => r.id === '8')?.data).toMatchObject({ email: 'eight@example.com', score: 8 });
      expect(after.find((r) => r.id === '9')?.data).toMatchObject({ email: 'nine@new.example', score: 99 });
    }
  });

  it('applies the new-column policy', async () => {
    const wide = 'id,email,plan,score,joined,extra\n1,a@example.com,pro,1,2024-01-01,x\n';
    const discard = await createImport(await upload('wide.csv', wide), 'wide_discard', {
      on_error: 'skip',
      new_columns: 'discard_value',
    });
    expect((await finishedRun(t, await startRun(t, discard))).status).toBe('success');
    expect((await liveRecords('wide_discard'))[0]?.data).not.toHaveProperty('extra');

    const evolve = await createImport(await upload('wide.csv', wide), 'wide_evolve', { on_error: 'skip' });
    expect((await finishedRun(t, await startRun(t, evolve))).status).toBe('success');
    expect((await liveRecords('wide_evolve'))[0]?.data).toMatchObject({ extra: 'x' });

    const freeze = await createImport(await upload('wide.csv', wide), 'wide_freeze', { new_columns: 'freeze' });
    const frozen = await finishedRun(t, await startRun(t, freeze));
    expect(frozen).toMatchObject({ status: 'failed', error_code: 'schema_changed' });
    expect(frozen.error).toMatch(/extra/);
    expect(await liveRecords('wide_freeze')).toEqual([]);
  });

  it('fails a file broken part way with the line, importing nothing under reject_file', async () => {
    const broken = `${people.split('\n').slice(0, 3).join('\n')}\n7,"unclosed@example.com,pro,1,2024-01-01\n`;
    const syncId = await createImport(await upload('broken.csv', broken), 'broken_people');
    const run = await finishedRun(t, await startRun(t, syncId));
    expect(run).toMatchObject({ status: 'failed', error_code: 'file_unreadable' });
    expect(run.error).toMatch(/line 4/);
    expect(await liveRecords('broken_people')).toEqual([]);
  });

  it('lists imports with their file, latest check and latest import', async () => {
    const res = await t.request({ url: '/v1/imports?limit=200' });
    expect(res.statusCode, res.body).toBe(200);
    const item = (res.data.data as Json[]).find((i) => (i.sync as Json).name === 'Import dry_people') as Json;
    expect((item.file as Json).name).toMatch(/^people( \(\d+\))?\.csv$/);
    expect((item.last_check as Json).dry_run).toBe(true);
    expect(item.last_import).toBeNull();
  });

  it('refuses a file import into the record store without a connection', async () => {
    const fileId = await upload('people.csv', people);
    const res = await t.request({
      method: 'POST',
      url: '/v1/syncs',
      body: {
        name: 'No home',
        source: { kind: 'file', file_id: fileId, format: { format: 'csv' }, streams: [{ name: 'x' }] },
      },
    });
    expectProblem(res, 400, 'validation_failed');
  });
});
