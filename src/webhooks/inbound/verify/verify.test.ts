import { createHmac, generateKeyPairSync, randomBytes, sign as signEd25519 } from 'node:crypto';
import { sign as signGithub } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { generateHmacSecret } from '../../signing.js';
import { verificationSchemeSchema, verifyInbound } from './index.js';
import type { InboundSecret, VerificationSchemeInput, VerifyFailureReason, VerifyOutcome } from './index.js';

/*
 * Every scheme runs the same cases. Signatures come from the vendors' own libraries where one exists (Stripe,
 * GitHub's @octokit/webhooks-methods, the Standard Webhooks reference library); Slack, Shopify and the generic
 * HMAC are computed here from the vendors' documentation with node:crypto, independently of the implementation.
 */

const NOW = new Date('2026-03-01T12:00:00Z');
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);
const BODY = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', data: { amount: 4200 } });
const TAMPERED = BODY.replace('4200', '1');
const stripe = new Stripe('sk_test_x');

type Headers = Record<string, string>;
type SchemeCase = {
  name: string;
  scheme: VerificationSchemeInput;
  newSecret(): string;
  sign(secret: string, body: string, timestamp: number): Promise<Headers> | Headers;
  /** The header that carries the signature or credential, deleted in the "missing" case. */
  signatureHeader: string;
  timestamped: boolean;
  bodyBound: boolean;
  rejectReason: VerifyFailureReason;
  missingReason: VerifyFailureReason;
  ids?: { deliveryId?: string; eventType?: string };
};

const hmacText = (algorithm: string, key: string, content: string, encoding: 'hex' | 'base64') =>
  createHmac(algorithm, key).update(content).digest(encoding);
const randomSecret = () => randomBytes(24).toString('base64url');

function ed25519Pair() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
  return { privateKey, publicKey: `whpk_${raw.toString('base64')}` };
}
const ed25519Keys = new Map<string, ReturnType<typeof ed25519Pair>['privateKey']>();

