import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { startProviders, type Providers } from '../helpers/routing.js';

let t: TestApp;
let p: Providers;
beforeAll(async () => {
  t = await createTestApp();
  p = await startProviders(t);
});
afterAll(async () => {
  await p.close();
  await t.close();
});

describe('routes', () => {
  it('serves a quote from the primary and says who answered and why', async () => {
    const route = await p.route();
    const res = await p.query(route.name as string);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['switchyard-provider']).toBe('financial_modeling_prep');
    expect(res.data).toMatchObject({
      provider: { connection_id: p.ids.fmp, connector: 'financial_modeling_prep' },
      reason: 'primary',
      data: { symbol: 'AAPL' },
    });
  });
});
