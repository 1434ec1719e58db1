import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsole, phone, signIn, startConsoleEnv, type ConsoleEnv } from './harness.js';

let env: ConsoleEnv;
beforeAll(async () => {
  env = await startConsoleEnv();
});
afterAll(async () => env?.close());

type Role = { id: string; name: string; capabilities: string[] };
const rolesNow = async () => (await env.api('GET', '/v1/roles')).data.data as Role[];

/** A custom role made through the API (for setting up who acts in a scenario). */
async function customRole(name: string, capabilities: string[]): Promise<string> {
  const res = await env.api('POST', '/v1/roles', { name, capabilities });
  expect(res.status, JSON.stringify(res.data)).toBe(201);
  return res.data.id as string;
}

/** Whether the element is inside the box of `frame` as the screen shows it now (not merely reachable by scrolling). */
async function insideHorizontally(element: Locator, frame: { x: number; width: number }): Promise<boolean> {
  const box = await element.boundingBox();
  if (!box) return false;
  return box.x >= frame.x - 0.5 && box.x + box.width <= frame.x + frame.width + 0.5;
}

const tabsOf = (page: Page) => page.getByRole('navigation', { name: 'Sections' }).getByRole('link');

describe('console: users, roles and the registry’s presentation', () => {
  it('lets a superuser change a built-in entry’s presentation, which tenants see, and go back to the manifest', async () => {
    const superuser = await env.createUser('administrator', { superuser: true });
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, superuser);
    await page.getByRole('link', { name: 'Connector registry' }).click();
    await page.getByLabel('Search the registry').fill('generic');
    const row = page.getByTestId('registry-generic_rest');
    await row.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('button', { name: 'Edit name, description and badges' }).click();
    let dialog = page.getByRole('dialog', { name: 'Presentation of Generic REST API' });
    await dialog.getByLabel('Name').fill('In-house REST');
    await dialog.getByLabel('Description').fill('Our own services behind the proxy.');
    await dialog.getByLabel('Category').selectOption('Analytics');
    await dialog.getByLabel('Complexity').selectOption('high');
    await dialog.getByLabel('Popularity').fill('95');
    await dialog.getByLabel('Features').fill('proxy, audit_trail');
    await dialog.getByLabel('Data types').fill('orders, invoices');
    await c.screenshot('registry-presentation');
    await dialog.getByRole('button', { name: 'Save presentation' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'In-house REST: presentation saved' }).waitFor();
    await row.getByText('In-house REST').waitFor();
    const entry = (await env.api('GET', '/v1/connectors/generic_rest')).data;
    expect(entry).toMatchObject({
      name: 'In-house REST',
      category: 'Analytics',
      complexity: 'high',
      popularity: 95,
      features: ['proxy', 'audit_trail'],
      data_types: ['orders', 'invoices'],
    });

    // A tenant's library shows the entry as the superuser presents it.
    const admin = await env.createUser('administrator');
    const tenant = await openConsole(env);
    await signIn(tenant, admin);
    await tenant.page.goto('/connections/library');
    await tenant.page.getByRole('searchbox').first().fill('in-house');
    const card = tenant.page.getByRole('article').filter({ hasText: 'In-house REST' });
    await card.getByText('Our own services behind the proxy.').waitFor();
    expect(await card.textContent()).toMatch(/high complexity.*audit trail.*orders, invoices.*Popular/s);
    await tenant.close();

    // Back to the manifest's name: the other changes stay.
    await row.getByRole('button', { name: 'Edit' }).click();
    await page.getByText('Changed here: name, description, category').waitFor();
    await page.getByRole('button', { name: 'Edit name, description and badges' }).click();
    dialog = page.getByRole('dialog', { name: 'Presentation of In-house REST' });
    await dialog.getByLabel('Changed here: use the manifest’s value instead').first().check();
    expect(await dialog.getByLabel('Name').isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Save presentation' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'Generic REST API: presentation saved' }).waitFor();
    const after = (await env.api('GET', '/v1/connectors/generic_rest')).data;
    expect(after).toMatchObject({ name: 'Generic REST API', category: 'Analytics' });
    expect(after.overridden).not.toContain('name');
    await c.close();
  });

  it('shows the capability map and creates, edits and deletes a custom role', async () => {
    const admin = await env.createUser('administrator');
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.getByRole('link', { name: 'Roles', exact: true }).click();
    const map = page.getByTestId('capability-map');
    const createRow = map.getByRole('row', { name: /create_connection/ });
    // allTextContents does not wait: the map must have rendered first.
    await createRow.waitFor();
    // Columns: capability, Administrator, Editor, Viewer.
    expect((await createRow.locator('td').allTextContents()).slice(0, 4)).toEqual([
      expect.stringContaining('create_connection'),
      '✓held',
      '—not held',
      '—not held',
    ]);
    await c.screenshot('roles');

    await page.getByRole('button', { name: 'Create custom role' }).click();
    let dialog = page.getByRole('dialog', { name: 'Create custom role' });
    await dialog.getByLabel(/^Name/).fill('Support desk');
    await dialog.getByLabel('Start from').selectOption('viewer');
    await dialog.getByRole('checkbox', { name: /^retry_failed_delivery/ }).check();
    await dialog.getByRole('checkbox', { name: /^view_secrets/ }).uncheck();
    await dialog.getByRole('button', { name: 'Create role' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'Support desk' }).waitFor();
    let support = (await rolesNow()).find((r) => r.name === 'Support desk');
    expect(support?.capabilities).toContain('retry_failed_delivery');
    expect(support?.capabilities).toContain('browse_delivery_log');
    expect(support?.capabilities).not.toContain('view_secrets');
    await map.getByRole('columnheader', { name: 'Support desk' }).waitFor();

    const row = page.getByRole('row', { name: /Support desk/ }).first();
    await row.getByRole('button', { name: 'Edit Support desk' }).click();
    dialog = page.getByRole('dialog', { name: 'Edit role Support desk' });
    await dialog.getByRole('checkbox', { name: /^view_syncs/ }).uncheck();
    await dialog.getByRole('button', { name: 'Save role' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'saved' }).waitFor();
    support = (await rolesNow()).find((r) => r.name === 'Support desk');
    expect(support?.capabilities).not.toContain('view_syncs');

    await row.getByRole('button', { name: 'Delete Support desk' }).click();
    await page.getByRole('dialog', { name: 'Delete custom role' }).getByRole('button', { name: 'Delete role' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'deleted' }).waitFor();
    expect((await rolesNow()).some((r) => r.name === 'Support desk')).toBe(false);
    await c.close();
  });

  it('adds a user who can then sign in, changes their role, disables and removes them', async () => {
    const admin = await env.createUser('administrator');
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add user' });
    await dialog.getByLabel('Email').fill('new.person@example.test');
    await dialog.getByLabel('Name').fill('New Person');
    await dialog.getByLabel('Role').selectOption('viewer');
    await dialog.getByRole('button', { name: 'Generate' }).click();
    await dialog.getByRole('button', { name: 'Add user' }).click();
    const password = (await dialog.getByTestId('new-user-password').textContent()) ?? '';
    expect(password.length).toBeGreaterThanOrEqual(12);
    await dialog.getByRole('button', { name: 'Done' }).click();

    const newcomer = await openConsole(env);
    await signIn(newcomer, { email: 'new.person@example.test', password });
    expect(await newcomer.page.getByTestId('user-role').textContent()).toBe('viewer');
    await newcomer.close();

    const row = page.getByTestId('user-new.person@example.test');
    await row.getByRole('button', { name: 'Edit new.person@example.test' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit new.person@example.test' });
    await edit.getByLabel('Role').selectOption('editor');
    await edit.getByRole('button', { name: 'Save' }).click();
    await row.getByRole('cell', { name: 'Editor', exact: true }).waitFor();

    await row.getByRole('button', { name: 'Disable new.person@example.test' }).click();
    await row.getByText('disabled').waitFor();
    const users = (await env.api('GET', '/v1/users?limit=100')).data.data as {
      id: string;
      email: string;
      role: string;
      disabled: boolean;
    }[];
    const person = users.find((u) => u.email === 'new.person@example.test');
    expect(person).toMatchObject({ role: 'editor', disabled: true });
    await c.screenshot('users');

    await row.getByRole('button', { name: 'Remove new.person@example.test' }).click();
    await page.getByRole('dialog', { name: 'Remove user' }).getByRole('button', { name: 'Remove user' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await env.api('GET', `/v1/users/${person?.id}`)).status).toBe(404);
    await c.close();
  });

  it('shows the API’s privilege_escalation refusals to someone managing users and roles with less than they touch', async () => {
    const lead = await customRole('Team lead', [
      'view_users',
      'manage_users',
      'view_roles',
      'manage_roles',
      'list_connections',
    ]);
    const user = await env.createUser(lead);
    const target = await env.createUser('administrator');
    const c = await openConsole(env);
    const { page } = c;
    c.allowErrors(/status of 403/);
    await signIn(c, user);

    await page.getByRole('link', { name: 'Roles', exact: true }).click();
    await page.getByRole('button', { name: 'Create custom role' }).click();
    let dialog = page.getByRole('dialog', { name: 'Create custom role' });
    await dialog.getByLabel(/^Name/).fill('Too strong');
    const create = dialog.getByRole('checkbox', { name: /^create_connection/ });
    const createLabel = dialog.locator('label').filter({ hasText: /^create_connection/ });
    expect(await createLabel.textContent()).toContain('you do not hold it, so you cannot grant it');
    await create.check();
    await dialog.getByRole('button', { name: 'Create role' }).click();
    await dialog
      .getByRole('alert')
      .filter({ hasText: 'You cannot grant capabilities you do not hold: create_connection.' })
      .waitFor();
    expect(await dialog.getByRole('alert').textContent()).toContain('privilege_escalation');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('link', { name: 'Users' }).click();
    const row = page.getByTestId(`user-${target.email}`);
    await row.getByRole('button', { name: `Edit ${target.email}` }).click();
    dialog = page.getByRole('dialog', { name: `Edit ${target.email}` });
    await dialog.getByLabel('Role').selectOption('viewer');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'This user holds capabilities you do not' }).waitFor();
    await c.screenshot('users-privilege-escalation');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    const after = await env.api('GET', '/v1/users?limit=100');
    expect((after.data.data as { email: string; role: string }[]).find((u) => u.email === target.email)?.role).toBe(
      'administrator',
    );
    await c.close();
  });

  it('shows the Users and Roles tabs by capability, read-only without the manage capabilities', async () => {
    const viewer = await env.createUser('viewer');
    let c = await openConsole(env);
    await signIn(c, viewer);
    expect(await tabsOf(c.page).allTextContents()).not.toEqual(expect.arrayContaining(['Users']));
    expect(await tabsOf(c.page).allTextContents()).not.toEqual(expect.arrayContaining(['Roles']));
    await c.page.goto('/users');
    await c.page.getByRole('heading', { name: 'Access denied' }).waitFor();
    expect(await c.page.getByRole('alert').textContent()).toContain('view_users');
    await c.close();

    const editor = await env.createUser('editor');
    c = await openConsole(env);
    await signIn(c, editor);
    await c.page.getByRole('link', { name: 'Users' }).click();
    await c.page.getByTestId(`user-${editor.email}`).waitFor();
    expect(await c.page.getByRole('button', { name: 'Add user' }).count()).toBe(0);
    expect(await c.page.getByRole('button', { name: /^(Edit|Disable|Remove) / }).count()).toBe(0);
    await c.page.getByRole('link', { name: 'Roles', exact: true }).click();
    await c.page.getByTestId('capability-map').waitFor();
    expect(await c.page.getByRole('button', { name: 'Create custom role' }).count()).toBe(0);
    await c.close();
  });

  it('keeps every tab and each table’s actions in view on a 390 px screen', async () => {
    const superuser = await env.createUser('administrator', { superuser: true });
    const c = await openConsole(env, phone);
    const { page } = c;
    await signIn(c, superuser);
    const screen = { x: 0, width: phone.width };
    const tabs = tabsOf(page);
    expect(await tabs.count()).toBeGreaterThanOrEqual(10);
    for (const tab of await tabs.all()) {
      expect(await insideHorizontally(tab, screen), `${await tab.textContent()} tab in view`).toBe(true);
    }

    for (const [tab, heading, action] of [
      ['Connector registry', 'Connector registry', 'Edit'],
      ['Users', 'Users', /^Edit /],
      ['API keys', 'API keys', 'Revoke'],
    ] as const) {
      if (tab === 'Users') await env.createUser('viewer');
      if (tab === 'API keys') await env.api('POST', '/v1/api-keys', { name: 'phone-check', role: 'viewer' });
      await tabsOf(page).filter({ hasText: tab }).click();
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      const frame = await page.locator('.table-wrap').first().boundingBox();
      expect(frame).not.toBeNull();
      const button = page.locator('tbody tr').first().getByRole('button', { name: action }).first();
      await button.waitFor();
      // The table is wider than the screen, yet its actions are in view without scrolling it.
      expect(
        await page
          .locator('.table-wrap')
          .first()
          .evaluate((el) => el.scrollWidth > el.clientWidth),
      ).toBe(true);
      expect(await insideHorizontally(button, frame ?? screen), `${tab}: actions in view`).toBe(true);
      await c.screenshot(`phone-${tab.toLowerCase().replaceAll(' ', '-')}`);
    }
    await c.close();
  });
});
