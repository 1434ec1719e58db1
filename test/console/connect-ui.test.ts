import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConnectPackage } from '../../scripts/build-connect.js';
import { endpointsOf, oauthManifest, WEB_APP } from '../helpers/oauth-connector.js';
import { startOAuthServer, type OAuthServer } from '../helpers/oauth-server.js';
import { createRunDir } from '../helpers/process-build.js';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.js';
import { contextDefaults, openConsole, signIn, startConsoleEnv, type ConsoleEnv } from './harness.js';
import { openProductPage, startProductSite, type ProductSite } from './product-page.js';

/**
 * The hosted Connect UI as an end user meets it: a product page on its own origin opens it with the built
 * `@switchyard/connect` package (iframe or popup) and a session its backend (the test) made through the API; the
 * end user connects an API-key account and an OAuth account, and the page's promise resolves with the connection.
 * Dead sessions and a foreign origin are refused with a clear message. Every screen is checked with axe-core.
 */
let env: ConsoleEnv;
let oauth: OAuthServer;
let receiver: Receiver;
let product: ProductSite;
let foreign: ProductSite;
let runDir: ReturnType<typeof createRunDir>;
let oauthSlug: string;

/** The key's field, not the "API key in a header" method (its label ends with the required marker). */
const apiKeyLabel = /^API key( \*)?$/;
const ada = { id: 'ada-1', email: 'ada@example.test', display_name: 'Ada Lovelace' };

beforeAll(async () => {
  env = await startConsoleEnv();
  env.vendor.on('GET /me', (req) =>
    req.headers['x-api-key'] === 'good-key'
      ? { json: { id: 'acct_42' } }
      : { status: 401, json: { message: 'invalid api key' } },
  );
  oauth = await startOAuthServer({ clients: [{ ...WEB_APP, redirect_uris: [`${env.serve.url}/v1/oauth/callback`] }] });
  const manifest = oauthManifest(endpointsOf(oauth), { manifest: { name: 'Acme OAuth', category: 'CRM' } });
  oauthSlug = manifest.slug;
  expect((await env.api('POST', '/v1/connectors', manifest)).status).toBe(201);
  const attached = await env.api('PUT', `/v1/connectors/${oauthSlug}/system-connection`, {
    auth_method: 'oauth2',
    credentials: WEB_APP,
  });
  expect(attached.status, JSON.stringify(attached.data)).toBe(200);
  // The product's backend hears of connections through its webhook endpoint.
  receiver = await startReceiver();
  expect((await env.api('POST', '/v1/webhooks/endpoints', { url: receiver.url() })).status).toBe(201);
  runDir = createRunDir();
  const moduleFile = path.join(buildConnectPackage(path.join(runDir.dir, 'connect-package')), 'dist', 'index.js');
  product = await startProductSite(moduleFile);
  foreign = await startProductSite(moduleFile);
}, 180_000);

afterAll(async () => {
  await product?.close();
  await foreign?.close();
  await receiver?.close();
  await oauth?.close();
  await env?.close();
  runDir?.remove();
});

async function createSession(body: Record<string, unknown>) {
  const created = await env.api('POST', '/v1/connect/sessions', {
    end_user: ada,
    allowed_origins: [product.origin],
    branding: { name: 'Acme CRM', primary_color: '#5b3cc4', logo_url: `${product.origin}/logo.svg` },
    ...body,
  });
  expect(created.status, JSON.stringify(created.data)).toBe(201);
  return created.data as { id: string; url: string };
}

/** The connection the API-key scenario makes; later scenarios reconnect it and find it in the console. */
let apiKeyConnection = '';
let usedSessionUrl = '';

