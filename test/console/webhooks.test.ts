import type { Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsole, phone, signIn, startConsoleEnv, type ConsoleEnv, type ConsolePage } from './harness.js';

let env: ConsoleEnv;
let admin: { email: string; password: string };
beforeAll(async () => {
  env = await startConsoleEnv();
  admin = await env.createUser('administrator');
  const created = await env.api('POST', '/v1/event-types', { name: 'order.created', description: 'An order' });
  expect(created.status).toBe(201);
}, 120_000);
afterAll(async () => env?.close());

/** Create an endpoint through the console's form; answers the signing secret the console showed once. */
async function createEndpoint(c: ConsolePage, url: string, description: string): Promise<string> {
  const { page } = c;
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add endpoint' });
  await dialog.getByLabel('URL').fill(url);
  await dialog.getByLabel('Description').fill(description);
  await dialog.getByRole('checkbox', { name: 'order.created' }).check();
  await dialog.getByRole('button', { name: 'Create endpoint' }).click();
  const shown = page.getByRole('dialog', { name: 'Endpoint created' });
  const secret = (await shown.getByTestId('secret-once').locator('code').textContent()) ?? '';
  expect(secret).toMatch(/^whsec_/);
  await shown.getByRole('button', { name: 'Copy signing secret' }).click();
  expect(await readClipboard(page)).toBe(secret);
  await shown.getByRole('button', { name: 'Done' }).click();
  return secret;
}

/** What the page copied (the test tsconfig has no DOM types: the function runs in the browser). */
const readClipboard = (page: Page): Promise<string> => page.evaluate('navigator.clipboard.readText()');

/** The few DOM members `overflowing` uses. */
type Box = {
  tagName: string;
  className: string;
  parentElement: Box | null;
  closest(selector: string): Box | null;
  getBoundingClientRect(): { width: number; right: number };
};

/** Elements reaching past the phone's width, other than the contents of scrolling tables and code blocks. */
async function overflowing(c: ConsolePage): Promise<string[]> {
  return c.page.evaluate((width) => {
    const { document } = globalThis as unknown as {
      document: { querySelectorAll(selector: string): Iterable<Box>; documentElement: { scrollWidth: number } };
    };
    const out: string[] = [];
    for (const el of document.querySelectorAll('body *')) {
      if (el.parentElement?.closest('.table-wrap, .code, .tabs, dialog:not([open])')) continue;
      const box = el.getBoundingClientRect();
      if (box.width > 0 && box.right > width + 1) out.push(`${el.tagName.toLowerCase()}.${el.className}`);
    }
    const page = document.documentElement.scrollWidth;
    if (page > width) out.push(`the page is ${page} px wide`);
    return out.slice(0, 10);
  }, phone.width);
}

/** The names of every button that writes: none of them may be shown to a Viewer. */
const writeAction = /^(Add|Edit|Rotate|Delete|Replay|Retry)/;

async function publish(data: Record<string, unknown>): Promise<string> {
  const res = await env.api('POST', '/v1/events', { type: 'order.created', data });
  expect(res.status).toBe(201);
  return res.data.id as string;
}

