import {
  checkTimestamp,
  decodeSignature,
  fail,
  anySignatureMatches,
  type SchemeCheck,
  hmac,
  jsonIdAndType,
  passed,
} from './common.js';
import { DEFAULT_TOLERANCE_SECONDS } from './types.js';
import type { SchemeOf, VerificationScheme, VerifyOutcome } from './types.js';

/**
 * Vendor presets: each follows the vendor's documented algorithm exactly, so an endpoint owner only picks the
 * vendor and pastes the secret the vendor shows them.
 */

function prefixed(prefix: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(prefix, 'utf8'), body]);
}

/**
 * Media types each vendor can deliver, accepted by a source with its preset whatever its own `content_types`: a
 * sender picks these on its side, and the signature covers the raw bytes in every case.
 * - GitHub: `application/json` or `application/x-www-form-urlencoded` with the JSON in a `payload` field
 *   (https://docs.github.com/en/webhooks/using-webhooks/creating-webhooks#content-type).
 * - Slack: JSON for the Events API; forms for slash commands and interactivity (`payload` field)
 *   (https://api.slack.com/authentication/verifying-requests-from-slack).
 * - Shopify: a subscription's `format` is JSON or XML
 *   (https://shopify.dev/docs/api/admin-graphql/latest/enums/WebhookSubscriptionFormat).
 */
export const PRESET_MEDIA_TYPES: Partial<Record<VerificationScheme['type'], readonly string[]>> = {
  github: ['application/json', 'application/x-www-form-urlencoded'],
  slack: ['application/json', 'application/x-www-form-urlencoded'],
  shopify: ['application/json', 'application/xml', 'text/xml'],
  stripe: ['application/json'],
  standard_webhooks: ['application/json'],
  // Twilio posts forms; a JSON body comes with bodySHA256 in the URL (webhooks-security).
  twilio: ['application/x-www-form-urlencoded', 'application/json'],
  hubspot_v3: ['application/json'],
  square: ['application/json'],
  sendgrid: ['application/json'],
  graph_client_state: ['application/json'],
};

const NO_LIVE_SECRET = fail('bad_signature', 'No secret of this endpoint is currently valid (all have expired)');

/**
 * Stripe: `Stripe-Signature: t=<seconds>,v1=<hex>[,v1=<hex>]`, HMAC-SHA256 of `${t}.${body}` keyed with the
 * endpoint secret string as shown (`whsec_…`, not base64-decoded). Several v1 entries appear while Stripe rolls a
 * secret. https://docs.stripe.com/webhooks#verify-manually
 */
export function verifyStripe(input: SchemeCheck<SchemeOf<'stripe'>>): VerifyOutcome {
  const header = input.headers.get('stripe-signature');
  if (!header) return fail('missing_signature', 'The Stripe-Signature header is missing');
  const timestamps: string[] = [];
  const signatures: string[] = [];
  for (const item of header.split(',')) {
    const eq = item.indexOf('=');
    if (eq < 0) continue;
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (key === 't') timestamps.push(value);
    else if (key === 'v1') signatures.push(value);
  }
  const [timestamp] = timestamps;
  if (timestamps.length !== 1 || timestamp === undefined) {
    return fail('malformed', 'The Stripe-Signature header must carry exactly one t= timestamp');
  }
  if (signatures.length === 0) return fail('missing_signature', 'The Stripe-Signature header has no v1 signature');
  const stale = checkTimestamp(timestamp, input.now, input.scheme.tolerance_seconds ?? DEFAULT_TOLERANCE_SECONDS);
  if (stale) return stale;
  if (input.secrets.length === 0) return NO_LIVE_SECRET;
  const decoded = signatures.map((s) => decodeSignature(s, 'hex')).filter((b): b is Buffer => b !== undefined);
  const content = prefixed(`${timestamp}.`, input.rawBody);
  if (!anySignatureMatches(decoded, input.secrets, (secret) => hmac('sha256', secret, content))) {
    return fail('bad_signature', 'No v1 signature in Stripe-Signature matches a valid secret of this endpoint');
  }
  const { id, type } = jsonIdAndType(input.rawBody);
  return passed(id, type);
}

