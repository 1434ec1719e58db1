import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verificationSchemeSchema, verifyInbound } from './index.js';

// SendGrid's signed Event Webhook: base64 DER ECDSA P-256 / SHA-256 over timestamp + raw body, checked with the
// verification (public) key in base64 SubjectPublicKeyInfo or PEM.
describe('sendgrid (ECDSA) scheme', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const der = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const now = new Date('2026-12-05T10:00:00Z');
  const ts = String(Math.floor(now.getTime() / 1000));
  const rawBody = Buffer.from('[{"event":"delivered","sg_event_id":"e1"}]');
  const headers = (timestamp = ts, key = privateKey) => ({
    'x-twilio-email-event-webhook-signature': sign(
      'sha256',
      Buffer.concat([Buffer.from(timestamp), rawBody]),
      key,
    ).toString('base64'),
    'x-twilio-email-event-webhook-timestamp': timestamp,
  });
  const check = (h: Record<string, string>, secrets: string[], scheme: Record<string, unknown> = {}) =>
    verifyInbound({
      scheme: verificationSchemeSchema.parse({ type: 'sendgrid', ...scheme }),
      rawBody,
      headers: h,
      remoteAddress: '127.0.0.1',
      now,
      secrets: secrets.map((value) => ({ value })),
    });

  it('accepts a signature made with the matching private key, the key given as DER base64 or PEM', () => {
    expect(check(headers(), [der])).toMatchObject({ ok: true });
    expect(check(headers(), ['not a key', pem])).toMatchObject({ ok: true });
  });

  it('refuses another key, a tampered body, a missing header and, with a tolerance, a stale timestamp', () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    expect(check(headers(ts, other), [der])).toMatchObject({ ok: false, reason: 'bad_signature' });
    const h = headers();
    expect(
      verifyInbound({
        scheme: verificationSchemeSchema.parse({ type: 'sendgrid' }),
        rawBody: Buffer.from('[]'),
        headers: h,
        remoteAddress: '127.0.0.1',
        now,
        secrets: [{ value: der }],
      }),
    ).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(check({ 'x-twilio-email-event-webhook-timestamp': ts }, [der])).toMatchObject({
      ok: false,
      reason: 'missing_signature',
    });
    const old = String(Number(ts) - 3600);
    expect(check(headers(old), [der])).toMatchObject({ ok: true });
    expect(check(headers(old), [der], { tolerance_seconds: 300 })).toMatchObject({
      ok: false,
      reason: 'stale_timestamp',
    });
  });
});