describe(`console: webhooks`, () => {
  it('creates an endpoint (secret shown once), shows its delivery, the stats chart and an attempt', async () => {
    env.vendor.on('POST /hook', { status: 200, json: { received: true }, headers: { 'x-receiver': 'fake' } });
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.goto('/webhooks/outbound');
    await page.getByText('No endpoints yet — add one to receive your events').waitFor();
    const secret = await createEndpoint(c, `${env.vendor.url}/hook`, 'Order service');
    await page.getByTestId('endpoints-table').getByText(`${env.vendor.url}/hook`).waitFor();

    const eventId = await publish({ order: 'A-1' });
    await expect.poll(() => env.vendor.requests.filter((r) => r.url === '/hook').length, { timeout: 15_000 }).toBe(1);
    const received = env.vendor.requests.find((r) => r.url === '/hook');
    expect(JSON.parse(received?.body.toString() ?? '{}')).toMatchObject({ type: 'order.created' });
    expect(received?.headers['webhook-signature']).toMatch(/^v1,/);

    // The log is current once the delivery settles; the stats chart draws a bar for it.
    await page.getByRole('button', { name: 'Refresh' }).click();
    const row = page.getByTestId('delivery-row').filter({ hasText: eventId });
    await expect.poll(() => row.getByText('delivered').count(), { timeout: 15_000 }).toBe(1);
    await page.reload();
    await expect.poll(() => page.getByTestId('chart').locator('rect.chart-bar').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('stats-metrics').textContent()).toContain('100.0%');

    await row.getByRole('button', { name: /Details of delivery/ }).click();
    const detail = page.getByTestId('delivery-detail');
    await detail.getByRole('button', { name: 'Attempt 1' }).click();
    const attempt = page.getByTestId('attempt-detail');
    await attempt.getByText('x-receiver').waitFor();
    expect(await attempt.textContent()).toContain('200');
    expect(await attempt.getByLabel('Response body').textContent()).toContain('"received": true');
    await c.screenshot('webhooks-outbound-attempt');
    await page.getByRole('button', { name: 'Close' }).click();
    await c.screenshot('webhooks-outbound');

    // Publishing from the console reaches the endpoint too.
    await page.getByRole('button', { name: 'Publish event…' }).click();
    const publishForm = page.getByRole('dialog', { name: 'Publish an event' });
    await publishForm.getByLabel('Data').fill('{"order": "A-2"}');
    await publishForm.getByRole('button', { name: 'Publish' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'published' }).waitFor();
    await expect.poll(() => env.vendor.requests.filter((r) => r.url === '/hook').length, { timeout: 15_000 }).toBe(2);

    // Rotating shows the new secret once; editing saves the description.
    await page.getByRole('button', { name: `Rotate secret of ${env.vendor.url}/hook` }).click();
    await page
      .getByRole('dialog', { name: 'Rotate the signing secret' })
      .getByRole('button', { name: 'Rotate secret' })
      .click();
    const rotated = page.getByRole('dialog', { name: 'New signing secret' });
    const newSecret = (await rotated.getByTestId('secret-once').locator('code').textContent()) ?? '';
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(secret);
    await rotated.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: `Edit ${env.vendor.url}/hook` }).click();
    const edit = page.getByRole('dialog', { name: 'Edit endpoint' });
    expect(await edit.getByLabel('URL').inputValue()).toBe(`${env.vendor.url}/hook`);
    await edit.getByLabel('Description').fill('Order service v2');
    await edit.getByRole('button', { name: 'Save endpoint' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'Endpoint saved.' }).waitFor();
    await page.getByTestId('endpoints-table').getByText('Order service v2').waitFor();
    await c.close();
  });

  it('shows a failing delivery with its attempts, retries it, and counts a replay before running it', async () => {
    env.vendor.on('POST /fail', { status: 500, json: { error: 'receiver down' } });
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.goto('/webhooks/outbound');
    await createEndpoint(c, `${env.vendor.url}/fail`, 'Broken receiver');
    const eventId = await publish({ order: 'B-2' });
    // The event's deliveries that the receiver answered with a 500, as the API lists them.
    const failed = async () => {
      const list = await env.api('GET', `/v1/webhooks/deliveries?q=${eventId}`);
      return (list.data.data as { last_status_code: number | null; next_attempt_at: string | null }[]).filter(
        (d) => d.last_status_code === 500,
      );
    };

    await expect.poll(async () => (await failed()).length > 0, { timeout: 15_000 }).toBe(true);
    await page.getByRole('button', { name: 'Refresh' }).click();
    const row = page
      .getByTestId('delivery-row')
      .filter({ hasText: eventId })
      .filter({ hasText: `${env.vendor.url}/fail` });
    await expect.poll(() => row.locator('.badge').first().textContent()).toMatch(/pending|failed|dispatched/);
    // The endpoint's health beside the log follows the failure the log now shows, without a reload.
    await expect
      .poll(() => page.getByTestId('endpoints-table').locator('tr', { hasText: '/fail' }).textContent(), {
        timeout: 15_000,
      })
      .toMatch(/failures? in a row/);
    await row.getByRole('button', { name: /Details of delivery/ }).click();
    const detail = page.getByTestId('delivery-detail');
    const attempts = detail.getByTestId('attempt-row');
    await expect.poll(() => attempts.count()).toBeGreaterThan(0);
    const before = await attempts.count();
    // The receiver now answers slowly: the manual attempt is usually opened while still in flight, and its detail
    // shows the response once it is recorded.
    env.vendor.on('POST /fail', { status: 500, json: { error: 'receiver down' }, delayMs: 4000 });
    await detail.getByRole('button', { name: 'Retry now' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'queued for another attempt' }).waitFor();
    await expect.poll(() => attempts.count(), { timeout: 15_000 }).toBeGreaterThan(before);
    await expect.poll(() => detail.getByRole('cell', { name: 'manual' }).count(), { timeout: 15_000 }).toBe(1);
    await attempts
      .filter({ has: page.getByRole('cell', { name: 'manual' }) })
      .getByRole('button')
      .click();
    expect(await page.getByTestId('attempt-detail').getByLabel('Response body').textContent()).toContain(
      'receiver down',
    );
    await c.screenshot('webhooks-outbound-failed-delivery');
    await page.getByRole('button', { name: 'Close' }).click();
    // Prompt answers again, and the automatic retry five seconds after the manual attempt is let run first: the
    // replay below would leave alone a delivery that attempt holds in flight, and the next one is minutes away.
    env.vendor.on('POST /fail', { status: 500, json: { error: 'receiver down' } });
    await expect
      .poll(
        async () => {
          const next = (await failed()).map((d) =>
            d.next_attempt_at ? Date.parse(d.next_attempt_at) - Date.now() : 0,
          );
          return next.length === 1 && next[0]! > 60_000;
        },
        { timeout: 20_000 },
      )
      .toBe(true);

    // The statistics say what is failing now, with the latest error, beside the attempt-level success rate.
    await page.reload();
    const failing = page.getByTestId('failing-endpoint').filter({ hasText: `${env.vendor.url}/fail` });
    await failing.waitFor();
    expect(await failing.textContent()).toMatch(/failed attempts? in a row.*last: HTTP 500/);
    expect(await page.getByTestId('stats-metrics').textContent()).toMatch(/Attempt success\d+\.\d%/);

    // Replay: a dry run counts first; nothing is sent until the count is confirmed.
    await page.getByRole('button', { name: 'Replay a range…' }).click();
    const replay = page.getByRole('dialog', { name: 'Replay deliveries' });
    await replay.getByLabel('Endpoint', { exact: true }).selectOption({ label: `${env.vendor.url}/fail` });
    await replay.getByRole('checkbox', { name: 'pending' }).check();
    await replay.getByRole('button', { name: 'Count deliveries' }).click();
    await expect.poll(() => replay.getByTestId('replay-count').textContent()).toMatch(/would send 1 delivery again/);
    await c.screenshot('webhooks-outbound-replay-count');
    const sent = env.vendor.requests.filter((r) => r.url === '/fail').length;
    await replay.getByRole('button', { name: 'Replay 1 delivery' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'Replay started' }).waitFor();
    await expect
      .poll(() => env.vendor.requests.filter((r) => r.url === '/fail').length, { timeout: 15_000 })
      .toBeGreaterThan(sent);

    // Deleting the endpoint removes it with its deliveries.
    await page.getByRole('button', { name: `Delete ${env.vendor.url}/fail` }).click();
    await page
      .getByRole('dialog', { name: 'Delete the endpoint' })
      .getByRole('button', { name: 'Delete endpoint' })
      .click();
    await page.getByTestId('notice-success').filter({ hasText: 'deleted' }).waitFor();
    await expect.poll(() => page.getByTestId('endpoints-table').locator('tbody tr').count()).toBe(1);
    await expect.poll(() => row.count()).toBe(0);
    await c.close();
  });

  it('creates an inbound source, receives a signed webhook in the live log, shows its payload and replays it', async () => {
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.goto('/webhooks/inbound');
    await page.getByText('No sources yet').waitFor();
    await page.getByRole('button', { name: 'Add source' }).click();
    const form = page.getByRole('dialog', { name: 'Add source' });
    await form.getByLabel('Name').fill('Billing vendor');
    await form.getByLabel('Scheme').selectOption('standard_webhooks');
    await form.getByRole('button', { name: 'Create source' }).click();
    const created = page.getByRole('dialog', { name: 'Source created' });
    const secret = (await created.getByTestId('secret-once').locator('code').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    await created.getByRole('button', { name: 'Done' }).click();

    const sourceRow = page.getByTestId('source-row').filter({ hasText: 'Billing vendor' });
    expect(await sourceRow.textContent()).toContain('Standard Webhooks');
    await sourceRow.getByRole('button', { name: 'Copy URL' }).click();
    const url = await readClipboard(page);
    expect(url).toBe(await sourceRow.getByTestId('source-url').textContent());
    expect(url).toMatch(/\/hooks\/[^/]+$/);

    // Keep the test fast: refresh every 2 s instead of 15.
    await page.getByLabel('Auto-refresh').selectOption('2');
    const payload = JSON.stringify({ type: 'invoice.paid', data: { invoice: 'INV-7', amount: 4200 } });
    const signature = new Webhook(secret).sign('msg_console_1', new Date(), payload);
    const res = await fetch(`${env.serve.url}${new URL(url).pathname}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'msg_console_1',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': signature,
      },
      body: payload,
    });
    expect(res.status).toBeLessThan(300);

    const eventRow = page.getByTestId('event-row').filter({ hasText: 'invoice.paid' });
    await eventRow.waitFor({ timeout: 10_000 });
    expect(await eventRow.textContent()).toContain('INV-7');
    await c.screenshot('webhooks-inbound');

    await eventRow.getByRole('button', { name: /Payload of event/ }).click();
    const detail = page.getByTestId('event-detail');
    await expect.poll(() => detail.getByTestId('event-payload').textContent()).toContain('"amount": 4200');
    expect(await detail.textContent()).toContain('msg_console_1');
    await c.screenshot('webhooks-inbound-event');
    await detail.getByRole('button', { name: 'Replay event' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'queued to run' }).waitFor();
    await expect.poll(() => detail.textContent(), { timeout: 10_000 }).toMatch(/Attempts \/ replays\s*\d+ \/ 1/);
    await expect.poll(() => detail.locator('.badge').first().textContent(), { timeout: 10_000 }).toBe('processed');
    await page.getByRole('button', { name: 'Close' }).click();

    // A range replay counts first.
    await page.getByRole('button', { name: 'Replay a range…' }).click();
    const replay = page.getByRole('dialog', { name: 'Replay events' });
    await replay.getByRole('button', { name: 'Count events' }).click();
    await expect.poll(() => replay.getByTestId('replay-count').textContent()).toMatch(/would run 1 event again/);
    await replay.getByRole('button', { name: 'Replay 1 event' }).click();
    await page.getByTestId('notice-success').filter({ hasText: '1 event queued' }).waitFor();

    // Edit the source, rotate its URL and its secret.
    await page.getByRole('button', { name: 'Edit Billing vendor' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit source' });
    await edit.getByLabel('Name').fill('Billing vendor (live)');
    await edit.getByRole('button', { name: 'Save source' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'Source saved.' }).waitFor();
    await sourceRow.getByText('Billing vendor (live)', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Rotate URL of Billing vendor (live)' }).click();
    await page.getByRole('dialog', { name: 'Rotate the URL' }).getByRole('button', { name: 'Rotate URL' }).click();
    const newUrl = await page.getByRole('dialog', { name: 'New URL' }).locator('code').textContent();
    expect(newUrl).toMatch(/\/hooks\/[^/]+$/);
    expect(newUrl).not.toBe(url);
    await page.getByRole('dialog', { name: 'New URL' }).getByRole('button', { name: 'Done' }).click();
    await sourceRow.getByText('The previous URL works until').waitFor();
    await page.getByRole('button', { name: 'Rotate secret of Billing vendor (live)' }).click();
    await page
      .getByRole('dialog', { name: 'Rotate the secret' })
      .getByRole('button', { name: 'Rotate secret' })
      .click();
    const rotated = page.getByRole('dialog', { name: 'New secret' });
    expect(await rotated.getByTestId('secret-once').locator('code').textContent()).toMatch(/^whsec_/);
    await rotated.getByRole('button', { name: 'Done' }).click();
    await sourceRow.getByText('2 secrets').waitFor();

    // A source without verification has no secret to show; deleting it removes its row.
    await page.getByRole('button', { name: 'Add source' }).click();
    await form.getByLabel('Name').fill('Scratch');
    await form.getByLabel('Scheme').selectOption('none');
    await form.getByRole('button', { name: 'Create source' }).click();
    expect(await created.getByTestId('secret-once').count()).toBe(0);
    await created.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Delete Scratch' }).click();
    await page
      .getByRole('dialog', { name: 'Delete the source' })
      .getByRole('button', { name: 'Delete source' })
      .click();
    await page.getByTestId('notice-success').filter({ hasText: 'Source Scratch deleted' }).waitFor();
    await expect.poll(() => page.getByTestId('source-row').count()).toBe(1);

    // Pausing stops the auto-refresh; the Refresh button still works.
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText('Auto-refresh paused').waitFor();
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await c.close();
  });

  it('shows the API’s message when a write fails', async () => {
    const c = await openConsole(env);
    const { page } = c;
    c.allowErrors(/status of 4\d\d/);
    await signIn(c, admin);
    await page.goto('/webhooks/outbound');
    const direct = await env.api('POST', '/v1/webhooks/endpoints', { url: 'not a url' });
    expect(direct.status).toBe(400);
    const problem = direct.data as { detail: string; errors: { path: string; message: string }[] };
    const message = problem.errors.find((e) => e.path.endsWith('url'))?.message ?? '';
    expect(message).not.toBe('');

    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add endpoint' });
    await dialog.getByLabel('URL').fill('not a url');
    await dialog.getByRole('button', { name: 'Create endpoint' }).click();
    await expect.poll(() => dialog.locator('.field-error').first().textContent()).toBe(message);
    expect(await dialog.getByLabel('URL').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('notice-error').textContent()).toContain(problem.detail);
    expect(await dialog.getByRole('button', { name: 'Create endpoint' }).isEnabled()).toBe(true);
    await c.screenshot('webhooks-outbound-invalid-url');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // Data that is not JSON is caught before anything is sent.
    await page.getByRole('button', { name: 'Publish event…' }).click();
    const publishForm = page.getByRole('dialog', { name: 'Publish an event' });
    await publishForm.getByLabel('Data').fill('{oops');
    await publishForm.getByRole('button', { name: 'Publish' }).click();
    await publishForm.getByText('This is not valid JSON').waitFor();
    await c.close();
  });

  it('shows a Viewer both pages without write actions, and lays the outbound page out at 390 px', async () => {
    const viewer = await env.createUser('viewer');
    const c = await openConsole(env, phone);
    const { page } = c;
    await signIn(c, viewer);
    await page.goto('/webhooks/outbound');
    await page.getByTestId('endpoints-table').waitFor();
    await page.getByTestId('delivery-row').first().waitFor();
    await page.getByTestId('chart').waitFor();
    expect(await page.getByRole('button', { name: writeAction }).count()).toBe(0);
    await page
      .getByTestId('delivery-row')
      .first()
      .getByRole('button', { name: /Details of delivery/ })
      .click();
    await page.getByTestId('attempt-row').first().waitFor();
    expect(await page.getByRole('button', { name: writeAction }).count()).toBe(0);
    await page.getByRole('button', { name: 'Close' }).click();
    // Nothing but the tables' own scroll areas is wider than the phone.
    await c.screenshot('webhooks-outbound-viewer-phone');
    expect(await overflowing(c)).toEqual([]);

    await page.goto('/webhooks/inbound');
    await page.getByTestId('event-row').first().waitFor();
    expect(await page.getByRole('button', { name: writeAction }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Copy URL' }).count()).toBe(1);
    expect(await overflowing(c)).toEqual([]);
    await c.screenshot('webhooks-inbound-viewer-phone');
    await c.close();
  });
  it('defines an event type with a JSON Schema that publishing then enforces, and archives it', async () => {
    const c = await openConsole(env);
    const { page } = c;
    c.allowErrors(/status of 4\d\d/);
    await signIn(c, admin);
    await page.goto('/webhooks/outbound');
    await page.getByRole('navigation', { name: 'Webhooks' }).getByRole('link', { name: 'Event types' }).click();
    await page.getByTestId('event-type-order.created').waitFor();
    await page.getByRole('button', { name: 'Add event type' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add event type' });
    await dialog.getByLabel('Name').fill('invoice.paid');
    await dialog.getByLabel('Description').fill('An invoice was paid');
    // Invalid JSON is caught next to the field before anything is sent.
    await dialog.getByLabel('JSON Schema of the data (optional)').fill('{"type": ');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText(/Not valid JSON/).waitFor();
    // A schema the API refuses: the error says where in the schema, as the API does.
    const badSchema = { type: 'object', properties: { amount: { type: 'integr' } } };
    const refusedSchema = await env.api('POST', '/v1/event-types', { name: 'probe.schema', schema: badSchema });
    expect(refusedSchema.status).toBe(400);
    const problems = refusedSchema.data.errors as { path: string; message: string }[];
    const deep = problems.find((p) => p.path.startsWith('body.schema/properties/amount/type'));
    expect(deep).toBeDefined();
    await dialog.getByLabel('JSON Schema of the data (optional)').fill(JSON.stringify(badSchema));
    await dialog.getByRole('button', { name: 'Save' }).click();
    const schemaError = dialog.locator('.field-error');
    await expect
      .poll(() => schemaError.textContent())
      .toContain(`At ${deep?.path.slice('body.schema'.length)}: ${deep?.message}`);
    expect(await dialog.getByLabel('JSON Schema of the data (optional)').getAttribute('aria-invalid')).toBe('true');
    await dialog
      .getByLabel('JSON Schema of the data (optional)')
      .fill('{"type": "object", "required": ["amount"], "properties": {"amount": {"type": "integer"}}}');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('event-type-invoice.paid').waitFor();
    await c.screenshot('webhooks-event-types');

    const refused = await env.api('POST', '/v1/events', { type: 'invoice.paid', data: { amount: 'ten' } });
    expect(refused.status).toBe(422);
    const accepted = await env.api('POST', '/v1/events', { type: 'invoice.paid', data: { amount: 10 } });
    expect(accepted.status).toBe(201);

    await page.getByRole('button', { name: 'Archive invoice.paid' }).click();
    await page
      .getByRole('dialog', { name: 'Archive event type' })
      .getByRole('button', { name: 'Archive event type' })
      .click();
    await page.getByTestId('event-type-invoice.paid').waitFor({ state: 'detached' });
    expect((await env.api('GET', '/v1/event-types/invoice.paid')).data.archived_at).not.toBeNull();
    await c.close();
  });

  it('filters an endpoint’s events and sends its custom headers, whose values are never shown again', async () => {
    env.vendor.on('POST /filtered', { status: 200, json: { ok: true } });
    const c = await openConsole(env);
    const { page } = c;
    c.allowErrors(/status of 4\d\d/);
    await signIn(c, admin);
    await page.goto('/webhooks/outbound');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add endpoint' });
    await dialog.getByLabel('URL').fill(`${env.vendor.url}/filtered`);
    await dialog.getByRole('checkbox', { name: 'order.created' }).check();
    // The API's errors land at their fields: a filter that is not a condition, a header name that is not one.
    await dialog.getByLabel('Filter (optional)').fill('$.data.amount');
    const direct = await env.api('POST', '/v1/webhooks/endpoints', {
      url: `${env.vendor.url}/filtered`,
      filter: '$.data.amount',
    });
    expect(direct.status).toBe(400);
    const filterMessage = (direct.data.errors as { path: string; message: string }[])[0]?.message ?? '';
    await dialog.getByRole('button', { name: 'Create endpoint' }).click();
    await expect.poll(() => dialog.getByLabel('Filter (optional)').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.locator('.field-error').first().textContent()).toBe(filterMessage);
    await dialog.getByLabel('Filter (optional)').fill('$.data.amount > 100');
    await dialog.getByRole('button', { name: 'Add header' }).click();
    await dialog.getByLabel('Header 1 name').fill('Bad Header');
    await dialog.getByLabel('Header 1 value').fill('v');
    await dialog.getByRole('button', { name: 'Create endpoint' }).click();
    await dialog.getByText('not a valid header name').waitFor();
    expect(await dialog.getByLabel('Header 1 name').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByLabel('Header 1 name').fill('X-Api-Key');
    await dialog.getByLabel('Header 1 value').fill('key-filtered-1');
    await dialog.getByRole('button', { name: 'Create endpoint' }).click();
    await page.getByRole('dialog', { name: 'Endpoint created' }).getByRole('button', { name: 'Done' }).click();
    const row = page.getByTestId('endpoints-table').locator('tr', { hasText: '/filtered' });
    await row.getByTestId('endpoint-filter').getByText('$.data.amount > 100', { exact: true }).waitFor();
    expect(await row.getByTestId('endpoint-headers').textContent()).toBe('Headers: x-api-key');
    expect(await page.locator('body').textContent()).not.toContain('key-filtered-1');

    const received = () => env.vendor.requests.filter((r) => r.url === '/filtered');
    await publish({ amount: 50 });
    await publish({ amount: 150 });
    await expect.poll(() => received().length, { timeout: 15_000 }).toBe(1);
    expect(JSON.parse(received()[0]?.body.toString() ?? '{}')).toMatchObject({ data: { amount: 150 } });
    expect(received()[0]?.headers['x-api-key']).toBe('key-filtered-1');

    // Editing something else keeps the headers (names shown, values hidden); the filter is changed.
    await page.getByRole('button', { name: `Edit ${env.vendor.url}/filtered` }).click();
    const edit = page.getByRole('dialog', { name: 'Edit endpoint' });
    expect(await edit.getByTestId('header-names').textContent()).toContain('x-api-key');
    expect(await edit.getByLabel('Filter (optional)').inputValue()).toBe('$.data.amount > 100');
    await edit.getByLabel('Filter (optional)').fill('$.data.amount > 10');
    await edit.getByRole('button', { name: 'Save endpoint' }).click();
    // Exact: the old filter ("> 100") contains the new one's text, and would let the publish below race the save.
    await row.getByTestId('endpoint-filter').getByText('$.data.amount > 10', { exact: true }).waitFor();
    await publish({ amount: 20 });
    await expect.poll(() => received().length, { timeout: 15_000 }).toBe(2);
    expect(received()[1]?.headers['x-api-key']).toBe('key-filtered-1');

    // Replacing asks for every value again; an empty one is caught before anything is sent.
    await page.getByRole('button', { name: `Edit ${env.vendor.url}/filtered` }).click();
    await edit.getByRole('button', { name: 'Replace headers…' }).click();
    expect(await edit.getByLabel('Header 1 name').inputValue()).toBe('x-api-key');
    await edit.getByRole('button', { name: 'Save endpoint' }).click();
    await edit.getByText(/Enter the value/).waitFor();
    await edit.getByLabel('Header 1 value').fill('key-filtered-2');
    await edit.getByRole('button', { name: 'Save endpoint' }).click();
    // The dialog closes once the save is answered. (The filter's save above left an "Endpoint saved." notice of its
    // own, so waiting for that text could let the publish below race this save and go out with the old header.)
    await edit.waitFor({ state: 'hidden' });
    await page.getByTestId('notice-success').filter({ hasText: 'Endpoint saved.' }).last().waitFor();
    await publish({ amount: 30 });
    await expect.poll(() => received().length, { timeout: 15_000 }).toBe(3);
    expect(received()[2]?.headers['x-api-key']).toBe('key-filtered-2');
    await c.close();
  });

  it('edits a source’s routing rules with the API’s errors at their fields; a Viewer reads them', async () => {
    env.vendor.on('POST /forwarded', { status: 200, json: { ok: true } });
    const made = await env.api('POST', '/v1/inbound/sources', { name: 'Router', verification: { type: 'none' } });
    expect(made.status).toBe(201);
    const hookPath = new URL((made.data.source as { url: string }).url).pathname;
    const c = await openConsole(env);
    const { page } = c;
    c.allowErrors(/status of 4\d\d/);
    await signIn(c, admin);
    await page.goto('/webhooks/inbound');
    await page.getByRole('button', { name: /rules? of Router$/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Rules of Router' });
    await dialog.getByText('No rules').waitFor();
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    const first = dialog.getByRole('group', { name: 'Rule 1' });
    await first.getByLabel(/^Name/).fill('Big orders');
    await first.getByLabel('Event types').fill('order.*');
    await first.getByLabel('Condition (optional)').fill('$.payload.amount >');
    await first.getByLabel('Event type to publish').selectOption('order.created');
    await dialog.getByRole('button', { name: 'Save rules' }).click();
    await expect.poll(() => first.getByLabel('Condition (optional)').getAttribute('aria-invalid')).toBe('true');
    expect(await first.locator('.field-error').first().textContent()).toMatch(/not a valid JSON path condition/);

    // A second rule of the same name: the error is at the second rule's name, not the first's.
    await first.getByLabel('Condition (optional)').fill('$.payload.amount > 100');
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    const second = dialog.getByRole('group', { name: 'Rule 2' });
    await second.getByLabel(/^Name/).fill('Big orders');
    await second.getByLabel('Action 1').selectOption('forward');
    await second.getByLabel('Forward to URL').fill(`${env.vendor.url}/forwarded`);
    await second.getByRole('button', { name: 'Add header' }).click();
    await second.getByLabel('Header 1 name').fill('X-Relay-Key');
    await second.getByLabel('Header 1 value').fill('relay-secret-1');
    await dialog.getByRole('button', { name: 'Save rules' }).click();
    await expect.poll(() => second.getByLabel(/^Name/).getAttribute('aria-invalid')).toBe('true');
    expect(await second.locator('.field-error').first().textContent()).toBe('rule names are unique within a source');
    expect(await first.getByLabel(/^Name/).getAttribute('aria-invalid')).toBeNull();
    await second.getByLabel(/^Name/).fill('Relay');
    await first.getByLabel('Continue with the next rules when this one matches').check();
    await dialog.getByRole('button', { name: 'Save rules' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'Rules of Router saved.' }).waitFor();
    const sourceRow = page.getByTestId('source-row').filter({ hasText: 'Router' });
    await sourceRow.getByRole('button', { name: '2 rules of Router' }).waitFor();
    const sourceId = (made.data.source as { id: string }).id;
    const stored = (await env.api('GET', `/v1/inbound/sources/${sourceId}`)).data.rules as {
      name: string;
      actions: { type: string; header_names?: string[] }[];
    }[];
    expect(stored.map((r) => r.name)).toEqual(['Big orders', 'Relay']);
    expect(stored[1]?.actions[0]).toMatchObject({ type: 'forward', header_names: ['x-relay-key'] });

    // Reopened: the forward header is named, its value hidden; saving keeps it, and the rule forwards with it.
    await page.getByRole('button', { name: /rules? of Router$/ }).click();
    expect(await dialog.getByRole('group', { name: 'Rule 2' }).getByTestId('header-names').textContent()).toContain(
      'x-relay-key',
    );
    expect(await dialog.textContent()).not.toContain('relay-secret-1');
    await dialog.getByRole('button', { name: 'Save rules' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'Rules of Router saved.' }).last().waitFor();
    const sent = await fetch(`${env.serve.url}${hookPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 5 }),
    });
    expect(sent.status).toBeLessThan(300);
    await expect
      .poll(() => env.vendor.requests.filter((r) => r.url === '/forwarded').length, { timeout: 15_000 })
      .toBe(1);
    expect(env.vendor.requests.find((r) => r.url === '/forwarded')?.headers['x-relay-key']).toBe('relay-secret-1');
    await c.close();

    const viewer = await env.createUser('viewer');
    const v = await openConsole(env);
    await signIn(v, viewer);
    await v.page.goto('/webhooks/inbound');
    await v.page.getByRole('button', { name: /rules? of Router$/ }).click();
    const view = v.page.getByTestId('rules-view');
    await view.getByText('Forward to').waitFor();
    expect(await view.textContent()).toContain('Publish as order.created');
    expect(
      await v.page.getByRole('dialog', { name: 'Rules of Router' }).getByRole('button', { name: writeAction }).count(),
    ).toBe(0);
    await v.page.getByRole('button', { name: 'Close' }).click();
    await v.close();
  });

  it('counts a rejected request beside its source as the live log shows it, without a reload', async () => {
    const made = await env.api('POST', '/v1/inbound/sources', {
      name: 'Strict sender',
      verification: { type: 'standard_webhooks' },
    });
    expect(made.status).toBe(201);
    const hookPath = new URL((made.data.source as { url: string }).url).pathname;
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.goto('/webhooks/inbound');
    const sourceRow = page.getByTestId('source-row').filter({ hasText: 'Strict sender' });
    await sourceRow.waitFor();
    expect(await sourceRow.locator('td').nth(4).textContent()).toBe('0');
    await page.getByLabel('Auto-refresh').selectOption('2');
    const refused = await fetch(`${env.serve.url}${hookPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"unsigned": true}',
    });
    expect(refused.status).toBe(401);
    await page.getByTestId('event-row').filter({ hasText: 'rejected' }).first().waitFor({ timeout: 15_000 });
    await expect.poll(() => sourceRow.locator('td').nth(4).textContent(), { timeout: 10_000 }).toMatch(/^1/);
    await c.close();
  });
});
