import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../helpers/db.js';
import { createScratchDatabase } from '../helpers/serve-process.js';
import { until } from '../helpers/syncs.js';
import { openConsole, signIn, startConsoleEnv, type ConsoleEnv } from './harness.js';

// The Sync Management tab against a real source: a PostgreSQL connection to a scratch database on the run's server,
// holding one table, synced into the record store by a real `switchyard serve`.
let env: ConsoleEnv;
let source: Awaited<ReturnType<typeof createScratchDatabase>>;
let connectionId: string;
let admin: { email: string; password: string };

beforeAll(async () => {
  source = await createScratchDatabase(testDatabaseUrl());
  const client = new pg.Client({ connectionString: source.url });
  await client.connect();
  await client.query(`create table items (id int primary key, name text not null, updated_at timestamptz not null)`);
  await client.query(`insert into items values
    (1, 'Widget', '2024-05-01T10:00:00Z'), (2, 'Gadget', '2024-05-02T10:00:00Z'), (3, 'Sprocket', '2024-05-03T10:00:00Z')`);
  await client.end();
  env = await startConsoleEnv();
  admin = await env.createUser('administrator');
  const created = await env.api('POST', '/v1/connections', {
    connector: 'postgresql',
    name: 'Warehouse',
    credentials: { connection_string: source.url },
  });
  expect(created.status, JSON.stringify(created.data)).toBe(201);
  connectionId = created.data.id as string;
}, 120_000);
afterAll(async () => {
  await env?.close();
  await source?.drop();
});

/** Run a sync through the API and wait for the run to end with success. */
async function runToSuccess(syncId: string): Promise<void> {
  const started = await env.api('POST', `/v1/syncs/${syncId}/run`, { streams: [], full_refresh: false });
  expect(started.status, JSON.stringify(started.data)).toBe(202);
  const id = (started.data.execution as { id: string }).id;
  const run = await until(
    () => env.api('GET', `/v1/syncs/executions/${id}`),
    (r) => !['pending', 'running'].includes(r.data.status as string),
    `run ${id} to end`,
  );
  expect(run.data.status, JSON.stringify(run.data)).toBe('success');
}

/** The hour and minute an instant shows on a wall clock in a zone. */
const wallClock = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

