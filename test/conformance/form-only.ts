import { expect } from 'vitest';
import type { Conformance } from './harness.js';

/**
 * A connector shipped as a form only (`test: {kind: none}`: no server to verify a driver test against): connecting
 * sends nothing anywhere and saves the connection `unverified` with the manifest's reason; the form's patterns and
 * required fields are enforced; no secret comes back.
 */
export async function checkFormOnly(
  c: Conformance,
  input: { credentials: Record<string, string>; config: Record<string, string | number | boolean> },
  secret: string,
) {
  const before = c.vendor.requests.length;
  const res = await c.connect(input);
  expect(res.statusCode, res.body).toBe(201);
  expect(res.data).toMatchObject({
    state: 'active',
    last_test_outcome: { outcome: 'unverified', message: expect.stringMatching(/does not test .* connections yet/) },
  });
  expect(res.body).not.toContain(secret);
  expect(c.vendor.requests.length).toBe(before);
  return res.data;
}
