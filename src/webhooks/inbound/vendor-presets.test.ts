import { createHash, createHmac } from 'node:crypto';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestResponse } from '../../../test/helpers/app.js';
import { expectProblem } from '../../../test/helpers/fixtures.js';
import { insertConnection } from '../../connections/sql.js';
import { newId } from '../../core/ids.js';
import { loadManifests } from '../../catalog/manifest/validate.js';
import { connectorsDir } from '../../core/paths.js';
import { upsertOAuthClient } from '../../oauth/clients/clients.js';
import { sourceDefaultsFromManifest } from './sources/from-manifest.js';

/*
 * Sources made for connections to the shipped connectors verify by default, over real HTTP on /hooks/{token}. Each
 * vendor's request is signed as the vendor documents it, over the URL the vendor was given (the source's `url`,
 * SWITCHYARD_PUBLIC_URL based) while the bytes go to this server's socket, as behind a proxy. Every scheme is
 * also sent wrongly signed, unsigned, stale or with the wrong credential, and must be refused with its code.
 */

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await createTestApp({ config: { publicUrl: 'https://hooks.example.test/switchyard' } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  await t.close();
});

/** A connection row for a shipped connector, as the OAuth callback or POST /v1/connections would leave it. */
async function connectionTo(slug: string, authMethod = 'oauth2'): Promise<string> {
  const id = newId('conn');
  await insertConnection(t.db, {
    id,
    tenant_id: t.tenantId,
    connector_slug: slug,
    name: slug,
    description: '',
    config: {},
    auth_method: authMethod,
    credential_source: 'tenant',
    level: 'app',
    state: 'active',
    state_reason: null,
    vendor_account_id: null,
    vendor_account_name: null,
    scopes_granted: [],
    last_test_at: null,
    last_test_outcome: null,
    operator_of_record: null,
  });
  return id;
}

type Made = { id: string; url: string; secret: string | null; verification: { type: string } };

async function sourceFor(connectionId: string, extra: Record<string, unknown> = {}): Promise<Made> {
  const res = await t.request({
    method: 'POST',
    url: '/v1/inbound/sources',
    body: { name: 'vendor', connection_id: connectionId, ...extra },
  });
  expect(res.statusCode, res.body).toBe(201);
  const source = res.data.source as Omit<Made, 'secret'>;
  return { ...source, secret: res.data.secret as string | null };
}

/** POST over the wire to the source's path and query; `url` is the public URL the vendor signed. */
async function send(url: string, body: string, headers: Record<string, string>) {
  const publicUrl = new URL(url);
  const prefix = new URL(t.config.publicUrl).pathname;
  const res = await fetch(`${base}${publicUrl.pathname.slice(prefix.length)}${publicUrl.search}`, {
    method: 'POST',
    body,
    headers,
  });
  const text = await res.text();
  let data: Record<string, unknown> = {};
  try {
    data = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON: assertions on the status say enough
  }
  // The fields expectProblem reads, from a real socket's answer rather than an injected one.
  return {
    statusCode: res.status,
    body: text,
    data,
    headers: Object.fromEntries(res.headers),
  } as unknown as TestResponse;
}

const accepted = (res: Awaited<ReturnType<typeof send>>) => {
  expect(res.statusCode, res.body).toBe(202);
  return res.data.id as string;
};

async function storedEvent(id: string) {
  const res = await t.request({ url: `/v1/inbound/events/${id}` });
  return res.data as { event_type: string | null; dedup_key: string | null; connection_id: string | null };
}

describe('every shipped connector that declares a webhook scheme', () => {
  it('implies a verifying source configuration (none only where the vendor signs nothing)', () => {
    const declared = loadManifests(connectorsDir).filter((m) => m.webhooks);
    expect(declared.length).toBeGreaterThan(10);
    for (const manifest of declared) {
      const defaults = sourceDefaultsFromManifest(manifest);
      expect('verification' in defaults, `${manifest.slug}: ${JSON.stringify(defaults)}`).toBe(true);
      if (!('verification' in defaults)) continue;
      expect(defaults.verification.type === 'none', manifest.slug).toBe(manifest.webhooks?.scheme === 'none');
    }
  });
});