/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`. No timestamp is signed, so replays are
 * caught only by deduplicating on X-GitHub-Delivery.
 * https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
 */
export function verifyGithub(input: SchemeCheck<SchemeOf<'github'>>): VerifyOutcome {
  const header = input.headers.get('x-hub-signature-256');
  if (!header) return fail('missing_signature', 'The X-Hub-Signature-256 header is missing');
  if (!header.startsWith('sha256=')) return fail('malformed', 'X-Hub-Signature-256 must start with sha256=');
  const signature = decodeSignature(header.slice('sha256='.length), 'hex');
  if (!signature) return fail('malformed', 'X-Hub-Signature-256 does not hold a hex signature');
  if (input.secrets.length === 0) return NO_LIVE_SECRET;
  if (!anySignatureMatches([signature], input.secrets, (secret) => hmac('sha256', secret, input.rawBody))) {
    return fail('bad_signature', 'X-Hub-Signature-256 does not match a valid secret of this endpoint');
  }
  return passed(input.headers.get('x-github-delivery'), input.headers.get('x-github-event'));
}

/**
 * Slack: `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:" + X-Slack-Request-Timestamp + ":" + body>`, with the
 * signing secret as key; requests older than five minutes are refused.
 * https://api.slack.com/authentication/verifying-requests-from-slack
 */
export function verifySlack(input: SchemeCheck<SchemeOf<'slack'>>): VerifyOutcome {
  const header = input.headers.get('x-slack-signature');
  if (!header) return fail('missing_signature', 'The X-Slack-Signature header is missing');
  const timestamp = input.headers.get('x-slack-request-timestamp');
  if (!timestamp) return fail('missing_signature', 'The X-Slack-Request-Timestamp header is missing');
  if (!header.startsWith('v0=')) return fail('malformed', 'X-Slack-Signature must start with v0=');
  const signature = decodeSignature(header.slice('v0='.length), 'hex');
  if (!signature) return fail('malformed', 'X-Slack-Signature does not hold a hex signature');
  const stale = checkTimestamp(timestamp, input.now, input.scheme.tolerance_seconds ?? DEFAULT_TOLERANCE_SECONDS);
  if (stale) return stale;
  if (input.secrets.length === 0) return NO_LIVE_SECRET;
  const content = prefixed(`v0:${timestamp}:`, input.rawBody);
  if (!anySignatureMatches([signature], input.secrets, (secret) => hmac('sha256', secret, content))) {
    return fail('bad_signature', 'X-Slack-Signature does not match a valid secret of this endpoint');
  }
  return passed(undefined, undefined);
}

/**
 * Shopify: `X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the body>` keyed with the app's client secret.
 * https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-2-validate-the-origin-of-your-webhook-to-ensure-its-coming-from-shopify
 */
export function verifyShopify(input: SchemeCheck<SchemeOf<'shopify'>>): VerifyOutcome {
  const header = input.headers.get('x-shopify-hmac-sha256');
  if (!header) return fail('missing_signature', 'The X-Shopify-Hmac-Sha256 header is missing');
  const signature = decodeSignature(header.trim(), 'base64');
  if (!signature) return fail('malformed', 'X-Shopify-Hmac-Sha256 does not hold a base64 signature');
  if (input.secrets.length === 0) return NO_LIVE_SECRET;
  if (!anySignatureMatches([signature], input.secrets, (secret) => hmac('sha256', secret, input.rawBody))) {
    return fail('bad_signature', 'X-Shopify-Hmac-Sha256 does not match a valid secret of this endpoint');
  }
  return passed(input.headers.get('x-shopify-webhook-id'), input.headers.get('x-shopify-topic'));
}
