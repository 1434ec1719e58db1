import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner, ok } from '../helpers/cli.js';
import { endpointsOf, oauthManifest, WEB_APP } from '../helpers/oauth-connector.js';
import { startOAuthServer, type OAuthServer } from '../helpers/oauth-server.js';
import { openConsole, signIn, startConsoleEnv, type ConsoleEnv, type ConsolePage } from './harness.js';

/**
 * Issue 20, "done when": from a fresh server to an active OAuth connection against a real authorization server
 * (oidc-provider) with every step in the console — the connector added in the registry, the OAuth app registered on
 * the connector's form (or the platform's in the registry), the scopes picked, the vendor's sign-in and consent in
 * the popup — and no call to the API besides the console's own. The only step before the browser is the first user,
 * which a newcomer makes with `switchyard users create`.
 */

let env: ConsoleEnv;
let oauth: OAuthServer;
let callbackUrl: string;
let superuser: { email: string; password: string };

beforeAll(async () => {
  env = await startConsoleEnv();
  callbackUrl = `${env.serve.url}/v1/oauth/callback`;
  // The vendor side: an app registered at the authorization server with Switchyard's callback (what the form shows
  // is checked against it below). The token endpoint takes the secret in the body, as manifests do by default.
  oauth = await startOAuthServer({
    clients: [{ ...WEB_APP, redirect_uris: [callbackUrl], token_endpoint_auth_method: 'client_secret_post' }],
  });
  // The first user as the README makes it: `switchyard users create … --superuser`, the password piped in.
  const password = `pw-${randomBytes(12).toString('hex')}`;
  superuser = { email: `first-${randomBytes(4).toString('hex')}@example.test`, password };
  const cli = cliRunner(() => ({ url: env.serve.url, token: env.adminToken }));
  ok(
    await cli(['users', 'create', '--email', superuser.email, '--role', 'administrator', '--superuser'], {
      input: password,
    }),
  );
});
afterAll(async () => {
  await oauth?.close();
  await env?.close();
});

/** A custom connector for the authorization server's API, as a superuser pastes it into the registry. */
function manifest(name: string, management: 'tenant_template' | 'hybrid') {
  const m = oauthManifest(endpointsOf(oauth), {
    owner: 'tenant',
    manifest: { name, management },
    oauth: {
      scopes: {
        default: ['read'],
        available: [
          { name: 'read', description: 'Read your data', required: true },
          { name: 'write', description: 'Change your data' },
          { name: 'admin', description: 'Administer the account' },
        ],
      },
      levels: ['app'],
    },
  });
  return m;
}

/** A tab of the console's section bar. */
const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true });

async function addCustomConnector(c: ConsolePage, json: object) {
  const { page } = c;
  await nav(page, 'Connector registry').click();
  await page.getByRole('heading', { name: 'Connector registry' }).waitFor();
  await page.getByRole('button', { name: 'Add custom connector' }).click();
  await page.getByLabel('Manifest (JSON)').fill(JSON.stringify(json, null, 2));
  await page.getByRole('button', { name: 'Add connector' }).click();
  await page.getByTestId('notice-success').filter({ hasText: 'Custom connector added to the registry.' }).waitFor();
}

async function openConnectorForm(page: Page, name: string) {
  await nav(page, 'Connections').click();
  await page.getByRole('link', { name: 'Add connection' }).click();
  await page.getByRole('searchbox', { name: 'Search' }).fill(name);
  await page.getByRole('link', { name: `Configure ${name}` }).click();
  await page.getByRole('heading', { name: `Connect ${name}` }).waitFor();
}

/**
 * The vendor's window: sign in when it asks, then allow. The callback page closes the window as soon as Allow is
 * clicked, so the wait for the close starts first.
 */
