import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/syncs.js';
import { openConsole, signIn, startConsoleEnv, type ConsoleEnv } from './harness.js';

// File imports in the console (seed 002, Pattern 3) against a real `switchyard serve`, whose sync runner does the
// runs: upload → preview → schema → target and mapping → dry run → import → undo, the imports history, the files
// store (with a resumable upload that loses a chunk's answer) and a record model's export.
let env: ConsoleEnv;
let admin: { email: string; password: string };
let connectionId: string;

const people = [
  'id,email,plan,score,joined',
  '1,ada@example.com,pro,10,2024-01-05',
  '2,grace@example.com,free,7,2024-02-11',
  '3,linus@example.com,pro,3,2024-04-09',
  '4,ken@example.com,free,eleven,2024-05-20',
  '5,barbara@example.com,pro,9,2024-06-30',
].join('\n');

/** Upload through the API as the superuser (for what a scenario starts from). */
async function uploadByApi(name: string, text: string): Promise<string> {
  const res = await fetch(`${env.serve.url}/v1/files?name=${name}&folder=/seed`, {
    method: 'POST',
    headers: { authorization: `Bearer ${env.adminToken}`, 'content-type': 'text/csv' },
    body: text,
  });
  const body = (await res.json()) as { id: string };
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.id;
}

async function finished(executionId: string) {
  return until(
    () => env.api('GET', `/v1/syncs/executions/${executionId}`),
    (r) => !['pending', 'running'].includes(r.data.status as string),
    `run ${executionId} to end`,
  );
}

