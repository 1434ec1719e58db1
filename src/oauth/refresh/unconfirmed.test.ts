import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { expectData, getConnection } from '../../../test/helpers/api.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { startFakeVendor } from '../../../test/helpers/fake-vendor.js';
import { expectProblem, rowCounts } from '../../../test/helpers/fixtures.js';
import {
  backgroundRefresh,
  connectAtVendor,
  minutesAgo,
  storedTokens,
  vendorEndpoints,
} from '../../../test/helpers/oauth-connection.js';
import { installOAuthConnector } from '../../../test/helpers/oauth-connector.js';

// With rotating refresh tokens and reuse detection, a refresh request the vendor received but whose answer was lost
// must not be sent again automatically: the vendor may already have rotated the token, and presenting the old one
// again would revoke the whole grant.

/**
 * A vendor whose token endpoint holds refresh requests unanswered until the client gives up (or answers them, when
 * `answer` is set), and whose API answers `GET /me`.
 */
async function startSlowVendor() {
  const refreshTokens: string[] = [];
  let answer: Record<string, unknown> | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/token') {
        refreshTokens.push(new URLSearchParams(Buffer.concat(chunks).toString()).get('refresh_token') ?? '');
        if (!answer) return; // never answered: the client's timeout ends the request
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'acct' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    refreshTokens,
    answerWith(tokens: Record<string, unknown>) {
      answer = tokens;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let t: TestApp | undefined;
let vendor: { close(): Promise<void> } | undefined;
afterEach(async () => {
  await t?.close();
  await vendor?.close();
  t = undefined;
  vendor = undefined;
});

describe('a refresh whose answer is lost', () => {
  it('is sent once, marks the connection, and is sent again only by an explicit refresh', async () => {
    // A short refresh timeout so that the test does not wait 30 s; the vendor never answers within it.
    const app = (t = await createTestApp({ config: { oauthRefreshTimeoutMs: 500 } }));
    const fake = (vendor = await startSlowVendor());
    const { id } = await connectAtVendor(app, fake.url, { expiresAt: minutesAgo(1) });

    // The proxied call needs a refresh; the request reaches the vendor, and no answer comes back.
    const lost = await app.request({ url: `/v1/connections/${id}/proxy/me` });
    expectProblem(lost, 409, 'oauth_refresh_unconfirmed');
    expect(lost.data.detail).toMatch(/did not answer in time.*may have rotated the refresh token/);
    expect(fake.refreshTokens).toEqual(['refresh-1']);

    const connection = await getConnection(app, id);
    expect(connection.state).toBe('error');
    expect(connection.state_reason).toMatch(
      new RegExp(`^Token refresh unconfirmed: .*refresh explicitly \\(POST /v1/connections/${id}/refresh\\)`),
    );

    // Nothing automatic sends the token again: not the next call, not the background job.
    expectProblem(await app.request({ url: `/v1/connections/${id}/proxy/me` }), 409, 'oauth_refresh_unconfirmed');
    expect(await backgroundRefresh(app)()).toBe(0);
    expect(fake.refreshTokens).toEqual(['refresh-1']);

    // An explicit refresh is the operator's decision: it sends the token once more, and the connection recovers.
    fake.answerWith({ access_token: 'access-2', refresh_token: 'refresh-2', token_type: 'Bearer', expires_in: 3600 });
    const refreshed = await expectData(app.api.POST('/v1/connections/{id}/refresh', { params: { path: { id } } }));
    expect(refreshed).toMatchObject({ state: 'active', state_reason: null });
    expect(fake.refreshTokens).toEqual(['refresh-1', 'refresh-1']);
    expect(await storedTokens({ db: app.db, vault: app.built.vault }, app.tenantId, id)).toMatchObject({
      access_token: 'access-2',
      refresh_token: 'refresh-2',
      refresh_failures: 0,
    });
    expect((await app.request({ url: `/v1/connections/${id}/proxy/me` })).statusCode).toBe(200);
  });

  it('after a node died waiting for the answer (its lease ran out), no other node resends the token', async () => {
    const app = (t = await createTestApp());
    const fake = (vendor = await startSlowVendor());
    fake.answerWith({ access_token: 'access-2', refresh_token: 'refresh-2', token_type: 'Bearer', expires_in: 3600 });
    const { id } = await connectAtVendor(app, fake.url, { expiresAt: minutesAgo(1) });
    // What a node leaves behind when it dies after sending: the sent mark, and a lease that has run out.
    await app.db.query(
      `update connection_credentials set refresh_sent_at = now() - interval '2 minutes', lease_owner = 'dead-node',
         lease_until = now() - interval '1 minute' where connection_id = $1`,
      [id],
    );
    expectProblem(await app.request({ url: `/v1/connections/${id}/proxy/me` }), 409, 'oauth_refresh_unconfirmed');
    expect(await backgroundRefresh(app)()).toBe(0);
    expect(fake.refreshTokens).toEqual([]);
    expect((await getConnection(app, id)).state).toBe('error');
  });
});

// A 502 or 504 comes from a gateway in front of the authorization server, which may have passed the request on and
// given up waiting while the server rotated the token: an answer lost. A 500 or 503 is the server's own answer.
describe('a gateway error from the token endpoint', () => {
  async function answering(status: number) {
    const app = (t = await createTestApp());
    const fake = await startFakeVendor({ '/me': { json: { id: 'acct' } } });
    vendor = fake;
    fake.on('POST /token', { status, body: 'upstream' });
    const { id } = await connectAtVendor(app, fake.url, { expiresAt: minutesAgo(1) });
    const res = await app.request({ url: `/v1/connections/${id}/proxy/me` });
    const sent = () => fake.requests.filter((r) => r.url === '/token').length;
    return { app, id, res, sent };
  }

  it.each([502, 504])('%i is not resent: the connection is marked unconfirmed', async (status) => {
    const { app, id, res, sent } = await answering(status);
    expectProblem(res, 409, 'oauth_refresh_unconfirmed');
    expect(res.data.detail).toMatch(new RegExp(`answered ${status}`));
    expect(sent()).toBe(1);
    expect(await getConnection(app, id)).toMatchObject({ state: 'error' });
    expect((await getConnection(app, id)).state_reason).toMatch(/^Token refresh unconfirmed: /);
    // Nothing automatic sends the token again.
    expect(await backgroundRefresh(app)()).toBe(0);
    expectProblem(await app.request({ url: `/v1/connections/${id}/proxy/me` }), 409, 'oauth_refresh_unconfirmed');
    expect(sent()).toBe(1);
  });

  it.each([500, 503])('%i is resent within the call, and the connection stays active', async (status) => {
    const { app, id, res, sent } = await answering(status);
    expectProblem(res, 502, 'oauth_unavailable');
    expect(sent()).toBe(3);
    expect(await getConnection(app, id)).toMatchObject({ state: 'active' });
  });
});

// An import refreshes an expired access token with the refresh token it was given, once. When that answer is lost,
// the caller must learn that the token may be used up: importing it again would present a rotated token.
describe('an import whose refresh answer is lost', () => {
  it('answers 409 oauth_refresh_unconfirmed, stores nothing, and sent the token once', async () => {
    const app = (t = await createTestApp());
    const fake = await startFakeVendor({ '/me': { json: { id: 'acct' } } });
    vendor = fake;
    fake.on('POST /token', { status: 504, body: 'gateway timeout' });
    const slug = await installOAuthConnector(app, vendorEndpoints(fake.url));
    const before = await rowCounts(app, ['connections', 'connection_credentials']);
    const res = await app.request({
      method: 'POST',
      url: '/v1/connections/import',
      body: {
        connector: slug,
        oauth: { access_token: 'old', refresh_token: 'held-elsewhere', expires_at: minutesAgo(5).toISOString() },
      },
    });
    expectProblem(res, 409, 'oauth_refresh_unconfirmed');
    expect(res.data.detail).toMatch(/^Nothing was imported: .*answered 504.*may have rotated/);
    expect(fake.requests.filter((r) => r.url === '/token')).toHaveLength(1);
    expect(await rowCounts(app, ['connections', 'connection_credentials'])).toEqual(before);
  });
});
