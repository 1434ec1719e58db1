import { describe, expect, it } from 'vitest';
import { shippedManifest } from '../../test/conformance/harness.js';
import { capabilityCatalog } from '../catalog/capabilities.js';
import type { Manifest } from '../catalog/manifest/manifest.js';
import { capabilitySectionProblems, planProviderRequest, readProviderAnswer, type ProviderAnswer } from './provider.js';

// email.send as SendGrid and Brevo serve it (their shipped manifests), request and answer, without the network: the
// end-to-end route is test/routing/email.test.ts against the vendors' fakes.
const catalog = capabilityCatalog();
const NOW = Date.parse('2026-12-06T15:00:00Z');
const full = {
  from: 'orders@example.com',
  to: ['ann@example.org', 'bob@example.org'],
  cc: ['carol@example.org'],
  bcc: ['dan@example.org'],
  subject: 'Shipped',
  text: 'On its way.',
  html: '<p>On its way.</p>',
  reply_to: 'help@example.com',
};
const minimal = { from: 'orders@example.com', to: ['ann@example.org'], subject: 'Shipped', html: '<p>Hi</p>' };
const everyone = ['ann@example.org', 'bob@example.org', 'carol@example.org', 'dan@example.org'];

const read = (vendor: string, answer: Partial<ProviderAnswer>, query: Record<string, unknown> = full) =>
  readProviderAnswer(
    shippedManifest(vendor),
    catalog.get('email.send')!,
    { status: 200, headers: {}, body: Buffer.alloc(0), ...answer },
    NOW,
    query,
  );
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('email.send through SendGrid (POST /v3/mail/send)', () => {
  it('sends one personalization with every recipient, text/plain before text/html', () => {
    expect(planProviderRequest(shippedManifest('sendgrid'), 'email.send', full)).toEqual({
      method: 'POST',
      path: '/mail/send',
      query: {},
      body: {
        personalizations: [
          {
            to: [{ email: 'ann@example.org' }, { email: 'bob@example.org' }],
            cc: [{ email: 'carol@example.org' }],
            bcc: [{ email: 'dan@example.org' }],
          },
        ],
        from: { email: 'orders@example.com' },
        reply_to: { email: 'help@example.com' },
        subject: 'Shipped',
        content: [
          { type: 'text/plain', value: 'On its way.' },
          { type: 'text/html', value: '<p>On its way.</p>' },
        ],
      },
    });
    expect(planProviderRequest(shippedManifest('sendgrid'), 'email.send', minimal).body).toEqual({
      personalizations: [{ to: [{ email: 'ann@example.org' }] }],
      from: { email: 'orders@example.com' },
      subject: 'Shipped',
      content: [{ type: 'text/html', value: '<p>Hi</p>' }],
    });
  });

  it('reads 202 with no body: the message id from X-Message-Id, every recipient accepted', () => {
    expect(read('sendgrid', { status: 202, headers: { 'x-message-id': 'W86EgYT6SQKk0lRflfLRsA' } })).toEqual({
      kind: 'ok',
      records: [{ message_id: 'W86EgYT6SQKk0lRflfLRsA', accepted: everyone, provider_status: 'queued' }],
    });
  });

  it('a 202 without X-Message-Id is a failure at status 202, not a message id made up', () => {
    expect(read('sendgrid', { status: 202 })).toMatchObject({
      kind: 'failed',
      failure: 'schema',
      status: 202,
      reason: 'a record does not fit email.send: record.message_id is required',
    });
  });

  it('errors carry SendGrid’s first message; spent credits are a plan refusal, a bad key auth', () => {
    const error = (status: number, message: string, field: string | null = null) =>
      read('sendgrid', { status, body: json({ errors: [{ message, field, help: null }] }) });
    expect(
      error(400, 'The content value must be a string at least one character in length.', 'content.0.value'),
    ).toEqual({
      kind: 'failed',
      failure: 'status',
      status: 400,
      reason: 'The content value must be a string at least one character in length.',
    });
    expect(error(401, 'Maximum credits exceeded')).toMatchObject({ failure: 'plan', status: 401 });
    expect(error(401, 'The provided authorization grant is invalid, expired, or revoked')).toMatchObject({
      failure: 'auth',
      reason: 'The provided authorization grant is invalid, expired, or revoked',
    });
    expect(error(403, 'The from address does not match a verified Sender Identity.')).toMatchObject({
      failure: 'plan',
    });
    expect(error(500, 'internal error')).toMatchObject({ failure: 'status', status: 500 });
  });

  it('429 is a rate limit until X-RateLimit-Reset (epoch seconds), in SendGrid’s words', () => {
    const reset = NOW / 1000 + 42;
    expect(
      read('sendgrid', {
        status: 429,
        headers: { 'x-ratelimit-limit': '600', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
        body: json({ errors: [{ field: null, message: 'too many requests' }] }),
      }),
    ).toEqual({
      kind: 'rate_limited',
      signal: { meaning: 'retry_after_reset', scope: 'minute', resetAt: NOW + 42_000, reason: 'too many requests' },
    });
  });
});

describe('email.send through Brevo (POST /v3/smtp/email)', () => {
  it('sends sender, to, cc, bcc, replyTo, subject and the bodies it has', () => {
    expect(planProviderRequest(shippedManifest('brevo'), 'email.send', full).body).toEqual({
      sender: { email: 'orders@example.com' },
      to: [{ email: 'ann@example.org' }, { email: 'bob@example.org' }],
      cc: [{ email: 'carol@example.org' }],
      bcc: [{ email: 'dan@example.org' }],
      replyTo: { email: 'help@example.com' },
      subject: 'Shipped',
      textContent: 'On its way.',
      htmlContent: '<p>On its way.</p>',
    });
    expect(planProviderRequest(shippedManifest('brevo'), 'email.send', minimal)).toEqual({
      method: 'POST',
      path: '/smtp/email',
      query: {},
      body: {
        sender: { email: 'orders@example.com' },
        to: [{ email: 'ann@example.org' }],
        subject: 'Shipped',
        htmlContent: '<p>Hi</p>',
      },
    });
  });

  it('reads 201 {messageId}; a 400 fails with Brevo’s message; 429 waits for x-sib-ratelimit-reset seconds', () => {
    const id = '<202612061500.123456789012@smtp-relay.mailin.fr>';
    expect(read('brevo', { status: 201, body: json({ messageId: id }) }, minimal)).toEqual({
      kind: 'ok',
      records: [{ message_id: id, accepted: ['ann@example.org'] }],
    });
    expect(
      read('brevo', {
        status: 400,
        body: json({ code: 'missing_parameter', message: 'Either of htmlContent or textContent is required' }),
      }),
    ).toEqual({
      kind: 'failed',
      failure: 'status',
      status: 400,
      reason: 'HTTP 400: Either of htmlContent or textContent is required',
    });
    expect(
      read('brevo', {
        status: 429,
        headers: { 'x-sib-ratelimit-limit': '1000', 'x-sib-ratelimit-remaining': '0', 'x-sib-ratelimit-reset': '7' },
        body: json({ code: 'too_many_requests', message: 'The expected rate limit is exceeded.' }),
      }),
    ).toMatchObject({
      kind: 'rate_limited',
      signal: { resetAt: NOW + 7000, reason: 'The expected rate limit is exceeded.' },
    });
  });
});

describe('capabilitySectionProblems: bodies and value fields', () => {
  it('names a body or value field that uses no field of the query, and a value field the record lacks', () => {
    const shipped = shippedManifest('brevo');
    const section = shipped.capabilities!['email.send']!;
    const broken = {
      ...shipped,
      capabilities: {
        'email.send': {
          ...section,
          request: {
            ...section.request!,
            body: { sender: { email: '{{query.sender}}' }, to: { $each: 'recipients' } },
          },
          fields: [...section.fields!, { to: 'recipients', value: '{{item}}' }],
        },
      },
    } as Manifest;
    expect(capabilitySectionProblems(broken)).toEqual([
      {
        path: '/capabilities/email.send/request/body',
        problem: '{{query.sender}} names no field of the email.send query',
      },
      {
        path: '/capabilities/email.send/request/body',
        problem: '$each: recipients names no field of the email.send query',
      },
      { path: '/capabilities/email.send/fields/2/value', problem: '{{item}} is used outside an $each' },
      { path: '/capabilities/email.send/fields', problem: '"recipients" is not a field of the email.send record' },
    ]);
  });
});