async function liveRecords(model: string): Promise<{ id: string; data: Record<string, unknown> }[]> {
  const res = await env.api('GET', `/v1/records?connection_id=${connectionId}&model=${model}&limit=100`);
  expect(res.status, JSON.stringify(res.data)).toBe(200);
  type Stored = { id: string; data: Record<string, unknown>; _switchyard: { deleted_at: string | null } };
  return (res.data.records as Stored[])
    .filter((r) => r._switchyard.deleted_at === null)
    .map((r) => ({ id: r.id, data: r.data }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Click what starts a download and read what arrived. */
async function download(page: Page, click: () => Promise<void>): Promise<{ file: Download; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await file.path();
  return { file, text: fs.readFileSync(path, 'utf8') };
}

beforeAll(async () => {
  env = await startConsoleEnv();
  admin = await env.createUser('administrator');
  const created = await env.api('POST', '/v1/connections', {
    connector: 'generic_rest',
    name: 'CRM',
    auth_method: 'api_key',
    config: { base_url: env.vendor.url },
    credentials: { api_key: 'k' },
    validate: false,
  });
  expect(created.status, JSON.stringify(created.data)).toBe(201);
  connectionId = created.data.id as string;
  // The model already holds two people, under a field name the file spells differently (e_mail, not email).
  const seed = await env.api('POST', '/v1/syncs', {
    name: 'Seed people',
    type: 'full',
    source: {
      kind: 'file',
      file_id: await uploadByApi(
        'seed.csv',
        'id,e_mail,plan,score,joined\n1,ada@old.example,free,1,2020-01-01\n9,nine@example.com,pro,9,2020-09-09',
      ),
      format: { format: 'csv' },
      schema: [
        { name: 'id', type: 'integer', nullable: false },
        { name: 'e_mail', type: 'string' },
        { name: 'plan', type: 'string' },
        { name: 'score', type: 'integer' },
        { name: 'joined', type: 'date' },
      ],
      streams: [{ name: 'people', primary_key: ['id'] }],
    },
    target: { kind: 'record_store', connection_id: connectionId },
  });
  expect(seed.status, JSON.stringify(seed.data)).toBe(201);
  const started = await env.api('POST', `/v1/syncs/${seed.data.id as string}/run`, {});
  expect(started.status, JSON.stringify(started.data)).toBe(202);
  const run = await finished((started.data.execution as { id: string }).id);
  expect(run.data.status, JSON.stringify(run.data)).toBe('success');
}, 120_000);
afterAll(async () => env?.close());

describe('console: file imports', () => {
  it('imports a CSV through the wizard: schema edited, dry run with the error in place, Partial Success, undo', async () => {
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.getByRole('link', { name: 'Sync Management', exact: true }).click();
    await page.getByRole('navigation', { name: 'Sync Management' }).getByRole('link', { name: 'Imports' }).click();
    await page.getByRole('heading', { name: 'Imports', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Import a file' }).click();
    await page.getByRole('heading', { name: 'Import a file', level: 1 }).waitFor();

    // 1. Upload (picked; a small file goes in one request).
    await page.getByLabel('Choose a file').setInputFiles({
      name: 'people.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(people),
    });

    // 2. Preview: detected as CSV, the first records as a table.
    await page.getByTestId('detected-format').getByText('CSV').waitFor();
    expect(await page.getByTestId('wizard-step').textContent()).toBe('2. Preview');
    const sample = page.getByTestId('sample-records').locator('tbody tr');
    expect(await sample.count()).toBe(5);
    expect(await sample.nth(3).locator('td').allTextContents()).toEqual([
      '4',
      '4',
      'ken@example.com',
      'free',
      'eleven',
      '2024-05-20',
    ]);
    expect(await page.getByLabel('Delimiter').inputValue()).toBe(',');
    expect(await page.getByLabel('The first row names the columns').isChecked()).toBe(true);
    await c.screenshot('imports-preview');

    // 3. Schema: score was proposed as text because of "eleven" (the note says so); make it an integer.
    await page.getByRole('button', { name: 'Next: Schema' }).click();
    const score = page.getByTestId('schema-field').filter({ hasText: 'score' });
    expect(await score.getByTestId('inference-note').textContent()).toMatch(/eleven/);
    expect(await page.getByLabel('Type of score').inputValue()).toBe('string');
    expect(await page.getByLabel('Type of id').inputValue()).toBe('integer');
    await page.getByLabel('Type of score').selectOption('integer');
    await c.screenshot('imports-schema');

    // 4. Target and mapping: the record store under CRM, model "people"; email matches the model's e_mail.
    await page.getByRole('button', { name: 'Next: Target and mapping' }).click();
    expect(await page.getByLabel('Model', { exact: true }).inputValue()).toBe('people');
    await page.getByLabel('Keep the records under').selectOption(connectionId);
    await expect.poll(() => page.getByLabel('Target field for email').inputValue()).toBe('e_mail');
    expect(await page.getByLabel('Target field for score').inputValue()).toBe('score');
    expect(await page.getByRole('checkbox', { name: 'id', exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('A bad record').inputValue()).toBe('skip');
    expect(await page.getByRole('checkbox', { name: 'Keep an undo journal' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Preview on sample records' }).click();
    const samples = page.getByTestId('mapping-samples');
    await samples.getByText('"e_mail": "ada@example.com"').waitFor();
    expect(await samples.textContent()).toContain('"score": 10');
    await c.screenshot('imports-target');

    // 5. Dry run: every record checked, nothing written; the bad one shown where it is, and in the errors file.
    await page.getByRole('button', { name: 'Next: Dry run' }).click();
    await page.getByRole('button', { name: 'Run the dry run' }).click();
    const check = page.getByTestId('check-result');
    await check.getByText('partial success').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('check-counts').textContent()).toBe('Records read5Valid4Rejected1');
    const error = page.getByTestId('first-error');
    await expect.poll(() => error.count()).toBe(1);
    const cells = await error.locator('td').allTextContents();
    expect(cells.slice(0, 3)).toEqual(['4', '5', 'score']);
    expect(cells[3]).toMatch(/integer/i);
    expect(await error.locator('td.im-bad-cell mark').textContent()).toBe('eleven');
    expect((await liveRecords('people')).map((r) => r.id)).toEqual(['1', '9']);
    const errors = await download(page, () => check.getByRole('link', { name: /Download errors file/ }).click());
    const lines = errors.text.trim().split(/\r?\n/);
    expect(lines[0]).toBe('id,email,plan,score,joined,_stream,_error');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^4,ken@example.com,free,eleven,2024-05-20,people,.*record 4 \(line 5\), score/);
    await c.screenshot('imports-dry-run');

    // 6. Import: the four good records (three new, one updated), the bad one skipped: Partial Success.
    await page.getByRole('button', { name: 'Next: Import' }).click();
    await page.getByText('4 records will be written; the 1 rejected ones are skipped (Partial Success).').waitFor();
    await page.getByRole('button', { name: 'Import 4 records' }).click();
    const result = page.getByTestId('import-result');
    await result.getByText('Partial Success: 4 imported, 1 rejected.').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('import-counts').textContent()).toBe('Records read5Created3Updated1Rejected1');
    const imported = await liveRecords('people');
    expect(imported.map((r) => r.id)).toEqual(['1', '2', '3', '5', '9']);
    expect(imported[0]?.data).toMatchObject({ id: 1, e_mail: 'ada@example.com', plan: 'pro', score: 10 });
    await c.screenshot('imports-result');

    // Undo, after a confirmation: the three created records go, the updated one gets its earlier content back.
    await result.getByRole('button', { name: 'Undo' }).click();
    const confirm = page.getByRole('dialog', { name: 'Undo the import' });
    expect(await confirm.textContent()).toContain('The 3 records “Import people.csv” created are removed');
    await confirm.getByRole('button', { name: 'Undo import' }).click();
    await page
      .getByTestId('notice-success')
      .filter({ hasText: 'Import “Import people.csv” undone: 3 removed, 1 restored, 0 kept.' })
      .waitFor();
    await result.getByTestId('undo-summary').waitFor();
    expect(await result.getByRole('button', { name: 'Undo' }).count()).toBe(0);
    const undone = await liveRecords('people');
    expect(undone.map((r) => r.id)).toEqual(['1', '9']);
    expect(undone[0]?.data).toMatchObject({ e_mail: 'ada@old.example', plan: 'free' });

    // The history: the import with its check and its (undone) import, and the chart of valid and rejected records.
    await result.getByRole('link', { name: 'All imports' }).click();
    const row = page.getByTestId('import-row').filter({ hasText: 'Import people.csv' });
    expect(await row.getByTestId('check-figures').textContent()).toBe('4 valid, 1 rejected');
    expect(await row.getByTestId('import-figures').textContent()).toBe('3 created, 1 updated, 1 rejected');
    expect(await row.getByTestId('undo-summary').textContent()).toMatch(/3 removed, 1 restored, 0 kept/);
    expect(await row.getByRole('button', { name: 'Undo the import Import people.csv' }).count()).toBe(0);
    const chart = page.getByTestId('chart');
    expect(await chart.getAttribute('aria-label')).toMatch(/Valid: 6, Rejected: 1/);
    expect(await chart.locator('rect title').allTextContents()).toEqual([
      'Seed people: 2 Valid',
      'Import people.csv: 4 Valid',
      'Import people.csv: 1 Rejected',
    ]);
    await c.screenshot('imports-history');

    // Run it again from the history: a new import (not undone), which can be undone from there.
    await row.getByRole('button', { name: 'Run again Import people.csv' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'Import of “Import people.csv” started.' }).waitFor();
    await row.getByRole('button', { name: 'Undo the import Import people.csv' }).waitFor({ timeout: 30_000 });
    expect(await row.getByTestId('undo-summary').count()).toBe(0);
    expect(await row.getByTestId('import-figures').textContent()).toMatch(/^\d+ created, \d+ updated, 1 rejected$/);
    expect((await liveRecords('people')).map((r) => r.id)).toEqual(['1', '2', '3', '5', '9']);

    // The import's sync names its file and leads back to its history; it is changed by importing, not in the form.
    await row.getByRole('link', { name: 'Import people.csv' }).click();
    const source = page.getByTestId('file-source');
    await source.getByRole('link', { name: 'people.csv' }).waitFor();
    expect(await source.textContent()).toContain('read as CSV');
    expect(await source.textContent()).toContain('5 fields checked · a bad record: skip it');
    expect(await page.getByRole('link', { name: 'Edit', exact: true }).count()).toBe(0);
    await source.getByRole('link', { name: 'Import history' }).click();
    await page.locator('[data-testid="import-row"][aria-current="true"]').getByText('Import people.csv').waitFor();
    await c.close();
  });

  it('lists, filters, uploads (resuming after a lost chunk), downloads and deletes files', async () => {
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    // The files store moved to its own section: the old address leads there.
    await page.goto('/syncs/files');
    await page.getByRole('heading', { name: 'Files', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/files');
    const rows = page.getByTestId('file-row');
    await expect.poll(() => rows.count()).toBe(2);
    const names = async () => (await rows.locator('td:nth-child(2)').allTextContents()).map((t) => t.trim());
    expect(await names()).toEqual(['people.csv', 'seed.csv']);
    const peopleRow = rows.filter({ hasText: 'people.csv' });
    expect(await peopleRow.locator('td').allTextContents()).toEqual([
      '',
      'people.csv',
      '/imports',
      `${people.length} B`,
      'text/csv',
      'upload',
      '1',
      expect.stringMatching(/ago|just now/),
      expect.stringContaining('Download'),
    ]);

    // A folder of the tree, and back to all files.
    await page.getByTestId('folder-tree').getByRole('link', { name: 'seed' }).click();
    await expect.poll(names).toEqual(['seed.csv']);
    expect(new URL(page.url()).searchParams.get('folder')).toBe('/seed');
    await page.getByTestId('folder-tree').getByRole('link', { name: 'All files' }).click();
    await expect.poll(() => rows.count()).toBe(2);

    // Download: the bytes uploaded.
    const got = await download(page, () => peopleRow.getByRole('link', { name: 'Download people.csv' }).click());
    expect(got.file.suggestedFilename()).toBe('people.csv');
    expect(got.text).toBe(people);

    // A 5 MiB file goes up in chunks; the answer to the second one is lost (the server kept the chunk): the page asks
    // the server where the upload stands and goes on from there, so the file is whole, not doubled.
    const big = Buffer.alloc(5 * 1024 * 1024 + 123, 'id,name\n1,abcdefghij\n');
    let patches = 0;
    await page.route('**/v1/files/uploads/*', async (route) => {
      if (route.request().method() !== 'PATCH') return route.continue();
      patches += 1;
      if (patches !== 2) return route.continue();
      await route.fetch();
      return route.abort('connectionreset');
    });
    c.allowErrors(/ERR_CONNECTION_RESET|Failed to load resource/);
    await page.getByLabel('Into folder').fill('/bulk');
    await page.getByLabel('Choose a file').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: big });
    const progress = page.getByTestId('upload-progress');
    await progress.getByText(/^Uploaded/).waitFor({ timeout: 30_000 });
    expect(await progress.textContent()).toContain('5.0 MiB of 5.0 MiB (100%) · resumed once after a failed chunk');
    await page.getByTestId('notice-success').filter({ hasText: 'File “big.csv” uploaded (5.0 MiB).' }).waitFor();
    const bigRow = rows.filter({ hasText: 'big.csv' });
    await bigRow.waitFor();
    expect(await bigRow.locator('td').nth(2).textContent()).toBe('/bulk');
    // The panel names the bytes' SHA-256.
    await bigRow.getByRole('button', { name: 'big.csv', exact: true }).click();
    const panel = page.getByRole('dialog', { name: 'big.csv' });
    expect(await panel.locator('dl').textContent()).toContain(createHash('sha256').update(big).digest('hex'));
    await panel.getByRole('button', { name: 'Close' }).click();
    await page.unroute('**/v1/files/uploads/*');
    await c.screenshot('files-list');

    // Delete, after a confirmation.
    await bigRow.getByRole('button', { name: 'Delete big.csv' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete the file' });
    expect(await confirm.textContent()).toContain('“big.csv” (5.0 MiB) is deleted from /bulk, with its versions');
    await confirm.getByRole('button', { name: 'Delete file' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'File “big.csv” deleted.' }).waitFor();
    await expect.poll(() => rows.count()).toBe(2);
    const listed = await env.api('GET', '/v1/files');
    expect((listed.data.data as { name: string }[]).map((f) => f.name)).toEqual(['people.csv', 'seed.csv']);
    await c.close();
  });

  it('exports a record model from the record store page', async () => {
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.goto(`/syncs/records?connection=${connectionId}&model=people`);
    const exporter = page.getByTestId('record-export');
    await exporter.getByLabel('Export as').selectOption('ndjson');
    const got = await download(page, () => exporter.getByRole('link', { name: /Download/ }).click());
    expect(got.file.suggestedFilename()).toMatch(/people.*\.ndjson$/);
    const records = got.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    // What the last import (run again from the history) left: the file's good records and the seeded 9.
    expect(records.map((r) => r.id).sort()).toEqual([1, 2, 3, 5, 9]);
    expect(records.find((r) => r.id === 1)).toMatchObject({ e_mail: 'ada@example.com', score: 10 });
    await c.close();
  });
});