const cases: SchemeCase[] = [
  {
    name: 'standard_webhooks (HMAC)',
    scheme: { type: 'standard_webhooks' },
    newSecret: generateHmacSecret,
    sign: (secret, body, ts) => ({
      'Webhook-Id': 'msg_1',
      'Webhook-Timestamp': String(ts),
      'Webhook-Signature': new Webhook(secret).sign('msg_1', new Date(ts * 1000), body),
    }),
    signatureHeader: 'Webhook-Signature',
    timestamped: true,
    bodyBound: true,
    rejectReason: 'bad_signature',
    missingReason: 'missing_signature',
    ids: { deliveryId: 'msg_1', eventType: 'invoice.paid' },
  },
  {
    name: 'standard_webhooks (ed25519)',
    scheme: { type: 'standard_webhooks' },
    newSecret: () => {
      const pair = ed25519Pair();
      ed25519Keys.set(pair.publicKey, pair.privateKey);
      return pair.publicKey;
    },
    // The reference JS library signs HMAC only; v1a is the spec's ed25519 over `${id}.${timestamp}.${body}`.
    sign: (publicKey, body, ts) => {
      const privateKey = ed25519Keys.get(publicKey);
      if (!privateKey) throw new Error('unknown test key');
      const signature = signEd25519(null, Buffer.from(`msg_2.${ts}.${body}`), privateKey).toString('base64');
      return { 'webhook-id': 'msg_2', 'webhook-timestamp': String(ts), 'webhook-signature': `v1a,${signature}` };
    },
    signatureHeader: 'webhook-signature',
    timestamped: true,
    bodyBound: true,
    rejectReason: 'bad_signature',
    missingReason: 'missing_signature',
    ids: { deliveryId: 'msg_2', eventType: 'invoice.paid' },
  },
  {
    name: 'stripe',
    scheme: { type: 'stripe' },
    newSecret: () => `whsec_${randomSecret()}`,
    sign: (secret, payload, timestamp) => ({
      'Stripe-Signature': stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }),
    }),
    signatureHeader: 'Stripe-Signature',
    timestamped: true,
    bodyBound: true,
    rejectReason: 'bad_signature',
    missingReason: 'missing_signature',
    ids: { deliveryId: 'evt_1', eventType: 'invoice.paid' },
  },
  {
    name: 'github',
    scheme: { type: 'github' },
    newSecret: randomSecret,
    sign: async (secret, body) => ({
      'X-Hub-Signature-256': await signGithub(secret, body),
      'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'X-GitHub-Event': 'issues',
    }),
    signatureHeader: 'X-Hub-Signature-256',
    timestamped: false,
    bodyBound: true,
    rejectReason: 'bad_signature',
    missingReason: 'missing_signature',
    ids: { deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958', eventType: 'issues' },
  },
  {
    name: 'slack',
    scheme: { type: 'slack' },
    newSecret: () => randomBytes(16).toString('hex'),
    sign: (secret, body, ts) => ({
      'X-Slack-Request-Timestamp': String(ts),
      'X-Slack-Signature': `v0=${hmacText('sha256', secret, `v0:${ts}:${body}`, 'hex')}`,
    }),
    signatureHeader: 'X-Slack-Signature',
    timestamped: true,
    bodyBound: true,
    rejectReason: 'bad_signature',
    missingReason: 'missing_signature',
  },
  {
    name: 'shopify',
    scheme: { type: 'shopify' },
    newSecret: randomSecret,
    sign: (secret, body) => ({
      'X-Shopify-Hmac-Sha256': hmacText('sha256', secret, body, 'base64'),
      'X-Shopify-Webhook-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      'X-Shopify-Topic': 'orders/create',
    }),
    signatureHeader: 'X-Shopify-Hmac-Sha256',
    timestamped: false,
    bodyBound: true,
    rejectReason: 'bad_signature',
    missingReason: 'missing_signature',
    ids: { deliveryId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', eventType: 'orders/create' },
  },
  {
    name: 'generic_hmac (sha512, base64, prefix, signed timestamp)',
    scheme: {
      type: 'generic_hmac',
      algorithm: 'sha512',
      encoding: 'base64',
      header: 'X-Signature',
      prefix: 'sha512=',
      timestamp_header: 'X-Timestamp',
      signed_content: '{timestamp}.{body}',
      delivery_id_header: 'X-Delivery',
      event_type_header: 'X-Event',
    },
    newSecret: randomSecret,
    sign: (secret, body, ts) => ({
      'X-Signature': `sha512=${hmacText('sha512', secret, `${ts}.${body}`, 'base64')}`,
      'X-Timestamp': String(ts),
      'X-Delivery': 'd-1',
      'X-Event': 'thing.created',
    }),
    signatureHeader: 'X-Signature',
    timestamped: true,
    bodyBound: true,
    rejectReason: 'bad_signature',
    missingReason: 'missing_signature',
    ids: { deliveryId: 'd-1', eventType: 'thing.created' },
  },
  {
    name: 'generic_hmac (sha256, hex, body only)',
    scheme: { type: 'generic_hmac', algorithm: 'sha256', encoding: 'hex', header: 'X-Hook-Signature' },
    newSecret: randomSecret,
    sign: (secret, body) => ({ 'x-hook-signature': hmacText('sha256', secret, body, 'hex') }),
    signatureHeader: 'x-hook-signature',
    timestamped: false,
    bodyBound: true,
    rejectReason: 'bad_signature',
    missingReason: 'missing_signature',
  },
  {
    name: 'basic_auth',
    scheme: { type: 'basic_auth', username: 'acme' },
    newSecret: randomSecret,
    sign: (secret) => ({ Authorization: `Basic ${Buffer.from(`acme:${secret}`).toString('base64')}` }),
    signatureHeader: 'Authorization',
    timestamped: false,
    bodyBound: false,
    rejectReason: 'unauthorized',
    missingReason: 'unauthorized',
  },
  {
    name: 'api_key_header',
    scheme: { type: 'api_key_header', header: 'X-Api-Key' },
    newSecret: randomSecret,
    sign: (secret) => ({ 'X-Api-Key': secret }),
    signatureHeader: 'X-Api-Key',
    timestamped: false,
    bodyBound: false,
    rejectReason: 'unauthorized',
    missingReason: 'unauthorized',
  },
];

function run(
  c: Pick<SchemeCase, 'scheme'>,
  opts: { body?: string; headers: Headers; secrets: InboundSecret[]; remoteAddress?: string; now?: Date },
): VerifyOutcome {
  return verifyInbound({
    scheme: verificationSchemeSchema.parse(c.scheme),
    rawBody: Buffer.from(opts.body ?? BODY),
    headers: opts.headers,
    remoteAddress: opts.remoteAddress ?? '203.0.113.7',
    now: opts.now ?? NOW,
    secrets: opts.secrets,
  });
}

/** Asserts the failure and that its message leaks none of the given secrets or signatures. */
function expectFailure(outcome: VerifyOutcome, reason: VerifyFailureReason, hidden: string[]) {
  expect(outcome).toMatchObject({ ok: false, reason });
  if (outcome.ok) return;
  expect(outcome.message.length).toBeGreaterThan(10);
  for (const text of hidden) expect(outcome.message).not.toContain(text);
}

describe.each(cases)('$name', (c) => {
  it('accepts a request signed with the secret, reporting delivery id and event type', async () => {
    const secret = c.newSecret();
    const outcome = run(c, { headers: await c.sign(secret, BODY, NOW_SECONDS), secrets: [{ value: secret }] });
    expect(outcome).toEqual({ ok: true, ...c.ids });
  });

  // Basic auth and API keys do not cover the body, and only some schemes sign a timestamp.
  if (c.bodyBound) {
    it('rejects a tampered body without revealing the expected signature', async () => {
      const secret = c.newSecret();
      const headers = await c.sign(secret, BODY, NOW_SECONDS);
      const expected = (await c.sign(secret, TAMPERED, NOW_SECONDS))[c.signatureHeader] ?? '';
      const outcome = run(c, { body: TAMPERED, headers, secrets: [{ value: secret }] });
      expectFailure(outcome, c.rejectReason, [secret, expected, expected.replace(/^[a-z0-9]+[=,]/, '')]);
    });
  }

  it('rejects a request signed with another secret', async () => {
    const [secret, other] = [c.newSecret(), c.newSecret()];
    const outcome = run(c, { headers: await c.sign(other, BODY, NOW_SECONDS), secrets: [{ value: secret }] });
    expectFailure(outcome, c.rejectReason, [secret, other]);
  });

  it('rejects a request without the signature header', async () => {
    const secret = c.newSecret();
    const headers = await c.sign(secret, BODY, NOW_SECONDS);
    delete headers[c.signatureHeader];
    expectFailure(run(c, { headers, secrets: [{ value: secret }] }), c.missingReason, [secret]);
  });

  if (c.timestamped) {
    it('rejects stale and future timestamps, accepts within 300 s', async () => {
      const secret = c.newSecret();
      const at = async (ts: number) =>
        run(c, { headers: await c.sign(secret, BODY, ts), secrets: [{ value: secret }] });
      expectFailure(await at(NOW_SECONDS - 301), 'stale_timestamp', [secret]);
      expectFailure(await at(NOW_SECONDS + 301), 'future_timestamp', [secret]);
      expect((await at(NOW_SECONDS - 299)).ok).toBe(true);
      expect((await at(NOW_SECONDS + 299)).ok).toBe(true);
    });
  }

  it('accepts the old and the new secret during a rotation, and not the old one once expired', async () => {
    const [oldSecret, newSecret] = [c.newSecret(), c.newSecret()];
    const overlap = [{ value: oldSecret, expiresAt: new Date(NOW.getTime() + 60_000) }, { value: newSecret }];
    const signedOld = await c.sign(oldSecret, BODY, NOW_SECONDS);
    const signedNew = await c.sign(newSecret, BODY, NOW_SECONDS);
    expect(run(c, { headers: signedOld, secrets: overlap }).ok).toBe(true);
    expect(run(c, { headers: signedNew, secrets: overlap }).ok).toBe(true);
    // Expired exactly now counts as expired.
    const expired = [
      { value: oldSecret, expiresAt: NOW },
      { value: newSecret, expiresAt: null },
    ];
    expectFailure(run(c, { headers: signedOld, secrets: expired }), c.rejectReason, [oldSecret, newSecret]);
    expect(run(c, { headers: signedNew, secrets: expired }).ok).toBe(true);
    expectFailure(run(c, { headers: signedNew, secrets: [] }), c.rejectReason, [newSecret]);
  });

  it('checks ip_allow first, for IPv4 and IPv6 senders', async () => {
    const secret = c.newSecret();
    const scheme = { ...c.scheme, ip_allow: ['198.51.100.0/24', '2001:db8:abcd::/48'] } as VerificationSchemeInput;
    const headers = await c.sign(secret, BODY, NOW_SECONDS);
    const from = (remoteAddress: string, secrets = [{ value: secret }]) =>
      run({ scheme }, { headers, secrets, remoteAddress });
    expect(from('198.51.100.20').ok).toBe(true);
    expect(from('::ffff:198.51.100.20').ok).toBe(true);
    expect(from('2001:db8:abcd:12::1').ok).toBe(true);
    expectFailure(from('198.51.101.20'), 'ip_not_allowed', [secret]);
    expectFailure(from('2001:db8:abce::1'), 'ip_not_allowed', [secret]);
    expectFailure(from('not-an-ip'), 'ip_not_allowed', [secret]);
    // An allowed address does not stand in for the signature.
    expectFailure(from('198.51.100.20', [{ value: c.newSecret() }]), c.rejectReason, [secret]);
  });
});
