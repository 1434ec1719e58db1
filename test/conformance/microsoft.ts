import { expect, it } from 'vitest';
import type { Conformance } from './harness.js';

/** What Microsoft Graph's connectors share in their conformance tests. */

/**
 * Graph offers no per-app token revocation: refresh tokens end with revokeSignInSessions, every session of the user
 * (https://learn.microsoft.com/en-us/entra/identity-platform/refresh-tokens,
 * https://learn.microsoft.com/graph/api/user-revokesigninsessions). Disconnect asks the vendor nothing.
 */
export function graphNoRevocationTest(
  conformance: () => Conformance,
  tokens: () => Parameters<Conformance['oauthConnection']>[0],
) {
  it('revocation: none — Graph has no per-app revocation, so disconnect asks the vendor nothing', async () => {
    const c = conformance();
    const { id } = await c.oauthConnection(tokens());
    const before = c.vendor.requests.length;
    const { revocation } = await c.disconnect(id);
    expect(revocation?.outcome).not.toBe('revoked');
    expect(c.vendor.requests.length).toBe(before);
  });
}

/**
 * https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks#notificationurl-validation: Graph
 * POSTs ?validationToken=… (text/plain, no body) and wants 200 text/plain with the token within 10 s.
 */
export async function expectGraphHandshake(c: Conformance, path: string, token: string): Promise<void> {
  const handshake = await c.t.request({
    method: 'POST',
    url: `${path}?validationToken=${encodeURIComponent(token)}`,
    token: null,
    headers: { 'content-type': 'text/plain' },
  });
  expect(handshake.statusCode).toBe(200);
  expect(handshake.headers['content-type']).toContain('text/plain');
  expect(handshake.body).toBe(token);
}
