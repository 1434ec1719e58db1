import { manifestHash } from '../../src/catalog/registry.js';
import { insertCustomConnector } from '../../src/catalog/sql.js';
import { manifestAt, shippedManifest } from '../conformance/harness.js';
import { startFinancialFake, type FinancialFake, type FinancialFakeOptions, type Vendor } from '../fakes/financial.js';
import type { Json, TestApp } from './app.js';
import { uniqueName } from './fixtures.js';

export type Providers = {
  fakes: Record<'fmp' | 'av' | 'polygon', FinancialFake>;
  /** Connection ids, one per provider. */
  ids: Record<'fmp' | 'av' | 'polygon', string>;
  /** Create a route (defaults: equity.quote, fallback, fmp → av → polygon, strict); answers the created route. */
  route(body?: Record<string, unknown>, ids?: Providers['ids']): Promise<Json>;
  /** Three new connections (one per provider): their breakers, limits and budgets start afresh. */
  connect(): Promise<Providers['ids']>;
  /** POST /v1/routes/{name}/query with `query`. */
  query(name: string, query?: Record<string, unknown>, extra?: Record<string, unknown>): ReturnType<TestApp['request']>;
  close(): Promise<void>;
};

const KEY = 'routing-test-key-0123456789';

/**
 * The three financial providers for routing tests: each vendor's fake (test/fakes/financial.ts), its shipped
 * manifest installed with its URLs on the fake (as the conformance harness does), a connection to each, and the
 * tenant's financial_data feature turned on.
 */
export async function startProviders(
  t: TestApp,
  options: Partial<Record<'fmp' | 'av' | 'polygon', FinancialFakeOptions>> = {},
): Promise<Providers> {
  const slugs: Record<'fmp' | 'av' | 'polygon', Vendor> = {
    fmp: 'financial_modeling_prep',
    av: 'alpha_vantage',
    polygon: 'polygon',
  };
  const fakes = {} as Providers['fakes'];
  const entries = Object.entries(slugs) as ['fmp' | 'av' | 'polygon', Vendor][];
  for (const [short, slug] of entries) {
    const fake = await startFinancialFake(slug, { apiKey: KEY, ...options[short] });
    fakes[short] = fake;
    const manifest = manifestAt(shippedManifest(slug), fake.url);
    await t.db.transaction(async (tx) => {
      await tx.query('delete from connectors where slug = $1', [slug]);
      await insertCustomConnector(tx, manifest, manifestHash(manifest));
      await t.built.registry.invalidate(tx);
    });
  }
  async function connect(): Promise<Providers['ids']> {
    const made = {} as Providers['ids'];
    for (const [short, slug] of entries) {
      const auth = slug === 'polygon' ? { auth_method: 'bearer' } : {};
      const res = await t.request({
        method: 'POST',
        url: '/v1/connections',
        body: {
          connector: slug,
          name: `${short} ${uniqueName('c')}`,
          ...auth,
          credentials: { api_key: KEY },
          validate: false,
        },
      });
      if (res.statusCode !== 201) throw new Error(`could not connect ${slug}: ${res.body}`);
      made[short] = res.data.id as string;
    }
    return made;
  }
  const ids = await connect();
  const features = await t.request({
    method: 'PATCH',
    url: `/v1/tenants/${t.tenantId}`,
    body: { features: ['financial_data', 'provider_routing'] },
  });
  if (features.statusCode !== 200) throw new Error(`could not enable financial_data: ${features.body}`);
  return {
    fakes,
    ids,
    connect,
    async route(body = {}, use = ids) {
      const res = await t.request({
        method: 'POST',
        url: '/v1/routes',
        body: {
          name: uniqueName('quotes').replaceAll('_', '-'),
          capability: 'equity.quote',
          strategy: 'fallback',
          on_rate_limit: 'strict',
          providers: [{ connection_id: use.fmp }, { connection_id: use.av }, { connection_id: use.polygon }],
          ...body,
        },
      });
      if (res.statusCode !== 201) throw new Error(`could not create the route: ${res.body}`);
      return res.data;
    },
    query(name, query = { symbol: 'AAPL' }, extra = {}) {
      return t.request({ method: 'POST', url: `/v1/routes/${name}/query`, body: { query, ...extra } });
    },
    async close() {
      for (const fake of Object.values(fakes)) await fake.close();
    },
  };
}
