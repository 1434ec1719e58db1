import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { generateHmacSecret } from '../../signing.js';
import { verificationSchemeSchema, verifyInbound } from './index.js';
import type { VerificationSchemeInput, VerifyInput } from './index.js';

// Scheme validation and the edge cases of single schemes that the per-scheme table in verify.test.ts leaves out.

const NOW = new Date('2026-03-01T12:00:00Z');
const TS = Math.floor(NOW.getTime() / 1000);

function check(scheme: VerificationSchemeInput, rest: Partial<Omit<VerifyInput, 'scheme'>>) {
  return verifyInbound({
    scheme: verificationSchemeSchema.parse(scheme),
    rawBody: Buffer.from('{}'),
    headers: {},
    remoteAddress: '127.0.0.1',
    now: NOW,
    secrets: [],
    ...rest,
  });
}

describe('verificationSchemeSchema', () => {
  it('fills the generic defaults and accepts valid CIDRs', () => {
    const parsed = verificationSchemeSchema.parse({
      type: 'generic_hmac',
      algorithm: 'sha256',
      encoding: 'hex',
      header: 'X-Sig',
      ip_allow: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.1'],
    });
    expect(parsed).toMatchObject({ signed_content: '{body}', ip_allow: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.1'] });
  });

  it.each([
    ['an unknown type', { type: 'paypal' }],
    ['a bad CIDR', { type: 'none', ip_allow: ['10.0.0.0/33'] }],
    ['an empty allow-list', { type: 'none', ip_allow: [] }],
    [
      'a template without {body}',
      { type: 'generic_hmac', algorithm: 'sha256', encoding: 'hex', header: 'X', signed_content: 'x' },
    ],
    [
      'a timestamp header not signed',
      { type: 'generic_hmac', algorithm: 'sha256', encoding: 'hex', header: 'X', timestamp_header: 'X-Ts' },
    ],
    [
      '{timestamp} without a timestamp header',
      { type: 'generic_hmac', algorithm: 'sha256', encoding: 'hex', header: 'X', signed_content: '{timestamp}.{body}' },
    ],
    ['an algorithm we do not offer', { type: 'generic_hmac', algorithm: 'md5', encoding: 'hex', header: 'X' }],
    ['a header name with a space', { type: 'api_key_header', header: 'X Key' }],
    ['basic auth with an empty username', { type: 'basic_auth', username: '' }],
  ])('refuses %s', (_name, scheme) => {
    expect(verificationSchemeSchema.safeParse(scheme).success).toBe(false);
  });
});

describe('scheme edge cases', () => {
  it('none passes anything, or only the allowed addresses', () => {
    expect(check({ type: 'none' }, {})).toEqual({ ok: true });
    const scheme: VerificationSchemeInput = { type: 'none', ip_allow: ['10.0.0.0/8', 'fd00::/8'] };
    expect(check(scheme, { remoteAddress: '10.2.3.4' }).ok).toBe(true);
    expect(check(scheme, { remoteAddress: 'fd12::1' }).ok).toBe(true);
    expect(check(scheme, { remoteAddress: '11.2.3.4' })).toMatchObject({ ok: false, reason: 'ip_not_allowed' });
    expect(check(scheme, { remoteAddress: 'fe80::1' })).toMatchObject({ ok: false, reason: 'ip_not_allowed' });
  });

  it('stripe accepts any of several v1 signatures, as sent while Stripe rolls a secret', () => {
    const [oldSecret, newSecret] = [`whsec_old${TS}`, `whsec_new${TS}`];
    const payload = '{"id":"evt_9","type":"charge.succeeded"}';
    const stripe = new Stripe('sk_test_x');
    const header = (secret: string) => stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: TS });
    const v1Old = header(oldSecret).split(',')[1] ?? '';
    const both = `${header(newSecret)},${v1Old}`;
    const run = (secret: string, h: string) =>
      check(
        { type: 'stripe' },
        { rawBody: Buffer.from(payload), headers: { 'stripe-signature': h }, secrets: [{ value: secret }] },
      );
    expect(run(oldSecret, both)).toEqual({ ok: true, deliveryId: 'evt_9', eventType: 'charge.succeeded' });
    expect(run(newSecret, both).ok).toBe(true);
    expect(run('whsec_other', both)).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(run(oldSecret, `t=${TS},t=${TS},${v1Old}`)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(run(oldSecret, `t=${TS},v0=abcd`)).toMatchObject({ ok: false, reason: 'missing_signature' });
  });

  it('stripe passes a body that is not JSON, without ids', () => {
    const secret = 'whsec_plain';
    const payload = 'not json';
    const h = new Stripe('sk_test_x').webhooks.generateTestHeaderString({ payload, secret, timestamp: TS });
    const outcome = check(
      { type: 'stripe' },
      { rawBody: Buffer.from(payload), headers: { 'stripe-signature': h }, secrets: [{ value: secret }] },
    );
    expect(outcome).toEqual({ ok: true });
  });

  it('refuses signatures that are not strict hex or base64 as malformed', () => {
    const secrets = [{ value: 's3cret' }];
    expect(check({ type: 'github' }, { headers: { 'x-hub-signature-256': 'sha256=zz' }, secrets })).toMatchObject({
      reason: 'malformed',
    });
    expect(check({ type: 'github' }, { headers: { 'x-hub-signature-256': 'md5=ab' }, secrets })).toMatchObject({
      reason: 'malformed',
    });
    expect(check({ type: 'shopify' }, { headers: { 'x-shopify-hmac-sha256': 'a!b?' }, secrets })).toMatchObject({
      reason: 'malformed',
    });
    const slack = { 'x-slack-signature': 'v0=ab', 'x-slack-request-timestamp': 'yesterday' };
    expect(check({ type: 'slack' }, { headers: slack, secrets })).toMatchObject({ reason: 'malformed' });
  });

  it('generic HMAC signs the raw bytes, so a body that is not UTF-8 still verifies', () => {
    const body = Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    const signature = createHmac('sha256', 'k3y').update(body).digest('hex');
    const scheme = { type: 'generic_hmac', algorithm: 'sha256', encoding: 'hex', header: 'X-Sig' } as const;
    const secrets = [{ value: 'k3y' }];
    expect(check(scheme, { rawBody: body, headers: { 'x-sig': signature }, secrets }).ok).toBe(true);
    expect(check(scheme, { rawBody: body, headers: { 'x-sig': signature.toUpperCase() }, secrets }).ok).toBe(true);
    const generic = { ...scheme, timestamp_header: 'X-Ts', signed_content: '{timestamp}.{body}' } as const;
    expect(check(generic, { rawBody: body, headers: { 'x-sig': signature }, secrets })).toMatchObject({
      reason: 'missing_signature',
    });
  });

  it('basic auth checks the username as well as the password', () => {
    const basic = (user: string, password: string) => ({
      authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    });
    const scheme = { type: 'basic_auth', username: 'acme' } as const;
    const secrets = [{ value: 'pa:ss' }];
    expect(check(scheme, { headers: basic('acme', 'pa:ss'), secrets }).ok).toBe(true);
    expect(check(scheme, { headers: basic('acm', 'pa:ss'), secrets })).toMatchObject({ reason: 'unauthorized' });
    expect(check(scheme, { headers: basic('acme', ''), secrets })).toMatchObject({ reason: 'unauthorized' });
    expect(check(scheme, { headers: { authorization: 'Bearer abc' }, secrets })).toMatchObject({ reason: 'malformed' });
  });

  it('standard webhooks ignores a secret that is not whsec_/whpk_ instead of throwing', () => {
    const good = generateHmacSecret();
    const outcome = check(
      { type: 'standard_webhooks' },
      {
        headers: { 'webhook-id': 'm', 'webhook-timestamp': String(TS), 'webhook-signature': 'v1,AAAA' },
        secrets: [{ value: 'not-a-standard-secret' }, { value: good }],
      },
    );
    expect(outcome).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('honours a configured tolerance', () => {
    const headers = { 'x-slack-request-timestamp': String(TS - 100), 'x-slack-signature': 'v0=ab' };
    const outcome = check({ type: 'slack', tolerance_seconds: 60 }, { headers, secrets: [{ value: 'x' }] });
    expect(outcome).toMatchObject({ ok: false, reason: 'stale_timestamp' });
  });

  it('reads repeated and mixed-case header names', () => {
    const secrets = [{ value: 'key-1' }];
    expect(
      check({ type: 'api_key_header', header: 'x-api-key' }, { headers: { 'X-API-KEY': 'key-1' }, secrets }).ok,
    ).toBe(true);
    // Two values are joined as node joins repeated headers, and so match neither.
    const twice = { 'x-api-key': ['key-1', 'key-1'] };
    expect(check({ type: 'api_key_header', header: 'X-Api-Key' }, { headers: twice, secrets }).ok).toBe(false);
  });
});
