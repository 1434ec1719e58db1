import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsole, phone, signIn, startConsoleEnv, type ConsoleEnv } from './harness.js';

let env: ConsoleEnv;
beforeAll(async () => {
  env = await startConsoleEnv();
});
afterAll(async () => env?.close());

describe(`console: API keys, secrets, activity log and the connector registry`, () => {
  it('creates an API key shown once, which then works against the API, and revokes it', async () => {
    const admin = await env.createUser('administrator');
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByRole('button', { name: 'Create API key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    await dialog.getByLabel('Name').fill('billing-service');
    await dialog.getByLabel('Role').selectOption('editor');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const token = (await dialog.getByTestId('new-api-key').textContent()) ?? '';
    expect(token).toMatch(/^syk_/);
    await c.screenshot('api-key-created');
    await dialog.getByRole('button', { name: 'Done' }).click();
    const me = await fetch(`${env.serve.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await me.json()) as { role: string }).role).toBe('editor');

    const row = page.getByRole('row', { name: /billing-service/ });
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog', { name: 'Revoke API key' }).getByRole('button', { name: 'Revoke key' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'revoked' }).waitFor();
    const after = await fetch(`${env.serve.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
    await c.close();
  });

  it('adds a secret and a new version without ever showing a value; the activity log records both', async () => {
    const admin = await env.createUser('administrator');
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.getByRole('link', { name: 'Secrets' }).click();
    await page.getByRole('button', { name: 'Add secret' }).click();
    let dialog = page.getByRole('dialog', { name: 'Add secret' });
    await dialog.getByLabel('Name').fill('STRIPE_KEY');
    await dialog.getByLabel('Value').fill('sk_test_value_one');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'version 1' }).waitFor();
    await page
      .getByRole('row', { name: /STRIPE_KEY/ })
      .getByRole('button', { name: 'New version' })
      .click();
    dialog = page.getByRole('dialog', { name: 'New version of STRIPE_KEY' });
    await dialog.getByLabel('Value').fill('sk_test_value_two');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'v2' }).waitFor();
    expect(await page.content()).not.toContain('sk_test_value');
    await c.screenshot('secrets');

    await page.getByRole('link', { name: 'Activity log' }).click();
    await page.getByLabel('Action').fill('secret.*');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.getByRole('row').count()).toBeGreaterThanOrEqual(3);
    const text = (await page.locator('tbody').textContent()) ?? '';
    expect(text).toContain('secret.');
    expect(text).not.toContain('sk_test_value');
    await c.screenshot('activity-log');
    await c.close();
  });

  it('lets a superuser put a connector under maintenance; tenants then see it so in the registry data', async () => {
    const superuser = await env.createUser('administrator', { superuser: true });
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, superuser);
    await page.getByRole('link', { name: 'Connector registry' }).click();
    await page.getByLabel('Search the registry').fill('mailchimp');
    const row = page.getByTestId('registry-mailchimp');
    await row.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: /Edit Mailchimp/ });
    await dialog.getByLabel('Availability').selectOption('maintenance');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await row.getByText('maintenance').waitFor();
    const entry = await env.api('GET', '/v1/connectors/mailchimp');
    expect(entry.data.availability).toBe('maintenance');
    await c.screenshot('registry');

    // Polygon is hybrid: attach the platform's key, which every tenant then uses unless it brings its own.
    await page.getByLabel('Search the registry').fill('polygon');
    const polygon = page.getByTestId('registry-polygon');
    await polygon.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('button', { name: 'Attach platform credentials' }).click();
    const attach = page.getByRole('dialog', { name: /Platform credentials for Polygon/ });
    await attach.getByRole('button', { name: 'Save credentials' }).click();
    await attach.getByText('API key is required.').waitFor();
    const key = attach.getByLabel('API key');
    expect(await key.getAttribute('type')).toBe('password');
    await key.fill('platform-polygon-key');
    await c.screenshot('registry-attach-credentials');
    await attach.getByRole('button', { name: 'Save credentials' }).click();
    await polygon.getByText('attached').waitFor();
    const system = await env.api('GET', '/v1/connectors/polygon/system-connection');
    expect(system.data.credentials_set).toEqual(['api_key']);
    expect(JSON.stringify(system.data)).not.toContain('platform-polygon-key');

    // A refused manifest shows the API's message and the problems by path.
    c.allowErrors(/status of 4\d\d/);
    await page.getByRole('button', { name: 'Add custom connector' }).click();
    const add = page.getByRole('dialog', { name: 'Add custom connector' });
    await add.getByLabel('Manifest (JSON)').fill('{"slug": "Not A Slug"}');
    await add.getByRole('button', { name: 'Add connector' }).click();
    await add.getByRole('alert').waitFor();
    expect(await add.getByRole('alert').textContent()).toMatch(/slug/);
    await c.close();
  });

  it('keeps the registry from tenant administrators and read-only pages free of write actions for viewers', async () => {
    const admin = await env.createUser('administrator');
    let c = await openConsole(env);
    await signIn(c, admin);
    expect(await c.page.getByRole('link', { name: 'Connector registry' }).count()).toBe(0);
    await c.page.goto('/registry');
    await c.page.getByRole('heading', { name: 'Access denied' }).waitFor();
    expect(await c.page.getByRole('alert').textContent()).toContain('manage_registry');
    await c.close();

    const viewer = await env.createUser('viewer');
    c = await openConsole(env, phone);
    await signIn(c, viewer);
    await c.page.goto('/secrets');
    await c.page.getByRole('heading', { name: 'Secrets' }).waitFor();
    await c.page.getByRole('row', { name: /STRIPE_KEY/ }).waitFor();
    expect(await c.page.getByRole('button', { name: 'Add secret' }).count()).toBe(0);
    expect(await c.page.getByRole('button', { name: 'New version' }).count()).toBe(0);
    await c.screenshot('secrets-viewer-phone');
    await c.close();
  });
  it('pages through a long list with Next and Previous (cursor pagination)', async () => {
    for (let i = 0; i < 26; i++) {
      const created = await env.api('POST', '/v1/api-keys', {
        name: `pager-${String(i).padStart(2, '0')}`,
        role: 'viewer',
      });
      expect(created.status).toBe(201);
    }
    const admin = await env.createUser('administrator');
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.goto('/api-keys');
    const pager = page.getByRole('navigation', { name: 'Pagination' });
    await pager.getByText('Page 1').waitFor();
    // Rows are compared by their first cell (the key's name): the "created 3 s ago" cell ticks while the test runs.
    const names = () => page.locator('tbody tr td:first-child').allTextContents();
    const firstPage = await names();
    expect(firstPage).toHaveLength(25);
    await pager.getByRole('button', { name: 'Next' }).click();
    await pager.getByText('Page 2').waitFor();
    const secondPage = await names();
    expect(secondPage.length).toBeGreaterThan(0);
    expect(secondPage.some((row) => firstPage.includes(row))).toBe(false);
    expect(await pager.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await pager.getByRole('button', { name: 'Previous' }).click();
    await pager.getByText('Page 1').waitFor();
    expect(await names()).toEqual(firstPage);
    await c.close();
  });
});