async function consentInPopup(page: Page, start: () => Promise<void>, account?: string) {
  const [popup] = await Promise.all([page.waitForEvent('popup'), start()]);
  if (account) {
    await popup.locator('input[name=account]').fill(account);
    await popup.getByRole('button', { name: 'Sign in' }).click();
  }
  const closed = popup.waitForEvent('close', { timeout: 15_000 });
  await popup
    .getByRole('button', { name: 'Allow' })
    .click()
    .catch((error: unknown) => {
      if (!popup.isClosed()) throw error;
    });
  await closed;
}

const scope = (page: Page, name: string) => page.getByRole('checkbox', { name: new RegExp(`^${name}\\b`) });

describe('console: an OAuth connection from a fresh server, every step in the console', () => {
  it('registers the tenant’s own OAuth app on the form, picks scopes, connects, then re-authorizes with more', async () => {
    const c = await openConsole(env);
    const { page } = c;
    // Before the tenant registers its app, the form's look-up of it answers 404 (none yet), which Chromium logs.
    c.allowErrors(/the server responded with a status of 404/);
    await signIn(c, superuser);
    await addCustomConnector(c, manifest('Acme Cloud', 'tenant_template'));

    await openConnectorForm(page, 'Acme Cloud');
    // The management pattern decides whose app is used, and the form says so.
    await expect
      .poll(() => page.getByTestId('oauth-app-pattern').textContent())
      .toBe('Acme Cloud connects through your tenant’s own OAuth app, registered with the vendor.');
    await page.getByText('No OAuth app is registered for Acme Cloud yet.', { exact: false }).waitFor();
    // The redirect URI to register at the vendor is the one the authorization server knows.
    expect(await page.getByTestId('redirect-uri').textContent()).toBe(callbackUrl);
    expect(oauth.clients[0]?.redirect_uris).toEqual([callbackUrl]);

    // The scope picker: the connector's scopes, the default and required one ticked and fixed.
    await expect.poll(() => scope(page, 'read').isChecked()).toBe(true);
    expect(await scope(page, 'read').isDisabled()).toBe(true);
    expect(await scope(page, 'write').isChecked()).toBe(false);
    expect(await scope(page, 'admin').isChecked()).toBe(false);

    // Connecting without the app's client id is stopped at the form.
    await page.getByLabel('Name').fill('Acme for sales');
    await page.getByLabel('Base URL').fill(oauth.api.url);
    await page.getByRole('button', { name: 'Connect with Acme Cloud' }).click();
    await page.getByText('Client ID is required.').waitFor();

    await page.getByLabel('Client ID').fill(WEB_APP.client_id);
    await page.getByLabel('Client secret').fill(WEB_APP.client_secret);
    await scope(page, 'write').check();
    await c.screenshot('oauth-setup-tenant-app');
    await consentInPopup(page, () => page.getByRole('button', { name: 'Connect with Acme Cloud' }).click(), 'alice');
    await page.getByTestId('notice-success').filter({ hasText: 'The account is connected.' }).waitFor();
    await page.getByRole('heading', { name: 'Acme for sales' }).waitFor();
    await expect.poll(() => page.locator('main').textContent()).toContain('alice');
    await expect.poll(() => page.getByTestId('scopes-granted').textContent()).toContain('read, write');
    expect(oauth.counts.authorization_code).toBe(1);

    // Edit scopes: held ones marked, the required one fixed; adding "admin" re-authorizes at the vendor.
    await page.getByRole('button', { name: 'Edit scopes' }).click();
    const dialog = page.getByRole('dialog', { name: 'Scopes of Acme for sales' });
    await dialog.getByTestId('scope-picker').waitFor();
    expect(await scope(page, 'write').isChecked()).toBe(true);
    expect(await dialog.locator('li', { hasText: 'write' }).textContent()).toContain('held');
    expect(await dialog.locator('li', { hasText: 'admin' }).textContent()).not.toContain('held');
    expect(await scope(page, 'read').isDisabled()).toBe(true);
    await scope(page, 'admin').check();
    await c.screenshot('oauth-setup-edit-scopes');
    // The vendor remembers this browser's sign-in; it asks consent for the new scope only.
    await consentInPopup(page, () => dialog.getByRole('button', { name: 'Reauthorize with these scopes' }).click());
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByTestId('scopes-granted').textContent()).toContain('read, write, admin');
    expect(oauth.counts.authorization_code).toBe(2);

    // The app is now the tenant's: the form shows it instead of asking again.
    await openConnectorForm(page, 'Acme Cloud');
    await expect
      .poll(() => page.getByTestId('oauth-app-current').textContent())
      .toBe('Your tenant’s OAuth app: client ID web-app, secret held (sealed).');
    expect(await page.getByLabel('Client ID').count()).toBe(0);
    await c.close();
  });

  it('uses the platform’s OAuth app a superuser set in the registry when the pattern is hybrid', async () => {
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, superuser);
    await addCustomConnector(c, manifest('Acme Platform', 'hybrid'));

    // The platform's app, in the registry: the redirect URI to register, and whether the pattern uses the app.
    await page
      .getByRole('row', { name: /Acme Platform/ })
      .getByRole('button', { name: 'Edit' })
      .click();
    await page.getByRole('button', { name: 'Attach platform credentials' }).click();
    const attach = page.getByRole('dialog', { name: 'Platform credentials for Acme Platform' });
    await attach.getByTestId('platform-oauth-app').waitFor();
    expect(await attach.locator('.redirect-uri').textContent()).toBe(callbackUrl);
    expect(await attach.getByTestId('platform-oauth-app').textContent()).toContain(
      "tenants' connections use this OAuth app unless they register their own",
    );
    await attach.getByLabel('Base URL').fill(oauth.api.url);
    await attach.getByLabel('Client ID').fill(WEB_APP.client_id);
    await attach.getByLabel('Client secret').fill(WEB_APP.client_secret);
    await attach.getByRole('button', { name: 'Save credentials' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'Platform credentials for Acme Platform' }).waitFor();

    await openConnectorForm(page, 'Acme Platform');
    await expect
      .poll(() => page.getByTestId('oauth-app-pattern').textContent())
      .toBe('Acme Platform uses the platform’s OAuth app unless your tenant registers its own.');
    await expect
      .poll(() => page.getByTestId('oauth-app-current').textContent())
      .toBe('The platform’s OAuth app: client ID web-app.');
    expect(await page.getByLabel('Client ID').count()).toBe(0);
    await page.getByLabel('Name').fill('Acme via the platform');
    await page.getByLabel('Base URL').fill(oauth.api.url);
    await consentInPopup(page, () => page.getByRole('button', { name: 'Connect with Acme Platform' }).click(), 'bob');
    await page.getByRole('heading', { name: 'Acme via the platform' }).waitFor();
    await expect.poll(() => page.locator('main').textContent()).toContain('the platform’s credentials');
    await expect.poll(() => page.locator('main').textContent()).toContain('bob');
    await c.close();

    // Every change since the server started was the console user's, through the console's session: nothing was
    // seeded through the API (the first user aside, which the CLI's `users create` made).
    const audit = await env.api('GET', '/v1/audit?limit=200');
    const entries = (audit.data.data as { action: string; actor: { type: string; id: string | null } }[]).reverse();
    const created = entries.findIndex((e) => e.action === 'user.create');
    expect(entries.slice(0, created + 1).map((e) => e.action)).toEqual(['system.bootstrap', 'user.create']);
    const rest = entries.slice(created + 1);
    const actions = rest.map((e) => e.action);
    for (const action of [
      'connector.create',
      'oauth_client.update',
      'connector.system_connection.set',
      'oauth_flow.start',
      'connection.create',
    ]) {
      expect(actions).toContain(action);
    }
    expect(new Set(rest.map((e) => e.actor.type))).toEqual(new Set(['user']));
    expect(new Set(rest.map((e) => e.actor.id)).size).toBe(1);
    expect(oauth.serverErrors).toEqual([]);
  });
});
