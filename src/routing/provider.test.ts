import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { vendorAnswer, signals, type Vendor } from '../../test/fakes/financial.js';
import type { FakeRequest } from '../../test/fakes/server.js';
import { shippedManifest } from '../../test/conformance/harness.js';
import { capabilityCatalog } from '../catalog/capabilities.js';
import { loadManifests } from '../catalog/manifest/validate.js';
import { connectorsDir, packageRoot } from '../core/paths.js';
import { capabilitySectionProblems, planProviderRequest, readProviderAnswer, type ProviderAnswer } from './provider.js';

const catalog = capabilityCatalog();
const NOW = Date.parse('2026-12-06T15:00:00Z');
const vendors: Vendor[] = ['financial_modeling_prep', 'alpha_vantage', 'polygon'];
const basePath: Record<Vendor, string> = { financial_modeling_prep: '/stable', alpha_vantage: '', polygon: '' };

const queries: Record<string, Record<string, unknown>> = {
  'equity.quote': { symbol: 'AAPL' },
  'equity.historical': { symbol: 'MSFT', start_date: '2026-11-30', end_date: '2026-12-04' },
  'company.profile': { symbol: 'IBM' },
  'company.financials': { symbol: 'AAPL', period: 'quarter', limit: 3 },
};

/** The plan sent to the vendor fake's own answer function, and its answer as the proxy hands it over. */
function ask(vendor: Vendor, capability: string, query: Record<string, unknown>, limit?: 'minute' | 'day') {
  const manifest = shippedManifest(vendor);
  const plan = planProviderRequest(manifest, capability, query);
  const req: FakeRequest = {
    method: plan.method,
    path: `${basePath[vendor]}${decodeURIComponent(plan.path)}`,
    query: new URLSearchParams(plan.query),
    headers: {},
    body: Buffer.alloc(0),
  };
  const reply = vendorAnswer(vendor, req, limit);
  const body = Buffer.from(reply.json !== undefined ? JSON.stringify(reply.json) : (reply.body ?? ''));
  const answer: ProviderAnswer = {
    status: reply.status ?? 200,
    headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
    body,
  };
  return { manifest, plan, answer };
}

const read = (vendor: Vendor, capability: string, query: Record<string, unknown>, answer: ProviderAnswer) =>
  readProviderAnswer(shippedManifest(vendor), catalog.get(capability)!, answer, NOW, query);

describe('planProviderRequest', () => {
  it('renders the query into the path (URL-encoded) and parameters, leaving out empty templates', () => {
    const polygon = planProviderRequest(shippedManifest('polygon'), 'equity.historical', {
      symbol: 'BRK.B',
      start_date: '2026-12-01',
      end_date: '2026-12-04',
    });
    expect(polygon).toEqual({
      method: 'GET',
      path: '/v2/aggs/ticker/BRK.B/range/1/day/2026-12-01/2026-12-04',
      query: { adjusted: 'true', sort: 'asc', limit: '50000' },
    });
    expect(planProviderRequest(shippedManifest('polygon'), 'company.profile', { symbol: 'A/B' }).path).toBe(
      '/v3/reference/tickers/A%2FB',
    );
    const fmp = planProviderRequest(shippedManifest('financial_modeling_prep'), 'company.financials', {
      symbol: 'AAPL',
      period: 'annual',
    });
    expect(fmp.query).toEqual({ symbol: 'AAPL', period: 'annual' });
  });

  it('chooses a parameter by a query field (Polygon timeframe: quarter → quarterly)', () => {
    const plan = planProviderRequest(shippedManifest('polygon'), 'company.financials', queries['company.financials']!);
    expect(plan.query).toMatchObject({ ticker: 'AAPL', timeframe: 'quarterly', limit: '3', order: 'desc' });
  });

  it('refuses a capability the manifest does not serve, and a coming-soon one, with capability_not_served', () => {
    expect(() => planProviderRequest(shippedManifest('bloomberg'), 'equity.quote', { symbol: 'AAPL' })).toThrow(
      expect.objectContaining({
        code: 'capability_not_served',
        message: 'Bloomberg does not serve equity.quote yet (coming soon).',
      }),
    );
    expect(() => planProviderRequest(shippedManifest('stripe'), 'equity.quote', { symbol: 'AAPL' })).toThrow(
      expect.objectContaining({ code: 'capability_not_served' }),
    );
  });
});

