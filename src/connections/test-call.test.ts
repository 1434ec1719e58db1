import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeVendor } from '../../test/helpers/fake-vendor.js';
import { testManifest } from '../../test/helpers/connectors.js';
import { manifestSchema, type HttpTest, type Manifest } from '../catalog/manifest/manifest.js';
import { validateManifest } from '../catalog/manifest/validate.js';
import { parseCidr } from '../core/net/cidr.js';
import { createOutbound } from '../core/net/http-client.js';
import { connectorsDir } from '../core/paths.js';
import type { VendorResponse } from './responses.js';
import { classify, runTestCall } from './test-call.js';

/** classify() against manifest rules, and runTestCall against a fake vendor for what only a real socket shows. */

const slackLike = testManifest({
  slug: 'slack_like',
  test: {
    kind: 'http',
    request: { method: 'POST', path: '/auth.test' },
    success: { json: { path: '$.ok', equals: true } },
    account_id: { path: '$.team_id' },
    account_name: { path: '$.team' },
    outcomes: {
      credential_expired: [{ json: { path: '$.error', equals: 'token_expired' } }],
      credential_revoked: [{ json: { path: '$.error', in: ['invalid_auth', 'not_authed', 'token_revoked'] } }],
      scope_insufficient: [{ json: { path: '$.error', equals: 'missing_scope' } }],
    },
    missing_scopes: { path: '$.needed' },
    vendor_code: { path: '$.error' },
  },
});

const httpTest = (manifest: Manifest): HttpTest => {
  if (manifest.test?.kind !== 'http') throw new Error(`${manifest.slug} has no HTTP test`);
  return manifest.test;
};
const response = (status: number, json: unknown, headers: Record<string, string> = {}): VendorResponse => {
  const text = json === undefined ? '' : JSON.stringify(json);
  return { status, headers, text, json };
};

/** Slack answers 200 for everything; the JSON says what happened. */
function slackCases(test: HttpTest) {
  expect(classify(test, response(200, { ok: true, team_id: 'T024BE7LD', team: 'Acme' }))).toEqual({
    outcome: 'connected',
    account_id: 'T024BE7LD',
    account_name: 'Acme',
    status: 200,
  });
  expect(classify(test, response(200, { ok: false, error: 'invalid_auth' }))).toEqual({
    outcome: 'credential_revoked',
    status: 200,
    message: '200: invalid_auth',
  });
  expect(classify(test, response(200, { ok: false, error: 'token_expired' }))).toMatchObject({
    outcome: 'credential_expired',
  });
  expect(
    classify(test, response(200, { ok: false, error: 'missing_scope', needed: 'users:read,users:read.email' })),
  ).toMatchObject({ outcome: 'scope_insufficient', missing_scopes: ['users:read', 'users:read.email'] });
  expect(classify(test, response(200, { ok: false, error: 'ratelimited' }))).toEqual({
    outcome: 'vendor_error',
    status: 200,
    vendor_code: 'ratelimited',
    message: '200: ratelimited',
  });
}

describe('classify', () => {
  it('a Slack-style 200 {ok:false} is classified by the JSON rules', () => {
    slackCases(httpTest(slackLike));
  });

  const slackFile = path.join(connectorsDir, 'slack.yaml');
  it.skipIf(!fs.existsSync(slackFile))('the shipped Slack manifest classifies the same way', () => {
    const { manifest, problems } = validateManifest('slack.yaml', fs.readFileSync(slackFile, 'utf8'));
    expect(problems).toEqual([]);
    slackCases(httpTest(manifest as Manifest));
  });

  it('without matching rules: success by status, 401 revoked, 403 scope only with WWW-Authenticate, else vendor_error', () => {
    const test = httpTest(testManifest({ slug: 'defaults' }));
    expect(classify(test, response(200, { id: 1 }))).toMatchObject({ outcome: 'connected', account_id: null });
    expect(classify(test, response(204, undefined))).toMatchObject({ outcome: 'vendor_error', status: 204 });
    expect(classify(test, response(401, { message: 'bad token' }))).toEqual({
      outcome: 'credential_revoked',
      status: 401,
      message: '401: bad token',
    });
    const scoped = response(403, undefined, { 'www-authenticate': 'Bearer error="insufficient_scope", scope="a b"' });
    expect(classify(test, scoped)).toMatchObject({ outcome: 'scope_insufficient', missing_scopes: ['a', 'b'] });
    // A bare 403 (an IP allow-list, a suspended account) is the vendor's refusal, not a scope problem.
    expect(classify(test, response(403, { error_description: 'no' }))).toMatchObject({
      outcome: 'vendor_error',
      status: 403,
      message: '403: no',
    });
    expect(classify(test, response(429, { error: { message: 'slow down' } }))).toEqual({
      outcome: 'vendor_error',
      status: 429,
      vendor_code: null,
      message: '429: slow down',
    });
  });

  it('rules combine status, header and body conditions; expired is checked before revoked', () => {
    const test = httpTest(
      testManifest({
        slug: 'rules',
        test: {
          kind: 'http',
          request: { path: '/me' },
          outcomes: {
            credential_expired: [{ status: 401, header: { name: 'WWW-Authenticate', pattern: 'expired' } }],
            credential_revoked: [{ status: 401 }],
            scope_insufficient: [{ body_contains: 'PERMISSION_DENIED' }],
          },
        },
      }),
    );
    const expired = response(
      401,
      {},
      { 'www-authenticate': 'Bearer error="invalid_token", error_description="Expired"' },
    );
    expect(classify(test, expired).outcome).toBe('credential_expired');
    expect(classify(test, response(401, {})).outcome).toBe('credential_revoked');
    expect(classify(test, response(400, { status: 'PERMISSION_DENIED' })).outcome).toBe('scope_insufficient');
  });

  it('a manifest cannot declare a test call that changes vendor state', () => {
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const parsed = manifestSchema.safeParse({
        ...testManifest({ slug: 'unsafe' }),
        test: { kind: 'http', request: { method, path: '/me' } },
      });
      expect(parsed.success).toBe(false);
    }
  });
});

