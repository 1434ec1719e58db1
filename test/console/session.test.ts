import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsole, phone, signIn, startConsoleEnv, type ConsoleEnv } from './harness.js';

let env: ConsoleEnv;
beforeAll(async () => {
  env = await startConsoleEnv();
});
afterAll(async () => env?.close());

describe(`console: signing in and out`, () => {
  it('signs in with email and password, shows the tenant and role, and signs out', async () => {
    const admin = await env.createUser('administrator');
    const c = await openConsole(env);
    const { page } = c;
    // A wrong password shows the API's message, not a blank page.
    c.allowErrors(/status of 401/);
    await page.goto('/');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('The email or password is wrong.');

    await signIn(c, admin);
    expect(await page.getByTestId('tenant-name').textContent()).toBeTruthy();
    expect(await page.getByTestId('user-role').textContent()).toBe('administrator');
    await page.getByRole('heading', { name: 'Integrations' }).waitFor();
    await c.screenshot('overview');

    // The Webhooks tab opens Outbound; its own tabs switch to Inbound.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Outbound webhooks' }).waitFor();
    await page.getByRole('navigation', { name: 'Webhooks' }).getByRole('link', { name: 'Inbound' }).click();
    await page.getByRole('heading', { name: 'Inbound webhooks' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await c.close();
  });

  it('works from the keyboard: skip link, tabs, dialogs that close with Escape, and a visible focus ring', async () => {
    const admin = await env.createUser('administrator');
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    expect(await skip.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    // The focused element is outlined (3 px), not just recoloured.
    expect(await skip.evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).outlineStyle)).not.toBe(
      'none',
    );
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).toBe('main');

    // Reach the API keys tab by keyboard alone and open it.
    const keysTab = page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'API keys' });
    await keysTab.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByRole('button', { name: 'Create API key' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    await dialog.waitFor();
    // Focus moves into the dialog; Escape closes it.
    expect(await dialog.evaluate((el) => el.contains(el.ownerDocument.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await c.close();
  });

  it('shows "Access denied" naming the capability for a page the role cannot use, and hides its tab', async () => {
    const viewer = await env.createUser('viewer');
    const c = await openConsole(env, phone);
    const { page } = c;
    await signIn(c, viewer);
    await expect.poll(() => page.getByRole('navigation', { name: 'Sections' }).textContent()).toContain('Connections');
    expect(await page.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    await page.goto('/api-keys');
    await page.getByRole('heading', { name: 'Access denied' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('view_api_keys');
    await c.screenshot('access-denied-phone');
    await c.close();
  });
});
