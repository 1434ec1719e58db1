import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verificationSchemeSchema, verifyInbound } from './index.js';
import type { VerificationSchemeInput, VerifyInput } from './index.js';
import { hubspotSignedUri, twilioSignedParams } from './signed-url.js';

/*
 * The vendor presets against the vendors' own test vectors (no vendor SDK for these is installed): HubSpot's
 * hubspot-api-python tests/spec/utils/test_signature.py, Twilio's request-validation docs (twilio-node and
 * twilio-python use the same values), and Square's SDKs' WebhooksHelper tests. Each vector is also broken one
 * way at a time, so a verifier that accepted anything would fail here.
 */

function check(scheme: VerificationSchemeInput, rest: Partial<Omit<VerifyInput, 'scheme'>>) {
  return verifyInbound({
    scheme: verificationSchemeSchema.parse(scheme),
    rawBody: Buffer.from('{}'),
    headers: {},
    remoteAddress: '127.0.0.1',
    now: new Date(),
    secrets: [],
    ...rest,
  });
}

describe('hubspot_v3', () => {
  const vector = {
    url: 'https://www.example.com/webhook_uri',
    method: 'POST',
    rawBody: Buffer.from("{'example_field':'example_value'}"),
    now: new Date(15_000_000 + 60_000),
    secrets: [{ value: 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy' }],
    headers: {
      'x-hubspot-signature-v3': 'HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw=',
      'x-hubspot-request-timestamp': '15000000',
    },
  };

  it("accepts HubSpot's own vector (timestamp in milliseconds)", () => {
    expect(check({ type: 'hubspot_v3' }, vector)).toEqual({ ok: true });
  });

  it('refuses it with another body, URL, method, timestamp or secret, unsigned, and once five minutes old', () => {
    const h = vector.headers;
    const cases: [Partial<VerifyInput>, string][] = [
      [{ rawBody: Buffer.from("{'example_field':'other'}") }, 'bad_signature'],
      [{ url: 'https://www.example.com/webhook_uri?x=1' }, 'bad_signature'],
      [{ method: 'PUT' }, 'bad_signature'],
      [{ headers: { ...h, 'x-hubspot-request-timestamp': '15000001' } }, 'bad_signature'],
      [{ secrets: [{ value: 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz' }] }, 'bad_signature'],
      [{ headers: { 'x-hubspot-request-timestamp': '15000000' } }, 'missing_signature'],
      [{ headers: { 'x-hubspot-signature-v3': h['x-hubspot-signature-v3'] } }, 'missing_signature'],
      [{ now: new Date(15_000_000 + 301_000) }, 'stale_timestamp'],
      [{ now: new Date(15_000_000 - 301_000) }, 'future_timestamp'],
      [{ headers: { ...h, 'x-hubspot-signature-v3': 'not base64!' } }, 'malformed'],
    ];
    for (const [change, reason] of cases) {
      expect(check({ type: 'hubspot_v3' }, { ...vector, ...change }), JSON.stringify(change)).toMatchObject({
        ok: false,
        reason,
      });
    }
  });

  it('signs the URI with the characters of HubSpot’s table decoded, and only those', () => {
    expect(hubspotSignedUri('https://x.test/h?a=b%3Ac%2Fd%3Fe%40f%21g%24h%27i%28j%29k%2Al%2Cm%3Bn')).toBe(
      "https://x.test/h?a=b:c/d?e@f!g$h'i(j)k*l,m;n",
    );
    expect(hubspotSignedUri('https://x.test/h?a=%20%26%3D%25')).toBe('https://x.test/h?a=%20%26%3D%25');
    const secret = 's3cret';
    const ts = String(Date.now());
    const sig = createHmac('sha256', secret).update(`POSThttps://x.test/h?q=a:b{}${ts}`).digest('base64');
    const headers = { 'x-hubspot-signature-v3': sig, 'x-hubspot-request-timestamp': ts };
    const signed = { url: 'https://x.test/h?q=a%3Ab', method: 'POST', headers, secrets: [{ value: secret }] };
    expect(check({ type: 'hubspot_v3' }, signed)).toEqual({ ok: true });
  });

  it('throws when the caller forgets the URL: a bug, not a request to refuse', () => {
    expect(() => check({ type: 'hubspot_v3' }, { ...vector, url: undefined })).toThrow(/public URL/);
  });
});

describe('twilio', () => {
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const form = 'CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212';
  const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
  const vector = {
    url,
    rawBody: Buffer.from(form),
    secrets: [{ value: '12345' }],
    headers: { ...formHeaders, 'x-twilio-signature': 'RSOYDt4T1cUTdK1PDd93/VVr8B8=' },
  };

  it("accepts Twilio's documented form vector, whatever the order of the fields", () => {
    expect(check({ type: 'twilio' }, vector)).toEqual({ ok: true });
    const reversed = form.split('&').reverse().join('&');
    expect(check({ type: 'twilio' }, { ...vector, rawBody: Buffer.from(reversed) })).toEqual({ ok: true });
  });

  it('refuses a changed field, URL or token, an unsigned request, and a non-form body without bodySHA256', () => {
    const cases: [Partial<VerifyInput>, string][] = [
      [{ rawBody: Buffer.from(form.replace('Digits=1234', 'Digits=9')) }, 'bad_signature'],
      [{ rawBody: Buffer.from(`${form}&Extra=1`) }, 'bad_signature'],
      [{ url: 'https://mycompany.com/myapp.php?foo=1&bar=3' }, 'bad_signature'],
      [{ secrets: [{ value: '54321' }] }, 'bad_signature'],
      [{ headers: formHeaders }, 'missing_signature'],
      [{ headers: { ...vector.headers, 'content-type': 'text/plain' } }, 'malformed'],
    ];
    for (const [change, reason] of cases) {
      expect(check({ type: 'twilio' }, { ...vector, ...change }), JSON.stringify(change)).toMatchObject({
        ok: false,
        reason,
      });
    }
  });

  it("accepts Twilio's JSON vector (bodySHA256 in the signed URL) and refuses a body that does not hash to it", () => {
    const body = '{"property": "value", "boolean": true}';
    const hash = '0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620';
    const json = {
      url: `${url}&bodySHA256=${hash}`,
      rawBody: Buffer.from(body),
      secrets: [{ value: '12345' }],
      headers: { 'content-type': 'application/json', 'x-twilio-signature': 'a9nBmqA0ju/hNViExpshrM61xv4=' },
    };
    expect(check({ type: 'twilio' }, json)).toEqual({ ok: true });
    expect(check({ type: 'twilio' }, { ...json, rawBody: Buffer.from(body.replace('true', 'false')) })).toMatchObject({
      ok: false,
      reason: 'bad_signature',
      message: expect.stringMatching(/bodySHA256/),
    });
  });

  it('tries the URL with and without the default port, as Twilio has signed both', () => {
    const secret = 'tok';
    const sign = (u: string) => createHmac('sha1', secret).update(`${u}A1`).digest('base64');
    const base = { rawBody: Buffer.from('A=1'), secrets: [{ value: secret }] };
    const headers = (u: string) => ({ ...formHeaders, 'x-twilio-signature': sign(u) });
    const at = 'https://h.test/hooks/x';
    expect(check({ type: 'twilio' }, { ...base, url: at, headers: headers('https://h.test:443/hooks/x') })).toEqual({
      ok: true,
    });
    expect(check({ type: 'twilio' }, { ...base, url: 'https://h.test:443/hooks/x', headers: headers(at) })).toEqual({
      ok: true,
    });
  });

  it('concatenates repeated fields once per distinct value, sorted', () => {
    expect(twilioSignedParams('b=2&a=z&a=y&a=z')).toBe('ayazb2');
  });
});

describe('square', () => {
  const vector = {
    url: 'https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9',
    rawBody: Buffer.from(
      '{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z","data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}}',
    ),
    secrets: [{ value: 'Ibxx_5AKakO-3qeNVR61Dw' }],
    headers: { 'x-square-hmacsha256-signature': 'GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=' },
  };

  it("accepts Square's SDK vector and reads the event id and type", () => {
    expect(check({ type: 'square' }, vector)).toEqual({
      ok: true,
      deliveryId: 'ac3ac95b-f97d-458c-a6e6-18981597e05f',
      eventType: 'webhooks.test_notification',
    });
  });

  it('refuses another URL, body or key, and an unsigned request', () => {
    const cases: [Partial<VerifyInput>, string][] = [
      [{ url: `${vector.url}/` }, 'bad_signature'],
      [{ rawBody: Buffer.from(vector.rawBody.toString().replace('MLEF', 'XLEF')) }, 'bad_signature'],
      [{ secrets: [{ value: 'other-key' }] }, 'bad_signature'],
      [{ headers: {} }, 'missing_signature'],
    ];
    for (const [change, reason] of cases) {
      expect(check({ type: 'square' }, { ...vector, ...change }), JSON.stringify(change)).toMatchObject({
        ok: false,
        reason,
      });
    }
  });
});

describe('graph_client_state, body_token and basic_auth without a username', () => {
  const graph = (items: unknown[]) => Buffer.from(JSON.stringify({ value: items }));
  const secrets = [{ value: 'client-state-1' }];

  it('Graph: every notification (change or lifecycle) must carry a valid clientState', () => {
    const change = { subscriptionId: 's', changeType: 'created', clientState: 'client-state-1', resource: 'r' };
    const lifecycle = { subscriptionId: 's', lifecycleEvent: 'reauthorizationRequired', clientState: 'client-state-1' };
    expect(check({ type: 'graph_client_state' }, { rawBody: graph([change, change]), secrets })).toEqual({
      ok: true,
      eventType: 'created',
    });
    expect(check({ type: 'graph_client_state' }, { rawBody: graph([lifecycle]), secrets })).toEqual({
      ok: true,
      eventType: 'reauthorizationRequired',
    });
    const forged = { ...change, clientState: 'guess' };
    const cases: [Buffer, string][] = [
      [graph([change, forged]), 'unauthorized'],
      [graph([{ ...change, clientState: undefined }]), 'unauthorized'],
      [graph([]), 'malformed'],
      [Buffer.from('{"value": {}}'), 'malformed'],
      [Buffer.from('not json'), 'malformed'],
    ];
    for (const [rawBody, reason] of cases) {
      expect(check({ type: 'graph_client_state' }, { rawBody, secrets })).toMatchObject({ ok: false, reason });
    }
  });

  it('body_token: the token at the path must be a valid secret (Zoho CRM notifications)', () => {
    const scheme = { type: 'body_token' as const, path: '$.token' };
    const zoho = (token: unknown) =>
      Buffer.from(JSON.stringify({ module: 'Leads', operation: 'insert', channel_id: '1000000068001', token }));
    expect(check(scheme, { rawBody: zoho('tok-1'), secrets: [{ value: 'tok-1' }] })).toEqual({ ok: true });
    expect(check(scheme, { rawBody: zoho('tok-2'), secrets: [{ value: 'tok-1' }] })).toMatchObject({
      ok: false,
      reason: 'unauthorized',
    });
    expect(check(scheme, { rawBody: zoho(42), secrets: [{ value: 'tok-1' }] })).toMatchObject({
      ok: false,
      reason: 'unauthorized',
    });
    expect(() => verificationSchemeSchema.parse({ type: 'body_token', path: 'token' })).toThrow();
  });

  it('basic_auth without a username: the secret is the whole user:password', () => {
    const auth = (text: string) => ({ authorization: `Basic ${Buffer.from(text).toString('base64')}` });
    const pair = [{ value: 'pipedrive:pa:ss' }];
    expect(check({ type: 'basic_auth' }, { headers: auth('pipedrive:pa:ss'), secrets: pair })).toEqual({ ok: true });
    for (const wrong of ['pipedrive:pa', 'other:pa:ss', 'pipedrive:pa:ss ']) {
      expect(check({ type: 'basic_auth' }, { headers: auth(wrong), secrets: pair })).toMatchObject({
        ok: false,
        reason: 'unauthorized',
      });
    }
  });
});
