import fs from 'node:fs';
import type { Page } from 'playwright-core';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { startFinancialFake, type FinancialFake, type Vendor } from '../fakes/financial.js';
import { openConsole, phone, signIn, startConsoleEnv, type ConsoleEnv } from './harness.js';

// Seed 000's Financial Data tab against a real `switchyard serve`: connections to loopback fakes of Financial Modeling
// Prep and Polygon.io that answer as the vendors document (limits included). Each fake is reached through a custom
// registry entry that is the shipped manifest with its base URL on the fake (the shipped entries name the vendors'
// hosts); the capability catalogue lists it as a provider of the capabilities it serves.
let env: ConsoleEnv;
let fmp: FinancialFake;
let polygon: FinancialFake;
let alphaVantage: FinancialFake;
let tenantId: string;
const ids = { fmp: '', polygon: '', av: '' };
let admin: { email: string; password: string };
let viewer: { email: string; password: string };

const root = path.resolve(import.meta.dirname, '../..');

/** The shipped manifest of `vendor` as a custom entry `slug` whose base URL is the fake's. */
async function installLocal(vendor: Vendor, slug: string, name: string, fake: FinancialFake): Promise<void> {
  const manifest = YAML.parse(fs.readFileSync(path.join(root, 'connectors', `${vendor}.yaml`), 'utf8')) as Record<
    string,
    unknown
  >;
  const res = await env.api('POST', '/v1/connectors', { ...manifest, slug, name, base_url: fake.baseUrl });
  expect(res.status, JSON.stringify(res.data)).toBe(201);
}

async function connect(connector: string, name: string, authMethod: string): Promise<string> {
  const res = await env.api('POST', '/v1/connections', {
    connector,
    name,
    auth_method: authMethod,
    credentials: { api_key: 'test-key-0123456789' },
    validate: false,
  });
  expect(res.status, JSON.stringify(res.data)).toBe(201);
  return res.data.id as string;
}

const setFeatures = async (features: string[]) => {
  const res = await env.api('PATCH', `/v1/tenants/${tenantId}`, { features });
  expect(res.status, JSON.stringify(res.data)).toBe(200);
};

beforeAll(async () => {
  env = await startConsoleEnv();
  fmp = await startFinancialFake('financial_modeling_prep', { apiKey: 'test-key-0123456789' });
  polygon = await startFinancialFake('polygon', { apiKey: 'test-key-0123456789' });
  await installLocal('financial_modeling_prep', 'fmp_local', 'FMP (local)', fmp);
  await installLocal('polygon', 'polygon_local', 'Polygon (local)', polygon);
  alphaVantage = await startFinancialFake('alpha_vantage');
  await installLocal('alpha_vantage', 'av_local', 'Alpha Vantage (local)', alphaVantage);
  ids.fmp = await connect('fmp_local', 'FMP primary', 'api_key');
  ids.polygon = await connect('polygon_local', 'Polygon backup', 'bearer');
  ids.av = await connect('av_local', 'Alpha Vantage', 'api_key');
  tenantId = ((await env.api('GET', '/v1/me')).data.tenant as { id: string }).id;
  admin = await env.createUser('administrator');
  viewer = await env.createUser('viewer');
}, 120_000);
afterAll(async () => {
  await env?.close();
  await fmp?.close();
  await polygon?.close();
  await alphaVantage?.close();
});

const tabs = (page: Page) => page.getByRole('navigation', { name: 'Sections' });

