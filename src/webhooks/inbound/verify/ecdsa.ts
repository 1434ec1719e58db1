import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { checkTimestamp, fail, passed, type SchemeCheck } from './common.js';
import type { SchemeOf, VerifyOutcome } from './types.js';

const SIGNATURE = 'x-twilio-email-event-webhook-signature';
const TIMESTAMP = 'x-twilio-email-event-webhook-timestamp';

/** A verification key as SendGrid shows it: base64 of the DER SubjectPublicKeyInfo (or the PEM around it). */
function publicKey(text: string): KeyObject | undefined {
  try {
    if (text.includes('-----BEGIN')) return createPublicKey(text);
    return createPublicKey({ key: Buffer.from(text.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

/**
 * SendGrid's signed Event Webhook: `X-Twilio-Email-Event-Webhook-Signature` is a base64 DER ECDSA (P-256,
 * SHA-256) signature of the `X-Twilio-Email-Event-Webhook-Timestamp` value followed by the raw body, made with the
 * account's private key; the secret is the verification (public) key SendGrid shows. SendGrid documents no replay
 * window: the timestamp is checked for freshness only when the source sets `tolerance_seconds`.
 * https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features
 */
export function verifySendgrid(input: SchemeCheck<SchemeOf<'sendgrid'>>): VerifyOutcome {
  const header = input.headers.get(SIGNATURE);
  if (!header) return fail('missing_signature', 'The X-Twilio-Email-Event-Webhook-Signature header is missing');
  const timestamp = input.headers.get(TIMESTAMP);
  if (!timestamp) return fail('missing_signature', 'The X-Twilio-Email-Event-Webhook-Timestamp header is missing');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(header.trim())) {
    return fail('malformed', 'X-Twilio-Email-Event-Webhook-Signature does not hold a base64 signature');
  }
  if (input.scheme.tolerance_seconds !== undefined) {
    const stale = checkTimestamp(timestamp, input.now, input.scheme.tolerance_seconds);
    if (stale) return stale;
  }
  if (input.secrets.length === 0) {
    return fail('bad_signature', 'No secret of this endpoint is currently valid (all have expired)');
  }
  const signature = Buffer.from(header.trim(), 'base64');
  const content = Buffer.concat([Buffer.from(timestamp, 'utf8'), input.rawBody]);
  const matches = input.secrets.some((secret) => {
    const key = publicKey(secret);
    try {
      return key !== undefined && verify('sha256', content, { key, dsaEncoding: 'der' }, signature);
    } catch {
      return false;
    }
  });
  if (!matches) {
    return fail('bad_signature', 'X-Twilio-Email-Event-Webhook-Signature does not verify with a key of this endpoint');
  }
  return passed(undefined, undefined);
}
