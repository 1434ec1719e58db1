import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointsOf, oauthManifest, WEB_APP } from '../helpers/oauth-connector.js';
import { startOAuthServer, type OAuthServer } from '../helpers/oauth-server.js';
import { openConsole, signIn, startConsoleEnv, type ConsoleEnv } from './harness.js';

let env: ConsoleEnv;
let oauth: OAuthServer;
let slug: string;

beforeAll(async () => {
  env = await startConsoleEnv();
  // A real authorization server (oidc-provider) whose web app sends browsers back to this server's callback.
  oauth = await startOAuthServer({
    clients: [{ ...WEB_APP, redirect_uris: [`${env.serve.url}/v1/oauth/callback`] }],
  });
  const manifest = oauthManifest(endpointsOf(oauth), { manifest: { name: 'Acme OAuth' } });
  slug = manifest.slug;
  const created = await env.api('POST', '/v1/connectors', manifest);
  expect(created.status, JSON.stringify(created.data)).toBe(201);
  const attached = await env.api('PUT', `/v1/connectors/${slug}/system-connection`, {
    auth_method: 'oauth2',
    credentials: WEB_APP,
  });
  expect(attached.status, JSON.stringify(attached.data)).toBe(200);
});
afterAll(async () => {
  await oauth?.close();
  await env?.close();
});

describe(`console: OAuth connections in a popup`, () => {
  it('connects through the vendor’s sign-in and consent in a new window, then shows the connected account', async () => {
    const admin = await env.createUser('administrator');
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.goto(`/connections/library/${slug}`);
    await page.getByRole('heading', { name: 'Connect Acme OAuth' }).waitFor();
    await page.getByLabel('Name').fill('Acme for support');
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: 'Connect with Acme OAuth' }).click(),
    ]);
    // The vendor's own pages, in the popup: sign in, then allow.
    await popup.locator('input[name=account]').fill('alice');
    await popup.getByRole('button', { name: 'Sign in' }).click();
    // The callback page tells the console how it ended and closes itself (as soon as Allow is clicked, so the wait
    // for that starts first); the console then opens the new connection.
    const closed = popup.waitForEvent('close', { timeout: 15_000 });
    await popup
      .getByRole('button', { name: 'Allow' })
      .click()
      .catch((error: unknown) => {
        if (!popup.isClosed()) throw error;
      });
    await closed;
    await page.getByTestId('notice-success').filter({ hasText: 'The account is connected.' }).waitFor();
    await page.getByRole('heading', { name: 'Acme for support' }).waitFor();
    await expect.poll(() => page.locator('main').textContent()).toContain('alice');
    await c.screenshot('connections-oauth-connected');

    const list = await env.api('GET', '/v1/connections');
    const connection = (list.data.data as { name: string; state: string; vendor_account_id: string }[]).find(
      (x) => x.name === 'Acme for support',
    );
    expect(connection?.state).toBe('active');
    expect(connection?.vendor_account_id).toBe('alice');
    expect(oauth.counts.authorization_code).toBe(1);

    // Reauthorize runs the same flow for the existing connection. The vendor remembers this browser's sign-in and
    // consent, so its window goes straight back to the callback and closes.
    const again = page
      .waitForEvent('popup')
      .then((popup) => (popup.isClosed() ? undefined : popup.waitForEvent('close', { timeout: 15_000 })));
    await page.getByRole('button', { name: 'Reauthorize' }).click();
    await again;
    await expect.poll(() => oauth.counts.authorization_code).toBe(2);
    await page.getByTestId('notice-success').filter({ hasText: 'The account is connected.' }).first().waitFor();
    expect((await env.api('GET', '/v1/connections')).data.data).toHaveLength(1);
    await c.close();
  });

  it('warns on the connection page when the vendor granted fewer scopes than asked for', async () => {
    const started = await env.api('POST', '/v1/oauth/authorize', {
      connector: slug,
      name: 'Acme partial',
      scopes: ['read', 'write'],
    });
    expect(started.status, JSON.stringify(started.data)).toBe(200);
    // The user unticks "write" at the vendor; the browser comes back to the callback.
    const redirect = await oauth.approve(started.data.authorization_url as string, { account: 'bob', grant: ['read'] });
    const callback = await fetch(redirect);
    const body = await callback.text();
    expect(callback.status, body).toBe(200);
    const id = /"connection_id":"(conn_[a-z0-9]+)"/.exec(body)?.[1];
    expect(id).toBeTruthy();

    const admin = await env.createUser('administrator');
    const c = await openConsole(env);
    await signIn(c, admin);
    await c.page.goto(`/connections/${id}`);
    const warning = c.page.getByTestId('missing-scopes');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('“write”');
    await c.close();
  });
});
