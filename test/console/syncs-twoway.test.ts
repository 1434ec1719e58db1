import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestAt, shippedManifest } from '../conformance/harness.js';
import { startHubspotFake } from '../fakes/hubspot.js';
import { testDatabaseUrl } from '../helpers/db.js';
import { createScratchDatabase } from '../helpers/serve-process.js';
import { until } from '../helpers/syncs.js';
import { openConsole, signIn, startConsoleEnv, type ConsoleEnv } from './harness.js';

// Two-way sync in the console against a real `switchyard serve`: HubSpot contacts (side A, the loopback fake that
// behaves as HubSpot documents, reached through a custom registry entry that is the shipped manifest with its URLs on
// the fake) kept in step with a table of a PostgreSQL scratch database (side B). The form makes the sync, a run shows
// its counts on each side, and a field changed on both sides waits in the conflicts inbox until edited there.
let env: ConsoleEnv;
let fake: Awaited<ReturnType<typeof startHubspotFake>>;
let source: Awaited<ReturnType<typeof createScratchDatabase>>;
let db: pg.Client;
let hubspot: string;
let warehouse: string;
let admin: { email: string; password: string };

let clock = Date.UTC(2026, 0, 1);
function contact(id: string, email: string, firstname: string) {
  const at = new Date((clock += 1000)).toISOString();
  fake.objects
    .get('contacts')
    ?.set(id, { id, properties: { email, firstname }, createdAt: at, updatedAt: at, archived: false });
}
/** An edit in HubSpot's own UI: the property changes and the record's modification time moves. */
function editInHubspot(id: string, properties: Record<string, string>) {
  const r = fake.objects.get('contacts')?.get(id);
  if (!r) throw new Error(`no contact ${id}`);
  r.properties = { ...r.properties, ...properties };
  r.updatedAt = new Date(Math.max(Date.now(), (clock += 1000))).toISOString();
}
const firstName = async (id: string) =>
  (await db.query<{ first_name: string }>(`select first_name from people where id = $1`, [id])).rows[0]?.first_name;

beforeAll(async () => {
  fake = await startHubspotFake();
  contact('401', 'ada@example.test', 'Ada');
  contact('402', 'grace@example.test', 'Grace');
  source = await createScratchDatabase(testDatabaseUrl());
  db = new pg.Client({ connectionString: source.url });
  await db.connect();
  // The table already holds Grace (matched by e-mail on the first run), with the target's bookkeeping columns.
  await db.query(`create table people (id text primary key, email text, first_name text,
    _switchyard_synced_at timestamptz, _switchyard_deleted_at timestamptz)`);
  await db.query(`insert into people values ('g-1', 'GRACE@example.test', 'Grace', null, null)`);
  env = await startConsoleEnv();
  admin = await env.createUser('administrator');
  const entry = await env.api('POST', '/v1/connectors', {
    ...manifestAt(shippedManifest('hubspot'), fake.url),
    slug: 'hubspot_local',
    name: 'HubSpot (local)',
  });
  expect(entry.status, JSON.stringify(entry.data)).toBe(201);
  const a = await env.api('POST', '/v1/connections', {
    connector: 'hubspot_local',
    name: 'HubSpot',
    auth_method: 'bearer',
    credentials: { token: 'sk-service-key' },
    validate: false,
  });
  expect(a.status, JSON.stringify(a.data)).toBe(201);
  hubspot = a.data.id as string;
  const b = await env.api('POST', '/v1/connections', {
    connector: 'postgresql',
    name: 'Warehouse',
    credentials: { connection_string: source.url },
  });
  expect(b.status, JSON.stringify(b.data)).toBe(201);
  warehouse = b.data.id as string;
}, 120_000);
afterAll(async () => {
  await env?.close();
  await db?.end();
  await source?.drop();
  await fake?.close();
});