describe('vendor_error rules', () => {
  it('come before every other rule and the 401 default: a 401 from an IP allow-list is the vendor’s error', () => {
    const m = testManifest({
      slug: 'allowlisted',
      test: {
        kind: 'http',
        request: { path: '/me' },
        outcomes: {
          vendor_error: [{ status: 401, body_contains: 'allowlist' }],
          credential_revoked: [{ status: 401 }],
        },
        vendor_code: { path: '$.errors[0].code' },
      },
    });
    const test = httpTest(m);
    expect(
      classify(test, response(401, { errors: [{ code: 'ip_denied', detail: 'IP not on the allowlist' }] })),
    ).toMatchObject({
      outcome: 'vendor_error',
      status: 401,
      vendor_code: 'ip_denied',
    });
    expect(classify(test, response(401, { errors: [{ code: 'bad_token' }] }))).toMatchObject({
      outcome: 'credential_revoked',
    });
  });
});

describe('runTestCall against a fake vendor', () => {
  let vendor: Awaited<ReturnType<typeof startFakeVendor>>;
  let release: () => void = () => {};
  const outbound = createOutbound({ allow: [parseCidr('127.0.0.0/8')] });
  beforeEach(async () => {
    vendor = await startFakeVendor();
  });
  afterEach(async () => {
    release();
    await vendor.close();
  });

  const run = (manifest: Manifest, timeoutMs?: number) =>
    runTestCall({
      manifest,
      auth: manifest.auth[0] as Manifest['auth'][number],
      config: { base_url: vendor.url },
      credentials: { token: 'xoxb-1' },
      outbound,
      allow: [parseCidr('127.0.0.0/8')],
      ...(timeoutMs ? { timeoutMs } : {}),
    });

  it('a vendor answering later than the timeout: network_error, "did not answer in time"', async () => {
    vendor.on('GET /me', () => new Promise((resolve) => (release = () => resolve({ json: {} }))));
    const run1 = await run(testManifest({ slug: 'slow' }), 200);
    expect(run1.outcome).toEqual({
      outcome: 'network_error',
      message: `${new URL(vendor.url).host} did not answer in time.`,
    });
    expect(run1.log).toMatchObject({ method: 'GET', path: '/me', status: null, error: expect.any(String) });
    expect(vendor.requests).toHaveLength(1);
  });

  it('a POST test call’s JSON body is rendered: its strings may name config fields (a query for the configured site)', async () => {
    vendor.on('POST /query', { json: { results: [] } });
    const m = testManifest({
      slug: 'query_like',
      config: [
        { key: 'base_url', label: 'Base URL', type: 'url' },
        { key: 'site_id', label: 'Site', default: 'example.com' },
      ],
      test: {
        kind: 'http',
        request: {
          method: 'POST',
          path: '/query',
          body: { site_id: '{{config.site_id}}', metrics: ['visitors'], limit: 1, include: { total: true } },
        },
      },
    });
    const result = await runTestCall({
      manifest: m,
      auth: m.auth[0] as Manifest['auth'][number],
      config: { base_url: vendor.url, site_id: 'example.com' },
      credentials: { token: 'xoxb-1' },
      outbound,
      allow: [parseCidr('127.0.0.0/8')],
    });
    expect(result.outcome).toMatchObject({ outcome: 'connected' });
    const [req] = vendor.requests;
    expect(req?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req?.body.toString() ?? '')).toEqual({
      site_id: 'example.com',
      metrics: ['visitors'],
      limit: 1,
      include: { total: true },
    });
  });

  it('a POST test call (Slack auth.test) sends no body, only the credentials', async () => {
    vendor.on('POST /auth.test', { json: { ok: true, team_id: 'T1', team: 'Acme' } });
    const result = await run(slackLike);
    expect(result.outcome).toMatchObject({ outcome: 'connected', account_id: 'T1' });
    const [req] = vendor.requests;
    expect(req).toMatchObject({ method: 'POST', url: '/auth.test' });
    expect(req?.body.length).toBe(0);
    expect(req?.headers.authorization).toBe('Bearer xoxb-1');
    expect(result.log).toMatchObject({ method: 'POST', path: '/auth.test', status: 200, bytesOut: 0 });
  });
});
