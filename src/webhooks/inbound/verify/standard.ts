import { isValidSigningSecret, verify } from '../../signing.js';
import { checkTimestamp, fail, jsonIdAndType, passed, type SchemeCheck } from './common.js';
import { DEFAULT_TOLERANCE_SECONDS } from './types.js';
import type { SchemeOf, VerifyOutcome } from './types.js';

/**
 * Standard Webhooks (https://www.standardwebhooks.com): the same `verify` our outbound signer is tested against,
 * for `whsec_` HMAC secrets and `whpk_` ed25519 public keys. The timestamp is checked here first only to tell a
 * stale request from one from the future, which `verify` reports as one reason.
 */
export function verifyStandardWebhooks(input: SchemeCheck<SchemeOf<'standard_webhooks'>>): VerifyOutcome {
  const id = input.headers.get('webhook-id');
  const timestamp = input.headers.get('webhook-timestamp');
  const signature = input.headers.get('webhook-signature');
  if (!signature) return fail('missing_signature', 'The webhook-signature header is missing');
  if (!id || !timestamp) return fail('malformed', 'The webhook-id or webhook-timestamp header is missing');
  const tolerance = input.scheme.tolerance_seconds ?? DEFAULT_TOLERANCE_SECONDS;
  const stale = checkTimestamp(timestamp, input.now, tolerance);
  if (stale) return stale;
  // `verify` throws on a secret that is not whsec_/whsk_/whpk_; such a secret can never match, and the API that
  // stores secrets is where it should be refused.
  const secrets = input.secrets.filter(isValidSigningSecret).map((secret) => ({ secret }));
  if (secrets.length === 0) {
    return fail('bad_signature', 'No secret of this endpoint is currently valid (expired, or not whsec_/whpk_)');
  }
  const result = verify({
    headers: { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature },
    body: input.rawBody,
    secrets,
    now: input.now,
    toleranceSeconds: tolerance,
  });
  if (!result.ok) {
    return fail('bad_signature', 'No signature in webhook-signature matches a valid secret of this endpoint');
  }
  // Standard Webhooks payloads carry the event type as a top-level `type` by convention.
  return passed(id, jsonIdAndType(input.rawBody).type);
}