describe('console: two-way sync', () => {
  it('makes a bidirectional sync in the form, shows a run’s counts on each side, and resolves a conflict in the inbox', async () => {
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.goto(new URL('/syncs/new', env.serve.url).toString());
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Contacts both ways');
    await page.getByLabel('Source connection').selectOption(hubspot);
    await page.getByRole('checkbox', { name: 'contacts', exact: true }).check();
    await page.getByLabel('Write contacts to').fill('people');
    await page.getByLabel('Direction').selectOption('bidirectional');
    const policy = page.getByLabel('Conflict resolution');
    expect(await policy.locator('option').allTextContents()).toEqual([
      'Source Wins',
      'Target Wins',
      'Latest Timestamp',
      'Manual Resolution',
    ]);
    await policy.selectOption('manual');
    await page.getByLabel('Write to').selectOption('postgres');
    await page.getByLabel('Target connection').selectOption(warehouse);

    // The pairs, pre-filled from the fields HubSpot's contacts carry (the key and cursor left out), then trimmed.
    const twoWay = page.getByTestId('two-way-fields');
    await twoWay.getByRole('button', { name: 'Pair the source’s fields' }).click();
    await expect.poll(() => twoWay.getByTestId('pair-row').count()).toBeGreaterThan(1);
    const pairs = async () =>
      twoWay
        .getByTestId('pair-row')
        .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('input')].map((i) => i.value)));
    const prefilled = await pairs();
    expect(prefilled).toContainEqual(['properties.email', 'email']);
    expect(prefilled).toContainEqual(['properties.firstname', 'firstname']);
    expect(prefilled.map((p) => p[0])).not.toContain('id');
    for (let i = prefilled.length; i >= 1; i--) {
      const a = prefilled[i - 1]?.[0];
      if (a !== 'properties.email' && a !== 'properties.firstname') {
        await twoWay.getByRole('button', { name: `Remove pair ${i}`, exact: true }).click();
      }
    }
    expect(await pairs()).toEqual([
      ['properties.email', 'email'],
      ['properties.firstname', 'firstname'],
    ]);
    await twoWay.getByLabel('Field on B, pair 2').fill('first_name');
    await twoWay.getByLabel('Compare as, pair 1').selectOption('email');
    await twoWay.getByLabel('Match key on A').fill('properties.email');
    await twoWay.getByLabel('Match key on B').fill('email');
    await twoWay.getByLabel('Compare keys as').selectOption('email');
    await twoWay.getByLabel('Record timestamp on A').fill('updatedAt');
    await twoWay.getByLabel('A record deleted on B').selectOption('ignore');
    await c.screenshot('syncs-twoway-form');
    await page.getByRole('button', { name: 'Create sync' }).click();
    await page.getByRole('heading', { name: /Contacts both ways/, level: 1 }).waitFor();
    const syncId = new URL(page.url()).pathname.split('/').pop() ?? '';
    expect((await env.api('GET', `/v1/syncs/${syncId}`)).data).toMatchObject({
      direction: 'bidirectional',
      conflict_policy: 'manual',
      two_way: {
        fields: [
          { a: 'properties.email', b: 'email', direction: 'both', normalize: 'email' },
          { a: 'properties.firstname', b: 'first_name', direction: 'both', normalize: 'none' },
        ],
        match: { a: 'properties.email', b: 'email', normalize: 'email' },
        timestamps: { a: 'updatedAt' },
        deletes: { a: 'soft', b: 'ignore' },
      },
    });
    const summary = page.getByTestId('two-way-pairs');
    expect(await summary.textContent()).toContain('properties.email ↔ email (e-mail address)');

    // The first run: Grace is matched by e-mail, Ada created in the table, the table's row with no contact none.
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const runRow = page.getByTestId('execution-row').first();
    await expect.poll(() => runRow.getByText('success', { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    await runRow.getByRole('link').first().click();
    const counts = page.getByTestId('two-way-counts');
    await counts.waitFor();
    const header = await counts.locator('th').allTextContents();
    const cells = await counts.locator('tbody tr').first().locator('td').allTextContents();
    expect(Object.fromEntries(header.map((h, i) => [h, cells[i]]))).toMatchObject({
      Stream: 'contacts',
      'Created on A': '0',
      'Created on B': '1',
      'Updated on A': '0',
      Conflicts: '0',
      Unmatched: '1',
      Ambiguous: '0',
    });
    expect(await firstName('401')).toBe('Ada');
    await c.screenshot('syncs-twoway-run');

    // Ada's first name changed on both sides: the next run parks it in the inbox.
    editInHubspot('401', { firstname: 'Augusta Ada' });
    await db.query(`update people set first_name = 'A. A. Lovelace' where id = '401'`);
    const run = await env.api('POST', `/v1/syncs/${syncId}/run`, { streams: [], full_refresh: false });
    expect(run.status, JSON.stringify(run.data)).toBe(202);
    const executionId = (run.data.execution as { id: string }).id;
    await until(
      () => env.api('GET', `/v1/syncs/executions/${executionId}`),
      (r) => r.data.status === 'success',
      'the run that meets the conflict',
    );

    // The dashboard and the sync's row count it; the row leads to the inbox for that sync.
    await page.getByRole('link', { name: 'Sync Management' }).first().click();
    await expect.poll(() => page.getByTestId('stat-open-conflicts').textContent(), { timeout: 20_000 }).toBe('1');
    const listed = page.getByTestId('sync-row').filter({ hasText: 'Contacts both ways' });
    await listed.getByText('1 open conflicts').click();
    await page.getByRole('heading', { name: 'Conflicts', level: 1 }).waitFor();
    const filter = page.getByLabel('Sync', { exact: true });
    expect(await filter.inputValue()).toBe(syncId);
    await expect.poll(() => filter.locator('option:checked').textContent()).toBe('Contacts both ways');
    const card = page.getByTestId('conflict');
    await card.waitFor();
    expect(await card.textContent()).toContain('A 401 ↔ B 401');
    const fields = await card
      .getByTestId('conflict-fields')
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.children].map((cell) => cell.textContent)));
    expect(fields).toEqual([['first_name', 'Augusta Ada', 'A. A. Lovelace', 'Ada']]);
    await c.screenshot('syncs-twoway-inbox');

    // Edit: a value of one's own, written to both sides by the run the resolve starts.
    await card.getByRole('button', { name: 'Edit' }).click();
    const value = card.getByLabel('Value of first_name');
    expect(await value.inputValue()).toBe('Augusta Ada');
    await value.fill('Ada Lovelace');
    await card.getByRole('button', { name: 'Resolve with these values' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'Conflict resolved' }).waitFor();
    await page.getByText('No open conflicts').waitFor();
    const conflicts = await env.api('GET', `/v1/syncs/conflicts?sync_id=${syncId}`);
    const [resolved] = conflicts.data.data as { id: string; resolution: unknown }[];
    expect(resolved?.resolution).toEqual({ take: 'values', values: { first_name: 'Ada Lovelace' } });
    await until(
      () => env.api('GET', `/v1/syncs/conflicts/${resolved?.id as string}`),
      (r) => r.data.state === 'applied',
      'the resolution to be written',
    );
    expect(await firstName('401')).toBe('Ada Lovelace');
    expect(fake.objects.get('contacts')?.get('401')?.properties.firstname).toBe('Ada Lovelace');
    await page.getByLabel('State', { exact: true }).selectOption('applied');
    await card.getByTestId('conflict-resolution').waitFor();
    expect(await card.getByTestId('conflict-resolution').textContent()).toMatch(/^Edited values by .+written to both/);
    await page.getByRole('link', { name: 'Sync Management' }).first().click();
    await expect.poll(() => page.getByTestId('stat-open-conflicts').textContent()).toBe('0');
    await c.close();
  });
});
