import { cidrMatcher, parseCidr } from '../../../core/net/cidr.js';
import { fail, liveSecrets, normaliseHeaders, passed } from './common.js';
import { verifyBodyToken, verifyGraphClientState } from './body-token.js';
import { verifySendgrid } from './ecdsa.js';
import { verifyApiKeyHeader, verifyBasicAuth, verifyGenericHmac, verifyGoogleChannel } from './generic.js';
import { verifyGithub, verifyShopify, verifySlack, verifyStripe } from './presets.js';
import { verifyHubspotV3, verifySquare, verifyTwilio } from './signed-url.js';
import { verifyStandardWebhooks } from './standard.js';
import type { VerificationScheme, VerifyInput, VerifyOutcome } from './types.js';

export { verificationSchemeSchema, DEFAULT_TOLERANCE_SECONDS } from './types.js';
export { PRESET_MEDIA_TYPES } from './presets.js';
export type {
  InboundHeaders,
  InboundSecret,
  VerificationScheme,
  VerificationSchemeInput,
  VerifyFailureReason,
  VerifyInput,
  VerifyOutcome,
} from './types.js';

// Compiled allow-lists per scheme object: a route verifies many requests against the same stored scheme.
const matchers = new WeakMap<readonly string[], (address: string) => boolean>();

function ipAllowed(allow: readonly string[], address: string): boolean {
  let matcher = matchers.get(allow);
  if (!matcher) {
    matcher = cidrMatcher(allow.map(parseCidr));
    matchers.set(allow, matcher);
  }
  return matcher(address);
}

/**
 * Decides whether an inbound webhook request is authentic. The IP allow-list (when set) is checked first, then
 * the scheme's signature or credentials against every secret still valid at `now` — several overlap during a
 * rotation. Expected failures are values; only a broken scheme (one that did not pass `verificationSchemeSchema`)
 * throws. `deliveryId`, when the sender provides one, is the key to deduplicate retries and replays on.
 *
 * @example
 * const outcome = verifyInbound({
 *   scheme: { type: 'github', ip_allow: ['192.30.252.0/22'] },
 *   rawBody, headers: request.headers, remoteAddress: request.ip, now: new Date(),
 *   secrets: [{ value: 'old', expiresAt: rotationEnd }, { value: 'new' }],
 * });
 * if (!outcome.ok) return reply.code(401).send({ code: outcome.reason, detail: outcome.message });
 */
export function verifyInbound(input: VerifyInput): VerifyOutcome {
  const { scheme } = input;
  if (scheme.ip_allow && !ipAllowed(scheme.ip_allow, input.remoteAddress)) {
    return fail('ip_not_allowed', `Requests from ${input.remoteAddress} are not allowed for this endpoint`);
  }
  const check = {
    url: input.url,
    method: input.method,
    rawBody: input.rawBody,
    headers: normaliseHeaders(input.headers),
    now: input.now,
    secrets: liveSecrets(input.secrets, input.now),
  };
  return verifyWith(scheme, check);
}

function verifyWith(scheme: VerificationScheme, check: Omit<Parameters<typeof verifyGithub>[0], 'scheme'>) {
  switch (scheme.type) {
    case 'standard_webhooks':
      return verifyStandardWebhooks({ ...check, scheme });
    case 'stripe':
      return verifyStripe({ ...check, scheme });
    case 'github':
      return verifyGithub({ ...check, scheme });
    case 'slack':
      return verifySlack({ ...check, scheme });
    case 'shopify':
      return verifyShopify({ ...check, scheme });
    case 'hubspot_v3':
      return verifyHubspotV3({ ...check, scheme });
    case 'twilio':
      return verifyTwilio({ ...check, scheme });
    case 'square':
      return verifySquare({ ...check, scheme });
    case 'sendgrid':
      return verifySendgrid({ ...check, scheme });
    case 'graph_client_state':
      return verifyGraphClientState({ ...check, scheme });
    case 'body_token':
      return verifyBodyToken({ ...check, scheme });
    case 'generic_hmac':
      return verifyGenericHmac({ ...check, scheme });
    case 'basic_auth':
      return verifyBasicAuth({ ...check, scheme });
    case 'api_key_header':
      return verifyApiKeyHeader({ ...check, scheme });
    case 'google_channel':
      return verifyGoogleChannel({ ...check, scheme });
    case 'none':
      // Nothing to check beyond ip_allow: for senders on a trusted network only.
      return passed(undefined, undefined);
  }
}