describe('readProviderAnswer: each vendor and capability against the fakes’ documented answers', () => {
  for (const vendor of vendors) {
    for (const [capability, query] of Object.entries(queries)) {
      it(`${vendor} ${capability}: standard records that fit the record schema`, () => {
        const { answer } = ask(vendor, capability, query);
        const outcome = read(vendor, capability, query, answer);
        expect(outcome.kind, JSON.stringify(outcome)).toBe('ok');
        if (outcome.kind !== 'ok') return;
        const definition = catalog.get(capability)!;
        for (const record of outcome.records) {
          expect(catalog.validateRecord(capability, record)).toMatchObject({ ok: true });
          expect(record.symbol).toBe(query.symbol);
          for (const k of definition.key) expect(record[k]).toBeDefined();
        }
        if (capability === 'equity.historical') {
          // Alpha Vantage answers its latest 100 days whatever is asked: the capability keeps the asked ones.
          expect(outcome.records.map((r) => r.date).sort()).toEqual([
            '2026-11-30',
            '2026-12-01',
            '2026-12-02',
            '2026-12-03',
            '2026-12-04',
          ]);
        }
        if (capability === 'company.financials') {
          expect(outcome.records).toHaveLength(3);
          expect(outcome.records.map((r) => r.period)).toEqual(['quarter', 'quarter', 'quarter']);
          expect(outcome.records[0]).toMatchObject({ period_ending: '2026-12-31', revenue: 104_040_250_000 });
        }
      });

      it(`${vendor} ${capability}: an unknown symbol is empty, not a failure`, () => {
        const unknown = { ...query, symbol: 'NOPE' };
        const { answer } = ask(vendor, capability, unknown);
        expect(read(vendor, capability, unknown, answer)).toMatchObject({ kind: 'empty' });
      });
    }
  }

  it('maps the vendors’ own values: AV strings and "None", FMP epoch seconds, Polygon epoch ms', () => {
    const av = read(
      'alpha_vantage',
      'equity.quote',
      { symbol: 'IBM' },
      ask('alpha_vantage', 'equity.quote', { symbol: 'IBM' }).answer,
    );
    expect(av).toMatchObject({
      kind: 'ok',
      records: [{ symbol: 'IBM', price: 233.54, as_of: '2026-12-04T00:00:00.000Z' }],
    });
    const fmp = read(
      'financial_modeling_prep',
      'equity.quote',
      { symbol: 'IBM' },
      ask('financial_modeling_prep', 'equity.quote', { symbol: 'IBM' }).answer,
    );
    expect(fmp).toMatchObject({
      kind: 'ok',
      records: [{ price: 233.45, as_of: '2026-12-04T21:00:00.000Z', change_percent: expect.any(Number) }],
    });
    const pg = read(
      'polygon',
      'equity.quote',
      { symbol: 'IBM' },
      ask('polygon', 'equity.quote', { symbol: 'IBM' }).answer,
    );
    expect(pg).toMatchObject({ kind: 'ok', records: [{ price: 233.36, as_of: '2026-12-04T05:00:00.000Z' }] });
    const overview = ask('alpha_vantage', 'company.profile', { symbol: 'AAPL' });
    expect(read('alpha_vantage', 'company.profile', { symbol: 'AAPL' }, overview.answer)).toMatchObject({
      kind: 'ok',
      records: [{ name: 'Apple Inc.', market_cap: expect.any(Number), cik: '320193' }],
    });
  });
});

