import { expect } from 'vitest';
import type { VendorHandler } from '../helpers/fake-vendor.js';
import type { Conformance } from './harness.js';

/**
 * The two answers every vector-store test call must read right, against a fake that checks the credential where the
 * vendor reads it: the right credential connects (the request carried it as the manifest says), a wrong one is
 * refused as the vendor refuses it and stores nothing. Answers the accepted request and the refused outcome.
 */
export async function checkCredential(
  c: Conformance,
  options: {
    route: string;
    fake: VendorHandler;
    field: string;
    good: string;
    config: Record<string, string>;
  },
) {
  c.vendor.on(options.route, options.fake);
  const count = async () =>
    (await c.t.db.query<{ n: number }>('select count(*)::int as n from connections')).rows[0]?.n;
  const before = await count();
  const ok = await c.connect({ credentials: { [options.field]: options.good }, config: options.config });
  expect(ok.statusCode, ok.body).toBe(201);
  expect(ok.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected' } });
  expect(ok.body).not.toContain(options.good);
  const sent = c.requestsTo(options.route).at(-1);
  expect(sent, `the test call did not reach ${options.route}`).toBeDefined();

  const bad = await c.connect({ credentials: { [options.field]: `${options.good}-wrong` }, config: options.config });
  expect(bad.statusCode, bad.body).toBe(422);
  expect(bad.data.code).toBe('connection_test_failed');
  expect(await count()).toBe((before ?? 0) + 1);
  return {
    connection: ok.data,
    sent: sent as NonNullable<typeof sent>,
    refused: bad.data.outcome as Record<string, unknown>,
  };
}