describe('console: provider routing (Financial Data)', () => {
  it('shows the tab only with the financial_data feature, and explains a direct URL without it', async () => {
    await setFeatures([]);
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    expect(await tabs(page).getByRole('link', { name: 'Sync Management' }).count()).toBe(1);
    expect(await tabs(page).getByRole('link', { name: 'Financial Data' }).count()).toBe(0);
    expect(await tabs(page).getByRole('link', { name: 'Provider routing' }).count()).toBe(0);
    await page.goto('/financial-data');
    const missing = page.getByTestId('feature-missing');
    expect(await missing.textContent()).toContain('Your subscription needs the financial_data capability');
    expect(await missing.textContent()).toContain('contact your administrator');
    await c.screenshot('routing-feature-missing');

    // provider_routing alone: its own tab, not the financial one.
    await setFeatures(['provider_routing']);
    await page.goto('/');
    await tabs(page).getByRole('link', { name: 'Provider routing' }).waitFor();
    expect(await tabs(page).getByRole('link', { name: 'Financial Data' }).count()).toBe(0);

    await setFeatures(['financial_data']);
    await page.goto('/');
    await tabs(page).getByRole('link', { name: 'Financial Data' }).click();
    await page.getByRole('heading', { name: 'Financial Data', level: 1 }).waitFor();
    expect(await tabs(page).getByRole('link', { name: 'Provider routing' }).count()).toBe(0);
    await c.close();
  });

  it('creates a fallback route in the form, lists it, answers from the fallback when the primary is out of quota, resets it', async () => {
    await setFeatures(['financial_data']);
    const c = await openConsole(env);
    const { page } = c;
    // The 503/429 answers of the provoked failures are not console errors of the page; a Try it failure is shown.
    c.allowErrors(/status of (429|503)/);
    await signIn(c, admin);
    await page.goto('/financial-data');
    const quotes = page.getByTestId('capability-equity.quote');
    await quotes.getByText('No route for Equity quote yet').waitFor();
    await quotes.getByRole('link', { name: 'New route for Equity quote' }).click();

    await page.getByRole('heading', { name: 'New route', level: 1 }).waitFor();
    await page.getByRole('textbox', { name: 'Name' }).fill('quotes');
    expect(await page.getByLabel('Capability').inputValue()).toBe('equity.quote');
    // Bloomberg's entry is shown, coming soon, and cannot be added.
    const bloomberg = page.getByTestId('provider-bloomberg');
    expect(await bloomberg.getByRole('button', { name: /coming soon/ }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Add Polygon backup' }).click();
    await page.getByRole('button', { name: 'Add FMP primary' }).click();
    const order = page.getByTestId('chosen-provider');
    expect(await order.allTextContents()).toEqual([
      expect.stringMatching(/^Primary\s*Polygon backup/),
      expect.stringMatching(/^Fallback\s*FMP primary/),
    ]);
    await page.getByRole('button', { name: 'Move FMP primary up' }).click();
    expect(await order.first().textContent()).toMatch(/^Primary\s*FMP primary/);
    expect(await page.getByRole('button', { name: 'Add FMP primary' }).isDisabled()).toBe(true);

    await page.getByLabel('Strategy').selectOption('fallback');
    const policy = page.getByTestId('rate-limit-strategy');
    expect(await policy.textContent()).toContain('Fail immediately when the provider returns a rate-limit error');
    expect(await policy.textContent()).toContain('Queue requests and retry when the rate limit window resets');
    await page.getByRole('radio', { name: /Queue/ }).check();
    await page.getByLabel('Longest wait in the queue (seconds)').fill('120');
    await page.getByRole('radio', { name: /Fallback/ }).check();
    expect(await page.getByLabel('Longest wait in the queue (seconds)').count()).toBe(0);
    await page.getByText('Advanced: retries, circuit breaker, timeout').click();
    await page.getByLabel('Probe again after (seconds)').fill('45');
    await c.screenshot('routing-form');
    await page.getByRole('button', { name: 'Create route' }).click();

    await page.getByRole('heading', { name: /quotes/, level: 1 }).waitFor();
    const saved = await env.api('GET', '/v1/routes/quotes');
    expect(saved.data).toMatchObject({
      capability: 'equity.quote',
      strategy: 'fallback',
      on_rate_limit: 'fallback',
      providers: [{ connection_id: ids.fmp }, { connection_id: ids.polygon }],
      breaker: { cooldown_seconds: 45 },
    });

    // Try it: the primary answers.
    const tryIt = page.getByTestId('try-it');
    await tryIt.getByLabel('symbol').fill('AAPL');
    await tryIt.getByRole('button', { name: 'Run' }).click();
    const answeredBy = tryIt.getByTestId('answered-by');
    await expect.poll(() => answeredBy.textContent()).toContain('Answered by FMP primary');
    expect(await tryIt.getByTestId('answer-data').textContent()).toContain('"symbol": "AAPL"');

    // FMP's daily quota runs out (its 429 "Limit Reach" without headers): the fallback answers, and says why.
    fmp.quotaExhausted();
    await tryIt.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => answeredBy.textContent()).toContain('Answered by Polygon backup');
    const attempts = tryIt.getByTestId('attempt-row');
    expect(await attempts.count()).toBeGreaterThanOrEqual(2);
    expect(await attempts.first().textContent()).toMatch(/FMP primary.*(rate limited|quota exhausted).*Limit Reach/);

    // Explain: the primary is out of service until its window resets; Polygon would answer.
    await tryIt.getByRole('button', { name: 'Explain' }).click();
    const wouldUse = tryIt.getByTestId('would-use');
    await expect.poll(() => wouldUse.textContent()).toContain('Would use Polygon backup');

    // Provider health: FMP's limit with its reset, then Reset clears it.
    const health = page.getByTestId('provider-health-row').filter({ hasText: 'FMP primary' });
    await expect.poll(() => health.textContent(), { timeout: 15_000 }).toMatch(/exhausted|limited until/);
    await c.screenshot('routing-route');
    await health.getByRole('button', { name: 'Reset FMP primary' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'FMP primary' }).waitFor();
    await expect.poll(() => health.textContent()).not.toMatch(/exhausted|limited until/);

    // The call log: both runs (Explain calls no provider and is not logged), newest first; the fallback's attempts expand.
    const calls = page.getByTestId('call-row');
    await expect.poll(() => calls.count(), { timeout: 20_000 }).toBe(2);
    expect(await calls.first().textContent()).toContain('fallback');
    await calls
      .first()
      .getByRole('button', { name: /Show the \d+ attempts/ })
      .click();
    expect(await page.getByTestId('route-calls').getByTestId('attempt-row').count()).toBeGreaterThanOrEqual(2);
    const chart = page.getByTestId('route-health-panel').getByTestId('chart');
    await expect
      .poll(() => chart.getAttribute('aria-label'), { timeout: 40_000 })
      .toMatch(/Answered \(first choice or fused\): 1.*From a fallback: 1/);

    // The list: primary, fallback, strategies, and a badge per provider.
    await page.getByRole('link', { name: 'Financial Data' }).first().click();
    const row = page.getByTestId('route-row').filter({ hasText: 'quotes' });
    expect(await row.getByTestId('route-primary').textContent()).toBe('FMP primary');
    expect(await row.getByTestId('route-fallback').textContent()).toBe('Polygon backup');
    expect(await row.textContent()).toContain('Automatically switch to the fallback provider on rate-limit errors');
    await expect.poll(() => row.getByTestId('route-health').textContent()).toContain('Polygon backup');
    await c.screenshot('routing-list');
    await c.close();
  });

  it('fuses two providers by the rules set in the form, previewed on live answers with provenance, conflicts and taint', async () => {
    await setFeatures(['financial_data']);
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.goto('/financial-data/routes/new?capability=equity.quote');
    await page.getByRole('textbox', { name: 'Name' }).fill('quotes-fused');
    await page.getByRole('button', { name: 'Add Polygon backup' }).click();
    await page.getByRole('button', { name: 'Add Alpha Vantage' }).click();
    await page.getByLabel('Data licence of Alpha Vantage').selectOption('restricted');
    await page.getByLabel('Strategy').selectOption('fusion');
    const rules = page.getByTestId('fusion-rules');
    await rules.getByLabel('Rule for price').selectOption('consensus');
    await rules.getByLabel('Tolerance for price (%)').fill('0.01');
    await rules.getByLabel('Rule for volume').selectOption('max');
    await rules.getByLabel('Preferred provider for every other field').selectOption(ids.av);
    expect(await page.getByText('Create the route to preview its fusion rules on live answers.').count()).toBe(1);
    await page.getByRole('button', { name: 'Create route' }).click();
    await page.getByRole('heading', { name: /quotes-fused/, level: 1 }).waitFor();
    const saved = await env.api('GET', '/v1/routes/quotes-fused');
    expect(saved.data).toMatchObject({
      strategy: 'fusion',
      providers: [
        { connection_id: ids.polygon, redistributable: true },
        { connection_id: ids.av, redistributable: false },
      ],
      fusion: {
        fields: {
          price: { pick: 'consensus', tolerance: 0.0001 },
          volume: { pick: 'max' },
          '*': { pick: 'priority', order: [ids.av, ids.polygon] },
        },
      },
    });
    expect(await page.getByTestId('fusion-summary').textContent()).toContain('Consensus within a tolerance');

    // The preview asks both vendors: their prices differ by 0.08%, beyond 0.01%: a conflict, with each value.
    await page.getByRole('link', { name: 'Edit' }).click();
    const preview = page.getByTestId('fusion-preview');
    await preview.getByLabel('symbol').fill('AAPL');
    await preview.getByRole('button', { name: 'Preview', exact: true }).click();
    const price = preview.getByTestId('fused-price');
    await price.waitFor();
    expect(await price.getAttribute('class')).toContain('rt-conflict');
    expect(await price.textContent()).toMatch(/Polygon backup: [\d.]+.*Alpha Vantage: [\d.]+/);
    // Every other field comes from Alpha Vantage first, which may not be redistributed: it is marked.
    const open = preview.getByTestId('fused-open');
    expect(await open.textContent()).toContain('Alpha Vantage');
    expect(await open.textContent()).toContain('not redistributable');
    expect(await preview.getByTestId('fused-record').getByRole('note').textContent()).toContain(
      'does not allow redistribution',
    );
    await c.screenshot('routing-fusion-preview');

    // A wider tolerance, saved and previewed in one go: the prices now agree.
    await rules.getByLabel('Tolerance for price (%)').fill('1');
    await preview.getByRole('button', { name: 'Save and preview' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'Route “quotes-fused” saved.' }).waitFor();
    await expect.poll(async () => (await price.getAttribute('class')) ?? '').not.toContain('rt-conflict');
    expect((await env.api('GET', '/v1/routes/quotes-fused')).data).toMatchObject({
      fusion: { fields: { price: { tolerance: 0.01 } } },
    });
    await c.close();
  });

  it('routes by a condition on the query, and Explain says which provider a query would use', async () => {
    await setFeatures(['financial_data']);
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.goto('/financial-data/routes/new?capability=equity.quote');
    await page.getByRole('textbox', { name: 'Name' }).fill('quotes-by-symbol');
    await page.getByRole('button', { name: 'Add FMP primary' }).click();
    await page.getByRole('button', { name: 'Add Polygon backup' }).click();
    await page.getByLabel('Strategy').selectOption('conditional');
    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByLabel('Query field, condition 1').selectOption('symbol');
    await page.getByLabel('Test, condition 1').selectOption('$in');
    await page.getByLabel('Value, condition 1').fill('MSFT, NVDA');
    await page.getByTestId('conditions').getByRole('checkbox', { name: 'Polygon backup' }).check();
    await page.getByRole('button', { name: 'Create route' }).click();
    await page.getByRole('heading', { name: /quotes-by-symbol/, level: 1 }).waitFor();
    expect((await env.api('GET', '/v1/routes/quotes-by-symbol')).data).toMatchObject({
      strategy: 'conditional',
      conditions: [{ when: { symbol: { $in: ['MSFT', 'NVDA'] } }, use: [ids.polygon] }],
    });
    expect(await page.getByTestId('route-summary').textContent()).toContain('→ Polygon backup');

    const tryIt = page.getByTestId('try-it');
    await tryIt.getByLabel('symbol').fill('MSFT');
    await tryIt.getByRole('button', { name: 'Explain' }).click();
    await expect.poll(() => tryIt.getByTestId('would-use').textContent()).toContain('Would use Polygon backup');
    expect(await tryIt.getByTestId('explain-providers').textContent()).toContain('condition matched');
    await tryIt.getByLabel('symbol').fill('AAPL');
    await tryIt.getByRole('button', { name: 'Explain' }).click();
    await expect.poll(() => tryIt.getByTestId('would-use').textContent()).toContain('Would use FMP primary');
    await c.close();
  });

  it('shows a viewer the routes and their health without the actions, and refuses the form', async () => {
    await setFeatures(['financial_data']);
    // On a phone: the wide tables scroll inside their frames, never the page.
    const c = await openConsole(env, phone);
    const { page } = c;
    await signIn(c, viewer);
    await tabs(page).getByRole('link', { name: 'Financial Data' }).click();
    const row = page.getByTestId('route-row').filter({ hasText: 'quotes-fused' });
    await row.waitFor();
    expect(await page.getByRole('link', { name: /New route/ }).count()).toBe(0);
    await row.getByRole('link', { name: 'quotes-fused' }).click();
    await page.getByTestId('provider-health-row').first().waitFor();
    expect(await page.getByRole('button', { name: /^Reset / }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Edit' }).count()).toBe(0);
    // Viewers may explain but not run queries (query_routes).
    expect(await page.getByTestId('try-it').getByRole('button', { name: 'Run' }).count()).toBe(0);
    expect(await page.getByTestId('try-it').getByRole('button', { name: 'Explain' }).count()).toBe(1);
    await page.goto('/financial-data/routes/new');
    expect(await page.getByRole('alert').textContent()).toContain('manage_routes');
    await c.close();
  });
});