describe('vendor presets over real HTTP, from connections to the shipped connectors', () => {
  it('HubSpot v3: the tenant’s own OAuth app secret verifies by default; tampered, stale, unsigned refused', async () => {
    const appSecret = 'hubspot-app-client-secret';
    await t.db.transaction((tx) =>
      upsertOAuthClient(tx, t.built.vault, {
        tenantId: t.tenantId,
        slug: 'hubspot',
        clientId: 'hubspot-client',
        clientSecret: appSecret,
        updatedBy: 'test',
      }),
    );
    const s = await sourceFor(await connectionTo('hubspot'));
    expect(s.verification).toEqual({ type: 'hubspot_v3', tolerance_seconds: 300 });
    expect(s.secret).toBeNull(); // taken from the connection's app: nothing new to show
    const url = `${s.url}?portal=a%3Ab`;
    const body = JSON.stringify([{ eventId: 101, subscriptionType: 'contact.creation', portalId: 7 }]);
    const sign = (opts: { ts?: number; secret?: string; payload?: string } = {}) => {
      const ts = String(opts.ts ?? Date.now());
      const signed = `POST${url.replace('%3A', ':')}${opts.payload ?? body}${ts}`;
      const sig = createHmac('sha256', opts.secret ?? appSecret)
        .update(signed)
        .digest('base64');
      return { 'content-type': 'application/json', 'x-hubspot-signature-v3': sig, 'x-hubspot-request-timestamp': ts };
    };
    const id = accepted(await send(url, body, sign()));
    expect((await storedEvent(id)).dedup_key).toBe('101');
    expectProblem(await send(url, body, sign({ payload: '[]' })), 401, 'signature_invalid');
    expectProblem(await send(url, body, sign({ secret: 'other' })), 401, 'signature_invalid');
    expectProblem(await send(url, body, sign({ ts: Date.now() - 301_000 })), 401, 'timestamp_out_of_tolerance');
    expectProblem(await send(url, body, { 'content-type': 'application/json' }), 401, 'signature_invalid');
    // Signed for the socket's own address instead of the public URL the vendor was given: refused.
    const local = createHmac('sha256', appSecret)
      .update(`POST${base}${new URL(url).pathname}${body}${Date.now()}`)
      .digest('base64');
    expectProblem(await send(url, body, { ...sign(), 'x-hubspot-signature-v3': local }), 401, 'signature_invalid');
  });

  it('HubSpot with a private-app token: the connection holds no app secret, so the secret is required', async () => {
    const conn = await connectionTo('hubspot', 'bearer');
    const res = await t.request({
      method: 'POST',
      url: '/v1/inbound/sources',
      body: { name: 'x', connection_id: conn },
    });
    expectProblem(res, 400, 'validation_failed');
    expect(res.data.detail).toMatch(/client secret/);
    const s = await sourceFor(conn, { secret: 'private-app-secret' });
    expect(s.verification.type).toBe('hubspot_v3');
  });

  it('Twilio: the Account SID connection’s Auth Token verifies form and JSON posts; wrong token refused', async () => {
    const authToken = 'twilio-auth-token-1';
    const created = await t.request({
      method: 'POST',
      url: '/v1/connections',
      body: {
        connector: 'twilio',
        auth_method: 'basic',
        config: { account_sid: `AC${'a'.repeat(32)}` },
        credentials: { password: authToken },
        validate: false,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const s = await sourceFor(created.data.id as string);
    expect(s).toMatchObject({ verification: { type: 'twilio' }, secret: null });
    const form = 'MessageSid=SM1&From=%2B15005550006&Body=hello+there';
    const formSig = (token: string) =>
      createHmac('sha1', token).update(`${s.url}Bodyhello thereFrom+15005550006MessageSidSM1`).digest('base64');
    const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
    accepted(await send(s.url, form, { ...formHeaders, 'x-twilio-signature': formSig(authToken) }));
    expectProblem(
      await send(s.url, form, { ...formHeaders, 'x-twilio-signature': formSig('wrong-token') }),
      401,
      'signature_invalid',
    );
    expectProblem(
      await send(s.url, form.replace('hello', 'bye'), { ...formHeaders, 'x-twilio-signature': formSig(authToken) }),
      401,
      'signature_invalid',
    );
    expectProblem(await send(s.url, form, formHeaders), 401, 'signature_invalid');

    const json = '{"event":"call.state"}';
    const jsonUrl = `${s.url}?bodySHA256=${createHash('sha256').update(json).digest('hex')}`;
    const jsonSig = createHmac('sha1', authToken).update(jsonUrl).digest('base64');
    const jsonHeaders = { 'content-type': 'application/json', 'x-twilio-signature': jsonSig };
    accepted(await send(jsonUrl, json, jsonHeaders));
    expectProblem(await send(jsonUrl, '{"event":"forged"}', jsonHeaders), 401, 'signature_invalid');
  });

  it('Square: the subscription’s signature key is required and verifies URL + body', async () => {
    const conn = await connectionTo('square');
    const refused = await t.request({
      method: 'POST',
      url: '/v1/inbound/sources',
      body: { name: 'sq', connection_id: conn },
    });
    expectProblem(refused, 400, 'validation_failed');
    const key = 'square-signature-key';
    const s = await sourceFor(conn, { secret: key });
    expect(s.verification.type).toBe('square');
    const body = JSON.stringify({ event_id: 'ev-1', type: 'payment.created', data: {} });
    const sig = (k: string, u = s.url) => createHmac('sha256', k).update(`${u}${body}`).digest('base64');
    const headers = (signature: string) => ({
      'content-type': 'application/json',
      'x-square-hmacsha256-signature': signature,
    });
    const id = accepted(await send(s.url, body, headers(sig(key))));
    expect(await storedEvent(id)).toMatchObject({ dedup_key: 'ev-1', event_type: 'payment.created' });
    expectProblem(await send(s.url, body, headers(sig('other-key'))), 401, 'signature_invalid');
    expectProblem(await send(s.url, body, headers(sig(key, `${s.url}/`))), 401, 'signature_invalid');
  });

  it('Pipedrive: Basic credentials generated as user:password, compared whole; wrong or missing refused', async () => {
    const s = await sourceFor(await connectionTo('pipedrive', 'api_key'));
    expect(s.verification).toEqual({ type: 'basic_auth' });
    const pair = s.secret as string;
    expect(pair).toMatch(/^hook-[\w-]+:[\w-]{32}$/);
    const auth = (text: string) => ({
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(text).toString('base64')}`,
    });
    const body = JSON.stringify({ meta: { action: 'change', entity: 'deal' } });
    accepted(await send(s.url, body, auth(pair)));
    const [user] = pair.split(':');
    expectProblem(await send(s.url, body, auth(`${user}:wrong`)), 401, 'invalid_credentials');
    expectProblem(await send(s.url, body, { 'content-type': 'application/json' }), 401, 'invalid_credentials');
    // A chosen secret must be user:password.
    const bad = await t.request({
      method: 'POST',
      url: '/v1/inbound/sources',
      body: { name: 'p', connection_id: await connectionTo('pipedrive', 'api_key'), secret: 'no-colon' },
    });
    expectProblem(bad, 400, 'validation_failed');
  });

  it.each(['microsoft_teams', 'onedrive'])(
    '%s: Graph clientState in every notification, the validationToken handshake answered',
    async (slug) => {
      const s = await sourceFor(await connectionTo(slug));
      expect(s.verification).toEqual({ type: 'graph_client_state' });
      const clientState = s.secret as string;
      const check = await send(`${s.url}?validationToken=abc%20123`, '', { 'content-type': 'text/plain' });
      expect(check.statusCode).toBe(200);
      expect(check.body).toBe('abc 123');
      const note = (state: string | undefined) => ({
        subscriptionId: 'sub-1',
        changeType: 'updated',
        resource: 'drives/1/root',
        ...(state === undefined ? {} : { clientState: state }),
      });
      const json = { 'content-type': 'application/json' };
      const id = accepted(await send(s.url, JSON.stringify({ value: [note(clientState), note(clientState)] }), json));
      expect((await storedEvent(id)).event_type).toBe('updated');
      const lifecycle = { subscriptionId: 'sub-1', lifecycleEvent: 'reauthorizationRequired', clientState };
      const life = accepted(await send(s.url, JSON.stringify({ value: [lifecycle] }), json));
      expect((await storedEvent(life)).event_type).toBe('reauthorizationRequired');
      const forged = JSON.stringify({ value: [note(clientState), note('guess')] });
      expectProblem(await send(s.url, forged, json), 401, 'invalid_credentials');
      expectProblem(await send(s.url, JSON.stringify({ value: [note(undefined)] }), json), 401, 'invalid_credentials');
    },
  );

  it('Zoho CRM: the channel token in the body', async () => {
    const s = await sourceFor(await connectionTo('zoho_crm'), { secret: 'zoho-channel-token' });
    expect(s.verification).toEqual({ type: 'body_token', path: '$.token' });
    const note = (token: string) =>
      JSON.stringify({ module: 'Leads', operation: 'insert', ids: ['1'], channel_id: '1000', token });
    const json = { 'content-type': 'application/json' };
    const id = accepted(await send(s.url, note('zoho-channel-token'), json));
    expect((await storedEvent(id)).event_type).toBe('insert');
    expectProblem(await send(s.url, note('zoho-other'), json), 401, 'invalid_credentials');
    expectProblem(await send(s.url, JSON.stringify({ module: 'Leads' }), json), 401, 'invalid_credentials');
  });

  it('an unverified source for such a connector only when asked for explicitly', async () => {
    const conn = await connectionTo('microsoft_teams');
    const s = await sourceFor(conn, { verification: { type: 'none' } });
    expect(s).toMatchObject({ verification: { type: 'none' }, secret: null });
    accepted(
      await send(s.url, JSON.stringify({ value: [{ changeType: 'created' }] }), { 'content-type': 'application/json' }),
    );
  });
});