describe('console: sync management', () => {
  it('creates a sync through the form, runs it, shows the run, its log, and resets its state', async () => {
    const c = await openConsole(env);
    const { page } = c;
    // The schedule preview answers 422 for an invalid cron, which Chromium reports as a failed resource.
    c.allowErrors(/status of 422/);
    await signIn(c, admin);
    await page.getByRole('link', { name: /Monitor syncs/ }).click();
    await page.getByRole('heading', { name: 'Sync Management', level: 1 }).waitFor();
    await page.getByText('No syncs yet').waitFor();
    expect(await page.getByTestId('stat-configs').textContent()).toBe('0');

    await page.getByRole('link', { name: 'New Sync Config' }).click();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Warehouse items');
    await page.getByLabel('Source connection').selectOption(connectionId);
    await page.getByRole('checkbox', { name: 'public.items' }).check();
    expect(await page.getByTestId('discovered-streams').textContent()).toContain('cursor updated_at');
    // The chosen table's columns, their types and keys, as read from the database.
    const columns = page.getByTestId('columns-public.items').locator('tbody tr');
    expect(await columns.evaluateAll((rows) => rows.map((r) => [...r.children].map((td) => td.textContent)))).toEqual([
      ['id', 'integer', 'no', 'primary key'],
      ['name', 'string', 'no', ''],
      ['updated_at', 'timestamp', 'no', 'cursor'],
    ]);
    expect(await page.getByLabel('Sync type').inputValue()).toBe('incremental');

    // Schedule: an invalid cron says why; a valid one lists its next runs at 02:00 in the chosen zone.
    await page.getByRole('checkbox', { name: 'Run on a schedule' }).check();
    const cron = page.getByLabel('Cron expression');
    await cron.fill('every night');
    await page.getByText(/"every night" is not a cron expression/).waitFor();
    expect(await cron.getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Time zone').selectOption('Europe/Berlin');
    await cron.fill('0 2 * * *');
    const runs = page.getByTestId('schedule-preview').locator('time');
    await expect.poll(() => runs.count()).toBe(5);
    for (const iso of await runs.evaluateAll((els) => els.map((el) => el.getAttribute('datetime') ?? ''))) {
      expect(wallClock(iso, 'Europe/Berlin')).toBe('02:00');
    }
    expect(await cron.getAttribute('aria-invalid')).toBeNull();

    // Mappings, previewed on the table's rows: a cast that cannot hold the name rejects each record, saying why.
    await page.getByRole('button', { name: 'Add field mapping' }).click();
    await page.getByLabel('Output field, row 1').fill('title');
    await page.getByLabel('Source field, row 1').fill('name');
    await page.getByLabel('Cast, row 1').selectOption('integer');
    await page.getByRole('button', { name: 'Add field mapping' }).click();
    await page.getByLabel('Output field, row 2').fill('origin');
    await page.getByLabel('Value from, row 2').selectOption('constant');
    await page.getByLabel('Constant, row 2').fill('warehouse');
    await page.getByRole('button', { name: 'Preview on sample records' }).click();
    await expect.poll(() => page.getByTestId('sample-rejected').count()).toBe(3);
    expect(await page.getByTestId('sample-rejected').first().textContent()).toMatch(/Rejected: .*integer/i);
    await page.getByLabel('Cast, row 1').selectOption('');
    await page.getByRole('button', { name: 'Preview on sample records' }).click();
    const samples = page.getByTestId('mapping-samples');
    await samples.getByText('"title": "Widget"').waitFor();
    expect(await samples.textContent()).toContain('"origin": "warehouse"');
    expect(await page.getByTestId('sample-rejected').count()).toBe(0);
    await c.screenshot('syncs-form');

    await page.getByRole('button', { name: 'Create sync' }).click();
    await page.getByRole('heading', { name: /Warehouse items/, level: 1 }).waitFor();
    const summary = page.getByTestId('sync-summary');
    expect(await summary.textContent()).toContain('public.items');
    expect(await summary.textContent()).toContain('0 2 * * * in Europe/Berlin');
    const syncId = new URL(page.url()).pathname.split('/').pop() ?? '';
    const saved = await env.api('GET', `/v1/syncs/${syncId}`);
    expect(saved.data).toMatchObject({
      type: 'incremental',
      target: { kind: 'record_store' },
      schedule: { cron: '0 2 * * *', timezone: 'Europe/Berlin' },
      mappings: {
        select: 'all',
        fields: [
          { to: 'title', from: 'name' },
          { to: 'origin', constant: 'warehouse' },
        ],
      },
    });

    // Run: the run appears, ends Success with the table's three rows, and the chart draws a bar for it.
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'started' }).waitFor();
    const row = page.getByTestId('execution-row').first();
    await expect.poll(() => row.getByText('success', { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(2, 8)).toEqual(['Manual', '3', '3', '0', '0', '0']);
    await expect
      .poll(() => page.getByTestId('chart').locator('rect.chart-bar').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    // Its checkpoint is saved.
    const stateRow = page.getByTestId('state-row').filter({ hasText: 'public.items' });
    await stateRow.getByLabel('Checkpoint of public.items').waitFor();
    await c.screenshot('syncs-detail');

    // The run's page: counts, the stream's progress and its log.
    await row.getByRole('link').first().click();
    await page.getByRole('heading', { name: /^Run of / }).waitFor();
    const progress = page.getByTestId('stream-progress');
    await progress.getByText('complete').waitFor();
    expect(await progress.textContent()).toContain('public.items');
    expect(await page.getByTestId('execution-counts').textContent()).toContain('Processed3');
    await expect.poll(() => page.getByTestId('execution-log').locator('li').count()).toBeGreaterThan(0);
    await page.getByText('No record was rejected').waitFor();
    await c.screenshot('syncs-execution');

    // Reset state (all streams, after a confirmation): the checkpoint is gone, in the page and in the API.
    await page.getByRole('link', { name: 'Warehouse items' }).click();
    await page.getByRole('button', { name: 'Reset state' }).click();
    const confirm = page.getByRole('dialog', { name: 'Reset all state' });
    await confirm.getByRole('button', { name: 'Reset state' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'State reset: public.items.' }).waitFor();
    await stateRow.getByText('None: the next run reads everything').waitFor();
    expect((await env.api('GET', `/v1/syncs/${syncId}/state`)).data).toEqual({ data: [] });

    // The tab's list and statistics show the sync, its last run and the records moved.
    await page.getByRole('link', { name: 'Sync Management' }).first().click();
    const listed = page.getByTestId('sync-row').filter({ hasText: 'Warehouse items' });
    await listed.getByText('success').waitFor();
    expect(await listed.textContent()).toContain('3 records');
    await expect.poll(() => page.getByTestId('stat-records').textContent()).toBe('3');
    expect(await page.getByTestId('stat-configs').textContent()).toBe('1');
    expect(await page.getByTestId('stat-success-rate').textContent()).toBe('100.0%');
    await c.screenshot('syncs-list');
    await c.close();
  });

  it('shows a viewer the syncs and their runs without any button that writes', async () => {
    const viewer = await env.createUser('viewer');
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, viewer);
    await page.getByRole('link', { name: 'Sync Management', exact: true }).click();
    const listed = page.getByTestId('sync-row').filter({ hasText: 'Warehouse items' });
    await listed.waitFor();
    expect(await page.getByRole('link', { name: 'New Sync Config' }).count()).toBe(0);
    expect(await listed.getByRole('button').count()).toBe(0);
    await listed.getByRole('link', { name: 'Warehouse items' }).click();
    await page.getByTestId('execution-row').first().waitFor();
    const writes = page.getByRole('button', { name: /^(Run|Disable|Enable|Delete|Reset|Edit|Cancel)/ });
    expect(await writes.count()).toBe(0);
    await c.close();
  });

  it('browses the record store: a connection’s models with their counts, and a model’s changes page by page', async () => {
    // A full sync of the table, grown to 30 rows, into the model "catalog"; then one row changes and one goes.
    const client = new pg.Client({ connectionString: source.url });
    await client.connect();
    await client.query(`insert into items
      select n, 'Item ' || n, '2024-06-01T00:00:00Z' from generate_series(4, 30) as n`);
    const created = await env.api('POST', '/v1/syncs', {
      name: 'Catalog',
      source: {
        kind: 'connection',
        connection_id: connectionId,
        streams: [{ name: 'public.items', target: 'catalog' }],
      },
      type: 'full',
    });
    expect(created.status, JSON.stringify(created.data)).toBe(201);
    await runToSuccess(created.data.id as string);
    await client.query(`update items set name = 'Widget, renamed' where id = 1`);
    await client.query(`delete from items where id = 2`);
    await client.end();
    await runToSuccess(created.data.id as string);

    const viewer = await env.createUser('viewer');
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, viewer);
    await page.getByRole('link', { name: 'Sync Management', exact: true }).click();
    await page.getByRole('navigation', { name: 'Sync Management' }).getByRole('link', { name: 'Records' }).click();
    await page.getByRole('heading', { name: 'Records', level: 1 }).waitFor();
    await page.getByText('Choose a connection', { exact: true }).last().waitFor();
    await page.getByLabel('Connection').selectOption(connectionId);

    // The models, with live and deleted counts.
    const models = page.getByTestId('record-model-row');
    await expect.poll(() => models.count()).toBe(2);
    const cells = async (i: number) => (await models.nth(i).locator('td').allTextContents()).slice(0, 3);
    expect(await cells(0)).toEqual(['catalog', '29', '1']);
    expect(await cells(1)).toEqual(['public.items', '3', '0']);

    // Its feed, oldest change first: the rows the first run added and the second left alone, 25 to a page.
    await models.getByRole('link', { name: 'catalog' }).click();
    const changes = page.getByTestId('record-change');
    await expect.poll(() => changes.count()).toBe(25);
    const row = async (i: number) => (await changes.nth(i).locator('td').allTextContents()).map((t) => t.trim());
    expect((await row(0)).slice(0, 2)).toEqual(['added', '3']);
    expect((await row(0))[3]).toBe('{"id":3,"name":"Sprocket","updated_at":"2024-05-03T10:00:00Z"}');
    expect(await page.getByTestId('record-feed-count').textContent()).toBe('25 changes, more follow');
    await c.screenshot('syncs-records');

    // Load more goes on from the last change: the rest of the additions, then the update and the deletion.
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => changes.count()).toBe(30);
    expect((await row(24)).slice(0, 2)).toEqual(['added', '27']);
    expect((await row(28)).slice(0, 2)).toEqual(['updated', '1']);
    expect((await row(28))[3]).toContain('"name":"Widget, renamed"');
    expect((await row(29)).slice(0, 2)).toEqual(['deleted', '2']);
    expect(await page.getByTestId('record-feed-count').textContent()).toBe('30 changes, to the end of the feed');
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);

    // Only the deletions; the choice is in the address, so the view can be linked.
    await page.getByRole('combobox', { name: 'Show' }).selectOption('deleted');
    await expect.poll(() => changes.count()).toBe(1);
    expect((await row(0)).slice(0, 2)).toEqual(['deleted', '2']);
    expect(new URL(page.url()).searchParams.get('filter')).toBe('deleted');
    await c.close();
  });

  it('names the syncs that go with a connection before disconnecting it', async () => {
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.goto(`/connections/${connectionId}`);
    await page.getByRole('button', { name: 'Disconnect' }).click();
    const confirm = page.getByRole('dialog', { name: 'Disconnect Warehouse?' });
    const syncs = confirm.getByTestId('syncs-deleted-with');
    await syncs.waitFor();
    expect(await syncs.locator('li').allTextContents()).toEqual(['Catalog', 'Warehouse items']);
    expect(await syncs.textContent()).toContain('The sync configurations that use it are deleted too');
    await c.screenshot('syncs-disconnect-confirm');
    await confirm.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByRole('heading', { name: 'Connections' }).waitFor();
    expect((await env.api('GET', '/v1/syncs')).data.data).toEqual([]);
    await c.close();
  });
});