describe('readProviderAnswer: limits, refusals and broken answers', () => {
  it.each([
    ['financial_modeling_prep', 'minute', 'retry_after_reset', NOW + 60_000, /^Limit Reach/],
    ['polygon', 'minute', 'retry_after_reset', NOW + 60_000, /exceeded the maximum requests per minute/],
    ['alpha_vantage', 'minute', 'retry_after_reset', NOW + 60_000, /5 calls per minute/],
    // Alpha Vantage's daily quota: skipped until the next midnight (UTC: the reset zone is undocumented).
    ['alpha_vantage', 'day', 'quota_exhausted', Date.parse('2026-12-07T00:00:00Z'), /25 requests per day/],
  ] as const)('%s over its %s limit: rate_limited, %s until %s', (vendor, limit, meaning, resetAt, words) => {
    const { answer } = ask(vendor, 'equity.quote', { symbol: 'AAPL' }, limit);
    const outcome = read(vendor, 'equity.quote', { symbol: 'AAPL' }, answer);
    expect(outcome).toMatchObject({ kind: 'rate_limited', signal: { meaning, resetAt } });
    expect(outcome.kind === 'rate_limited' && outcome.signal.reason).toMatch(words);
  });

  it('FMP "Limit Reach" on HTTP 200 is a limit, not data', () => {
    const body = Buffer.from(JSON.stringify({ 'Error Message': signals.fmpLimit }));
    const outcome = read(
      'financial_modeling_prep',
      'equity.quote',
      { symbol: 'AAPL' },
      { status: 200, headers: {}, body },
    );
    expect(outcome).toMatchObject({ kind: 'rate_limited', signal: { meaning: 'retry_after_reset' } });
  });

  it('Alpha Vantage "premium endpoint" is a plan refusal, not a limit; FMP "Invalid API KEY" on 200 is auth', () => {
    const premium = Buffer.from(JSON.stringify({ Information: signals.avPremium }));
    expect(
      read('alpha_vantage', 'equity.quote', { symbol: 'AAPL' }, { status: 200, headers: {}, body: premium }),
    ).toMatchObject({
      kind: 'failed',
      failure: 'plan',
      reason: expect.stringMatching(/premium endpoint/),
    });
    const invalid = Buffer.from(
      JSON.stringify({ 'Error Message': 'Invalid API KEY. Feel free to create a Free API Key.' }),
    );
    expect(
      read(
        'financial_modeling_prep',
        'company.profile',
        { symbol: 'AAPL' },
        { status: 200, headers: {}, body: invalid },
      ),
    ).toMatchObject({
      kind: 'failed',
      failure: 'auth',
    });
  });

  it('a vendor error status fails with the vendor’s words: 401 auth, 403 plan, 5xx status', () => {
    const body = (json: unknown) => Buffer.from(JSON.stringify(json));
    expect(
      read(
        'polygon',
        'equity.quote',
        { symbol: 'AAPL' },
        { status: 401, headers: {}, body: body({ status: 'ERROR', error: 'Unknown API Key' }) },
      ),
    ).toEqual({
      kind: 'failed',
      failure: 'auth',
      status: 401,
      reason: 'HTTP 401: Unknown API Key',
    });
    expect(
      read(
        'polygon',
        'company.financials',
        { symbol: 'AAPL', period: 'annual', limit: 4 },
        {
          status: 403,
          headers: {},
          body: body({ status: 'NOT_AUTHORIZED', message: 'You are not entitled to this data.' }),
        },
      ),
    ).toMatchObject({ failure: 'plan', status: 403 });
    expect(
      read(
        'polygon',
        'equity.quote',
        { symbol: 'AAPL' },
        { status: 502, headers: {}, body: Buffer.from('Bad Gateway') },
      ),
    ).toMatchObject({ failure: 'status', status: 502, reason: 'HTTP 502' });
  });

  it('a cut answer fails as malformed, never passes as data: a body shorter than its Content-Length, or cut JSON', () => {
    const { answer } = ask('financial_modeling_prep', 'equity.historical', queries['equity.historical']!);
    const cut = answer.body.subarray(0, answer.body.length - 40);
    // The bytes that arrived may even parse (a list cut between records): the announced length says they are not all.
    const shortened = {
      ...answer,
      body: Buffer.concat([cut.subarray(0, cut.lastIndexOf('},') + 1), Buffer.from(']')]),
    };
    expect(JSON.parse(shortened.body.toString())).toBeInstanceOf(Array);
    expect(
      read('financial_modeling_prep', 'equity.historical', queries['equity.historical']!, shortened),
    ).toMatchObject({
      kind: 'failed',
      failure: 'malformed',
      reason: 'the answer was cut short',
    });
    const cutJson = { status: 200, headers: {}, body: cut };
    expect(read('financial_modeling_prep', 'equity.historical', queries['equity.historical']!, cutJson)).toMatchObject({
      failure: 'malformed',
      reason: 'the answer is not complete JSON',
    });
  });

  it('records that do not fit the record schema fail as schema (a price that is not a number)', () => {
    const body = Buffer.from(JSON.stringify([{ symbol: 'AAPL', price: 'n/a', timestamp: 1764882000 }]));
    expect(
      read('financial_modeling_prep', 'equity.quote', { symbol: 'AAPL' }, { status: 200, headers: {}, body }),
    ).toMatchObject({
      kind: 'failed',
      failure: 'schema',
      reason: "field price: 'n/a' is not a number",
    });
    const missing = Buffer.from(JSON.stringify([{ symbol: 'AAPL', price: 1 }]));
    expect(
      read('financial_modeling_prep', 'equity.quote', { symbol: 'AAPL' }, { status: 200, headers: {}, body: missing }),
    ).toMatchObject({
      failure: 'schema',
      reason: 'a record does not fit equity.quote: record.as_of is required',
    });
  });
});

describe('shipped capability sections', () => {
  it('every shipped manifest’s capability section compiles against its capability', () => {
    const manifests = loadManifests(connectorsDir);
    const serving = manifests.filter((m) => m.capabilities);
    expect(serving.map((m) => m.slug).sort()).toEqual([
      'alpha_vantage',
      'bloomberg',
      'brevo',
      'financial_modeling_prep',
      'polygon',
      'sendgrid',
    ]);
    for (const m of manifests) expect(capabilitySectionProblems(m), m.slug).toEqual([]);
    expect(shippedManifest('bloomberg').data_licence).toMatchObject({ redistributable: false });
  });

  it('npm run manifests:check reports a capability section that does not compile', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifests-'));
    try {
      const text = fs
        .readFileSync(path.join(connectorsDir, 'polygon.yaml'), 'utf8')
        .replace('- { to: price, from: c, cast: number }', '- { to: price, from: c, cast: money }')
        .replace("'/v3/reference/tickers/{{query.symbol}}'", "'/v3/reference/tickers/{{query.ticker}}'");
      fs.writeFileSync(path.join(dir, 'polygon.yaml'), text);
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check-manifests.ts', '--dir', dir], {
        cwd: packageRoot,
        encoding: 'utf8',
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('polygon.yaml: /capabilities/equity.quote/fields/1/cast');
      expect(run.stderr).toContain('{{query.ticker}} names no field of the company.profile query');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