describe('hosted Connect UI', () => {
  it('an end user picks an API-key connector, fixes a refused key, connects, and the product page gets the id', async () => {
    const session = await createSession({
      connectors: [{ connector: 'generic_rest' }, { connector: oauthSlug }],
      tags: ['trial', 'eu'],
      metadata: { plan: 'pro' },
    });
    usedSessionUrl = session.url;
    const product$ = await openProductPage(env.browser, product, session.url);
    const { ui } = product$;
    await ui.getByRole('heading', { name: 'Connect an account' }).waitFor();
    // The product's branding: its logo and colour.
    await ui.getByRole('img', { name: 'Acme CRM' }).waitFor();
    const primary = `getComputedStyle(document.documentElement).getPropertyValue('--primary')`;
    expect(await (await product$.frame()).evaluate<string>(primary)).toBe('#5b3cc4');
    // Categories narrow the list; the search box too.
    await ui.getByRole('button', { name: /^CRM/ }).click();
    await expect.poll(() => ui.locator('.connector-item').count()).toBe(1);
    await ui.getByRole('button', { name: 'Connect Acme OAuth' }).waitFor();
    await ui.getByRole('button', { name: 'All', exact: true }).click();
    await expect.poll(() => ui.locator('.connector-item').count()).toBe(2);
    await ui.getByRole('searchbox', { name: 'Search apps' }).fill('rest');
    await expect.poll(() => ui.locator('.connector-item').count()).toBe(1);
    await product$.check('connect-ui-picker');
    await ui.getByRole('button', { name: 'Connect Generic REST API' }).click();

    await ui.getByRole('heading', { name: 'Connect Generic REST API' }).waitFor();
    // Escape goes back to the list; the connector is picked again from the keyboard.
    await product$.page.keyboard.press('Escape');
    await ui.getByRole('heading', { name: 'Connect an account' }).waitFor();
    await ui.getByRole('button', { name: 'Connect Generic REST API' }).focus();
    await product$.page.keyboard.press('Enter');
    await ui.getByRole('heading', { name: 'Connect Generic REST API' }).waitFor();
    expect(await ui.getByRole('radio', { name: 'API key in a header' }).isChecked()).toBe(true);
    // Required fields are checked before anything is sent.
    await ui.getByRole('button', { name: 'Connect', exact: true }).click();
    await ui.getByText('Base URL is required.').waitFor();
    await ui.getByText('API key is required.').waitFor();
    await ui.getByLabel('Base URL').fill(env.vendor.url);
    await ui.getByLabel('Test path').fill('/me');
    await ui.getByLabel('Account id path').fill('$.id');
    const key = ui.getByLabel(apiKeyLabel);
    expect(await key.getAttribute('type')).toBe('password');
    await key.fill('wrong-key');
    await product$.check('connect-ui-form');
    product$.allowErrors(/status of 422/);
    await ui.getByRole('button', { name: 'Connect', exact: true }).click();

    // The vendor refused the key: the end user reads what to do, not a status code.
    await ui.getByRole('heading', { name: 'Could not connect Generic REST API' }).waitFor();
    expect(await ui.getByRole('alert').innerText()).toMatch(/did not accept these credentials/);
    await product$.check('connect-ui-failed');
    await ui.getByRole('button', { name: 'Try again' }).click();
    // The values are kept; only the key changes.
    expect(await ui.getByLabel('Base URL').inputValue()).toBe(env.vendor.url);
    await ui.getByLabel(apiKeyLabel).fill('good-key');
    await ui.getByRole('button', { name: 'Connect', exact: true }).click();

    await ui.getByRole('heading', { name: 'Connected to Generic REST API' }).waitFor();
    expect(await ui.getByTestId('connected-account').innerText()).toBe('acct_42');
    await product$.check('connect-ui-connected');
    await expect.poll(() => product$.result()).toMatch(/^connected conn_\w+ generic_rest$/);
    apiKeyConnection = (await product$.result()).split(' ')[1] ?? '';
    const made = await env.api('GET', `/v1/connections/${apiKeyConnection}`);
    expect(made.data).toMatchObject({
      state: 'active',
      end_user: { id: 'ada-1', email: 'ada@example.test' },
      tags: ['eu', 'trial'],
      metadata: { plan: 'pro' },
      connect_session_id: session.id,
    });

    // Close: the product page is told and its frame goes away; the promise had already resolved.
    await ui.getByRole('button', { name: 'Close' }).first().click();
    await expect.poll(() => product$.page.locator('#connect-frame iframe').count()).toBe(0);
    expect(await product$.events()).toEqual(['ready', 'connected', 'closed']);
    expect(await product$.result()).toMatch(/^connected /);

    // The product's backend learns it too, with the end user.
    await expect
      .poll(() => receiver.received.map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> }))
      .toContainEqual(
        expect.objectContaining({
          type: 'connection.created',
          data: expect.objectContaining({ connection_id: apiKeyConnection, end_user: expect.objectContaining(ada) }),
        }),
      );
    await product$.close();
  });

  it('a used session, an expired session and a foreign page are refused with a clear message', async () => {
    const used = await openProductPage(env.browser, product, usedSessionUrl, { allowErrors: /status of 401/ });
    await used.ui.getByRole('heading', { name: 'This link was already used' }).waitFor();
    await expect.poll(() => used.result()).toBe('rejected session_invalid connect_session_invalid');
    await used.check('connect-ui-used');
    await used.close();

    const ended = await createSession({ connectors: [{ connector: 'generic_rest' }] });
    const deleted = await fetch(`${env.serve.url}/v1/connect/sessions/${ended.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${env.adminToken}` },
    });
    expect(deleted.status).toBe(204);
    const expired = await openProductPage(env.browser, product, ended.url, { allowErrors: /status of 401/ });
    await expired.ui.getByRole('heading', { name: 'This link has expired' }).waitFor();
    // A dead session's answer names the product (its branding), so the page says where to go back to.
    expect(await expired.ui.locator('main').innerText()).toContain('Go back to Acme CRM and start again');
    await expect.poll(() => expired.result()).toBe('rejected session_invalid connect_session_invalid');
    await expired.close();

    // A page on an origin the session does not allow: the browser refuses to frame the UI, the package says so.
    const fresh = await createSession({ connectors: [{ connector: 'generic_rest' }] });
    const elsewhere = await openProductPage(env.browser, foreign, fresh.url, {
      allowErrors: /violates the following Content Security Policy directive: "frame-ancestors|status of 403/,
    });
    await expect.poll(() => elsewhere.result(), { timeout: 10_000 }).toBe('rejected blocked not_loaded');
    expect(await elsewhere.page.locator('#connect-frame iframe').count()).toBe(0);
    await elsewhere.close();
    const refused = await fetch(`${fresh.url}&origin=${encodeURIComponent(foreign.origin)}`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('This page may not open this connect link');
  });

  it('renews the end user’s connection when the session names it', async () => {
    const session = await createSession({ connectors: [{ connector: 'generic_rest' }], reconnect: apiKeyConnection });
    const product$ = await openProductPage(env.browser, product, session.url);
    const { ui } = product$;
    await ui.getByRole('heading', { name: 'Reconnect Generic REST API' }).waitFor();
    // Only the credentials: the connection keeps its settings.
    expect(await ui.getByLabel('Base URL').count()).toBe(0);
    // From the keyboard alone: the screen's heading has focus, Tab reaches the key, Enter submits.
    await ui.getByRole('heading', { name: 'Reconnect Generic REST API' }).focus();
    await product$.page.keyboard.press('Tab');
    expect(await ui.locator(':focus').getAttribute('name')).toBe('credentials.api_key');
    await product$.page.keyboard.type('good-key');
    await product$.page.keyboard.press('Enter');
    await ui.getByRole('heading', { name: 'Reconnected to Generic REST API' }).waitFor();
    await expect.poll(() => product$.result()).toBe(`connected ${apiKeyConnection} generic_rest`);
    await product$.close();
  });

  it('connects an OAuth account through the vendor’s consent in a popup opened from the frame', async () => {
    const session = await createSession({ connectors: [{ connector: oauthSlug }], tags: ['beta'] });
    const product$ = await openProductPage(env.browser, product, session.url);
    const { ui, page } = product$;
    // One connector: no list to pick from.
    await ui.getByRole('heading', { name: 'Connect Acme OAuth' }).waitFor();
    await product$.check('connect-ui-oauth');
    /** Continue, sign in at the vendor (unless it remembers the browser), then Allow or Deny. */
    const consent = async (decision: 'Allow' | 'Deny') => {
      const [popup] = await Promise.all([
        page.waitForEvent('popup'),
        ui.getByRole('button', { name: 'Continue to Acme OAuth' }).click(),
      ]);
      await ui.getByText('Waiting for you to finish in the Acme OAuth window…').waitFor();
      const account = popup.locator('input[name=account]');
      await account
        .or(popup.getByRole('button', { name: decision }))
        .first()
        .waitFor();
      if (await account.isVisible()) {
        await account.fill('alice');
        await popup.getByRole('button', { name: 'Sign in' }).click();
      }
      // The window closes as soon as the vendor answers (the callback page or the Connect UI closes it).
      const closed = popup.waitForEvent('close', { timeout: 15_000 });
      await popup
        .getByRole('button', { name: decision })
        .click()
        .catch((error: unknown) => {
          if (!popup.isClosed()) throw error;
        });
      await closed;
    };
    await consent('Deny');
    await ui.getByRole('heading', { name: 'Could not connect Acme OAuth' }).waitFor();
    expect(await ui.getByRole('alert').innerText()).toMatch(/Access was not allowed at Acme OAuth/);
    await ui.getByRole('button', { name: 'Try again' }).click();
    await consent('Allow');
    await ui.getByRole('heading', { name: 'Connected to Acme OAuth' }).waitFor();
    await expect.poll(() => product$.result()).toMatch(new RegExp(`^connected conn_\\w+ ${oauthSlug}$`));
    const id = (await product$.result()).split(' ')[1];
    const made = await env.api('GET', `/v1/connections/${id}`);
    expect(made.data).toMatchObject({ state: 'active', vendor_account_id: 'alice', end_user: { id: 'ada-1' } });
    await product$.close();
  });

  it('in a popup, closing the window before connecting rejects with closed', async () => {
    const session = await createSession({ connectors: [{ connector: 'generic_rest' }, { connector: oauthSlug }] });
    const context = await env.browser.newContext(contextDefaults);
    const page = await context.newPage();
    await page.goto(`${product.origin}/?${new URLSearchParams({ url: session.url, mode: 'popup' })}`);
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: 'Connect an app' }).click(),
    ]);
    await popup.getByRole('heading', { name: 'Connect an account' }).waitFor();
    // The token left the address bar as soon as the page loaded.
    expect(popup.url()).not.toContain('session=');
    // Escape on the list closes the window (the press ends with the page it was sent to).
    await popup.keyboard.press('Escape').catch((error: unknown) => {
      if (!popup.isClosed()) throw error;
    });
    await expect.poll(() => page.locator('#result').innerText()).toBe('rejected closed closed');
    expect(popup.isClosed()).toBe(true);
    await context.close();
  });

  it('the console shows each connection’s end user, tags and metadata, and filters by them', async () => {
    const admin = await env.createUser('administrator');
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.goto('/connections');
    const row = page.getByTestId(`connection-row-${apiKeyConnection}`);
    await row.getByTestId('end-user').getByText('Ada Lovelace').waitFor();
    await row.getByText('ada@example.test').waitFor();
    await page.getByLabel('End user id').fill('ada-1');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(2);
    await row.getByRole('button', { name: 'Show only connections tagged eu' }).click();
    await expect.poll(() => page.url()).toContain('tags=eu');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await c.screenshot('connections-end-users');
    await row.getByRole('link', { name: /Generic REST API/ }).click();
    await page.getByTestId('connection-metadata').waitFor();
    expect(JSON.parse(await page.getByTestId('connection-metadata').innerText())).toEqual({ plan: 'pro' });
    await page.getByRole('link', { name: 'All connections of Ada Lovelace' }).waitFor();
    await c.screenshot('connection-detail-end-user');
    await c.close();
  });
});
