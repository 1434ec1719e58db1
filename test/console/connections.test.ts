import { createHmac } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsole, phone, signIn, startConsoleEnv, type ConsoleEnv } from './harness.js';

let env: ConsoleEnv;
let admin: { email: string; password: string };
beforeAll(async () => {
  env = await startConsoleEnv();
  admin = await env.createUser('administrator');
});
afterAll(async () => env?.close());

/** How far the page is wider than the viewport, in CSS pixels (the test code runs in Node, without DOM types). */
const overflow = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');

/** The connection the first scenario creates; later ones act on it. */
let connectionId = '';

describe(`console: connections`, () => {
  it('finds Generic REST API in the library, configures it and creates it with a test call', async () => {
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.goto('/connections');
    await page.getByText('No connections yet').waitFor();
    await page.getByRole('link', { name: 'Add connection' }).click();
    await page.getByRole('heading', { name: 'Connector library' }).waitFor();
    await page.getByRole('button', { name: /^Generic \(\d+\)$/ }).click();
    await page.getByRole('searchbox', { name: 'Search' }).fill('generic rest');
    await expect.poll(() => page.locator('.connector-card').count()).toBe(1);
    await c.screenshot('connections-library');
    await page.getByRole('link', { name: 'Configure Generic REST API' }).click();
    await page.getByRole('heading', { name: 'Connect Generic REST API' }).waitFor();

    // Client-side checks speak next to the fields before anything is sent.
    await page.getByLabel('Name').fill('');
    await page.getByRole('button', { name: 'Create connection' }).click();
    await page.getByText('Give the connection a name.').waitFor();
    await page.getByText('Base URL is required.').waitFor();

    await page.getByLabel('Name').fill('Billing API');
    await page.getByLabel('Base URL').fill(env.vendor.url);
    await page.getByLabel('Test path').fill('/me');
    await page.getByLabel('Authentication method').selectOption({ label: 'API key in a header' });
    const key = page.getByLabel('API key');
    expect(await key.getAttribute('type')).toBe('password');
    await key.fill('key-123');
    expect(await page.getByLabel('Validate with a test call before saving').isChecked()).toBe(true);
    await c.screenshot('connections-setup');
    const before = env.vendor.requests.length;
    await page.getByRole('button', { name: 'Create connection' }).click();

    await page.getByRole('heading', { name: /Billing API/ }).waitFor();
    connectionId = page.url().split('/connections/')[1] ?? '';
    expect(connectionId).toMatch(/^conn/);
    await expect.poll(() => page.locator('h1 .badge').textContent()).toBe('active');
    const testCall = env.vendor.requests.slice(before).find((r) => r.url === '/me');
    expect(testCall?.headers['x-api-key']).toBe('key-123');
    // The config is shown, the secret never.
    expect(await page.locator('body').textContent()).not.toContain('key-123');
    await page.getByTestId('test-outcome').getByText('Connected').waitFor();
    await c.screenshot('connections-detail');
    await c.close();
  });

  it('tests, pauses and resumes from the list', async () => {
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.goto('/connections');
    const row = page.getByTestId(`connection-row-${connectionId}`);
    await row.getByText('active').waitFor();
    await row.getByRole('button', { name: 'Test Billing API' }).click();
    await expect.poll(() => page.getByTestId('notice-success').last().textContent()).toContain('Test passed');

    await row.getByRole('button', { name: 'Pause Billing API' }).click();
    await row.locator('.badge', { hasText: 'paused' }).waitFor();
    expect(await row.getByRole('button', { name: 'Test Billing API' }).isDisabled()).toBe(true);
    await c.screenshot('connections-list-paused');
    // ?state= (the overview links there) filters the list.
    await page.goto('/connections?state=active');
    await page.getByText('No connection matches these filters').waitFor();
    expect(await page.getByLabel('State').inputValue()).toBe('active');
    await page.goto('/connections?state=paused');
    await row.waitFor();

    await row.getByRole('button', { name: 'Resume Billing API' }).click();
    await expect.poll(() => page.getByTestId('notice-success').last().textContent()).toContain('active again');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await row.locator('.badge', { hasText: 'active' }).waitFor();
    await c.close();
  });

  it('sends a request from the API playground and checks the JSON body', async () => {
    env.vendor.on('GET /me', { json: { id: 'acct_42', name: 'Acme' }, headers: { 'x-vendor': 'yes' } });
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.goto(`/connections/${connectionId}`);
    const playground = page.getByRole('region', { name: 'API Playground' });
    await playground.getByLabel('Path').fill('/me');
    await playground.getByRole('button', { name: 'Add header' }).click();
    await playground.getByLabel('Header 1 name').fill('accept');
    await playground.getByLabel('Header 1 value').fill('application/json');
    await playground.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByTestId('playground-status').textContent()).toBe('200');
    expect(await page.getByTestId('playground-body').textContent()).toBe(
      JSON.stringify({ id: 'acct_42', name: 'Acme' }, null, 2),
    );
    expect(await page.getByTestId('playground-timing').textContent()).toMatch(/\d+ ms/);
    const proxied = env.vendor.requests.filter((r) => r.url === '/me').pop();
    expect(proxied?.headers['x-api-key']).toBe('key-123');
    expect(proxied?.headers.accept).toBe('application/json');
    // The call shows up in the request log.
    await page.getByRole('table', { name: 'Request log' }).getByText('proxy').first().waitFor();

    await playground.getByLabel('Method').selectOption('POST');
    await playground.getByLabel('Body (JSON)').fill('{"name": ');
    await playground.getByText(/^Not valid JSON/).waitFor();
    expect(await playground.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    await c.screenshot('connections-playground');
    await playground.getByLabel('Body (JSON)').fill('{"name": "x"}');
    expect(await playground.getByRole('button', { name: 'Send' }).isDisabled()).toBe(false);
    await c.close();
  });

  it('shows the API’s message when the test call fails, and creates nothing', async () => {
    env.vendor.on('GET /denied', { status: 401, json: { error: 'invalid_api_key' } });
    const c = await openConsole(env);
    c.allowErrors(/status of 4\d\d/);
    const { page } = c;
    await signIn(c, admin);
    await page.goto('/connections/library/generic_rest');
    await page.getByLabel('Name').fill('Broken API');
    await page.getByLabel('Base URL').fill(env.vendor.url);
    await page.getByLabel('Test path').fill('/denied');
    await page.getByLabel('API key').fill('wrong-key');
    await page.getByRole('button', { name: 'Create connection' }).click();
    const message = page.getByTestId('setup-error');
    await expect.poll(() => message.textContent()).toContain('test call failed');
    await page.getByTestId('test-outcome').getByText('Credentials revoked or wrong').waitFor();
    await c.screenshot('connections-create-failed');
    const list = await env.api('GET', '/v1/connections?q=Broken');
    expect(list.data.data).toEqual([]);
    await c.close();
  });

  it('shows an OAuth connector’s redirect URI, and asks for the tenant’s OAuth app before connecting', async () => {
    const c = await openConsole(env);
    // Slack connects through the tenant's own app; none is registered, so its look-up answers 404.
    c.allowErrors(/status of 404/);
    const { page } = c;
    await signIn(c, admin);
    await page.goto('/connections/library/slack');
    await page.getByRole('heading', { name: 'Connect Slack' }).waitFor();
    expect(await page.locator('.redirect-uri').textContent()).toBe(`${env.serve.url}/v1/oauth/callback`);
    await page.getByText('No OAuth app is registered for Slack yet.', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Connect with Slack' }).click();
    await page.getByText('Client ID is required.').waitFor();
    await c.screenshot('connections-oauth-setup');
    await c.close();
  });

  it('shows a Viewer the list without write actions, at phone width', async () => {
    const viewer = await env.createUser('viewer');
    const c = await openConsole(env, phone);
    const { page } = c;
    await signIn(c, viewer);
    await page.goto('/connections');
    const row = page.getByTestId(`connection-row-${connectionId}`);
    await row.getByText('Billing API').waitFor();
    for (const name of ['Add connection']) expect(await page.getByRole('link', { name }).count()).toBe(0);
    for (const name of ['Test', 'Pause', 'Resume', 'Disconnect', 'Edit']) {
      expect(await page.getByRole('button', { name: new RegExp(`^${name}`) }).count()).toBe(0);
    }
    await c.screenshot('connections-list-viewer-phone');
    // The page itself fits the phone; the table scrolls inside its frame.
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await row.getByRole('link', { name: 'Billing API' }).click();
    await page.getByRole('heading', { name: /Billing API/ }).waitFor();
    expect(await page.getByRole('region', { name: 'API Playground' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^(Test|Pause|Disconnect|Edit)/ }).count()).toBe(0);
    await c.screenshot('connections-detail-viewer-phone');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await c.close();
  });

  it('edits and then disconnects a connection after confirming what goes with it', async () => {
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.goto(`/connections/${connectionId}`);
    await page.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Billing API' });
    await dialog.getByLabel('Description').fill('Invoices and customers');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('notice-success').last().textContent()).toContain('is saved');
    await page.getByText('Invoices and customers').first().waitFor();

    // Rotating the credentials re-tests them: a key the vendor refuses is not kept, the API's message says why.
    c.allowErrors(/status of 4\d\d/);
    env.vendor.on('GET /me', (req) =>
      req.headers['x-api-key'] === 'key-rotated'
        ? { json: { id: 'acct_42' } }
        : { status: 401, json: { error: 'bad key' } },
    );
    await page.getByRole('button', { name: 'Edit' }).click();
    const rotate = page.getByRole('dialog', { name: 'Edit Billing API' });
    await rotate.getByRole('checkbox', { name: /Replace the credentials/ }).check();
    await rotate.locator('input[type=password]').fill('key-refused');
    await rotate.getByRole('button', { name: 'Save' }).click();
    await rotate.getByRole('alert').waitFor();
    expect(await rotate.getByRole('alert').textContent()).toBeTruthy();
    await rotate.locator('input[type=password]').fill('key-rotated');
    await rotate.getByRole('button', { name: 'Save' }).click();
    await rotate.waitFor({ state: 'hidden' });
    const seen = env.vendor.requests.filter((r) => r.url === '/me').map((r) => r.headers['x-api-key']);
    expect(seen.slice(-2)).toEqual(['key-refused', 'key-rotated']);
    // The proxy now sends the new key.
    await fetch(`${env.serve.url}/v1/connections/${connectionId}/proxy/me`, {
      headers: { authorization: `Bearer ${env.adminToken}` },
    });
    expect(env.vendor.requests.at(-1)?.headers['x-api-key']).toBe('key-rotated');

    await page.getByRole('button', { name: 'Disconnect' }).click();
    const confirm = page.getByRole('dialog', { name: 'Disconnect Billing API?' });
    expect(await confirm.textContent()).toContain('sealed credentials');
    expect(await confirm.textContent()).toContain('inbound webhook sources');
    expect(await confirm.getByTestId('syncs-deleted-with').textContent()).toBe('No sync configuration uses it.');
    await c.screenshot('connections-disconnect-confirm');
    await confirm.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByRole('heading', { name: 'Connections' }).waitFor();
    await page.getByText('No connections yet').waitFor();
    const gone = await env.api('GET', `/v1/connections/${connectionId}`);
    expect(gone.status).toBe(404);
    await c.close();
  });

  it('a webhook connection shows its URL and secret once, offers no test or playground, and waits for its first event', async () => {
    const c = await openConsole(env);
    const { page } = c;
    c.allowErrors(/status of 4\d\d/);
    await signIn(c, admin);
    await page.goto('/connections/library/generic_webhook');
    await page.getByRole('heading', { name: 'Connect Generic Webhook' }).waitFor();
    await page.getByLabel('Name').fill('Order feed');
    // The signing secret is left empty: the console shows the one generated for the URL, once.
    await page.getByRole('button', { name: 'Create connection' }).click();
    await page.getByRole('heading', { name: /Order feed/ }).waitFor();
    const id = page.url().split('/connections/')[1] ?? '';
    expect(await page.locator('h1 .badge').textContent()).toBe('Waiting for the first event');
    expect(await page.getByRole('heading', { name: 'API Playground' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Test', exact: true }).count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toMatch(/Connected/);
    const card = page.getByTestId('inbound-webhook');
    await card.getByTestId('waiting-first-event').waitFor();

    await card.getByRole('button', { name: 'Create webhook URL' }).click();
    const shown = page.getByRole('dialog', { name: 'Webhook URL created' });
    const secret = (await shown.getByTestId('secret-once').locator('code').textContent()) ?? '';
    expect(secret.length).toBeGreaterThan(20);
    const url = (await shown.locator('.wh-secret').first().locator('code').textContent()) ?? '';
    expect(url).toMatch(/\/hooks\/[^/]+$/);
    await c.screenshot('connections-webhook-created');
    await shown.getByRole('button', { name: 'Done' }).click();
    expect(await card.getByTestId('webhook-url').textContent()).toBe(url);
    // Shown once: the page itself never carries the secret.
    expect(await page.locator('body').textContent()).not.toContain(secret);

    const send = (signWith: string) => {
      const body = JSON.stringify({ order: 'A-1' });
      const ts = String(Math.floor(Date.now() / 1000));
      const signature = createHmac('sha256', signWith).update(`${ts}.${body}`).digest('hex');
      return fetch(`${env.serve.url}${new URL(url).pathname}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-timestamp': ts,
          'x-signature': `sha256=${signature}`,
          'x-delivery-id': `dlv-${ts}-${signWith.length}`,
        },
        body,
      });
    };
    // A refused request is counted on the page, and is not the first event.
    expect((await send('a-wrong-secret')).status).toBe(401);
    const source = card.getByTestId('webhook-source');
    await expect.poll(() => source.textContent(), { timeout: 15_000 }).toMatch(/Rejected requests1/);
    expect(await page.locator('h1 .badge').textContent()).toBe('Waiting for the first event');

    expect((await send(secret)).status).toBe(202);
    await expect.poll(() => page.locator('h1 .badge').textContent(), { timeout: 15_000 }).toBe('Receiving');
    await card.getByTestId('last-event').waitFor();
    expect(await card.getByTestId('waiting-first-event').count()).toBe(0);
    await page.goto('/connections');
    await page.getByTestId(`connection-row-${id}`).getByText('Receiving').waitFor();
    await c.close();
  });
});
