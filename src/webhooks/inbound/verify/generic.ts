import {
  anySignatureMatches,
  checkTimestamp,
  decodeSignature,
  equalText,
  fail,
  hmac,
  passed,
  type SchemeCheck,
} from './common.js';
import { DEFAULT_TOLERANCE_SECONDS } from './types.js';
import type { SchemeOf, VerifyOutcome } from './types.js';

/**
 * The bytes a generic HMAC signs: the `signed_content` template with `{timestamp}` and `{body}` replaced. The body
 * stays raw bytes (not decoded and re-encoded), so a payload that is not valid UTF-8 still verifies.
 */
export function genericSignedContent(template: string, timestamp: string | undefined, rawBody: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (const piece of template.split(/(\{body\}|\{timestamp\})/)) {
    if (piece === '{body}') parts.push(rawBody);
    else if (piece === '{timestamp}') parts.push(Buffer.from(timestamp ?? '', 'utf8'));
    else if (piece) parts.push(Buffer.from(piece, 'utf8'));
  }
  return Buffer.concat(parts);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * A configurable HMAC for vendors without a preset: one signature in `header`, optionally after a `prefix`, over
 * `signed_content`; with `timestamp_header`, a timestamp (Unix seconds or RFC 3339) is both signed and checked for
 * freshness.
 */
export function verifyGenericHmac(input: SchemeCheck<SchemeOf<'generic_hmac'>>): VerifyOutcome {
  const { scheme } = input;
  const header = input.headers.get(scheme.header.toLowerCase());
  if (!header) return fail('missing_signature', `The ${scheme.header} header is missing`);
  let text = header.trim();
  if (scheme.prefix !== undefined) {
    if (!text.startsWith(scheme.prefix)) return fail('malformed', `${scheme.header} must start with ${scheme.prefix}`);
    text = text.slice(scheme.prefix.length);
  }
  const signature = decodeSignature(text, scheme.encoding);
  if (!signature) return fail('malformed', `${scheme.header} does not hold a ${scheme.encoding} signature`);
  let timestamp: string | undefined;
  if (scheme.timestamp_header !== undefined) {
    timestamp = input.headers.get(scheme.timestamp_header.toLowerCase());
    if (!timestamp) return fail('missing_signature', `The ${scheme.timestamp_header} header is missing`);
    // Unix seconds, or an RFC 3339 date-time (Box's BOX-DELIVERY-TIMESTAMP): the header's text is what is signed.
    const rfc3339 = RFC3339.test(timestamp) ? Date.parse(timestamp) : Number.NaN;
    const seconds = Number.isNaN(rfc3339) ? timestamp : String(Math.floor(rfc3339 / 1000));
    const stale = checkTimestamp(seconds, input.now, scheme.tolerance_seconds ?? DEFAULT_TOLERANCE_SECONDS);
    if (stale) return stale;
  }
  if (input.secrets.length === 0) {
    return fail('bad_signature', 'No secret of this endpoint is currently valid (all have expired)');
  }
  const content = genericSignedContent(scheme.signed_content, timestamp, input.rawBody);
  if (!anySignatureMatches([signature], input.secrets, (secret) => hmac(scheme.algorithm, secret, content))) {
    return fail('bad_signature', `${scheme.header} does not match a valid secret of this endpoint`);
  }
  const get = (name: string | undefined) => (name ? input.headers.get(name.toLowerCase()) : undefined);
  return passed(get(scheme.delivery_id_header), get(scheme.event_type_header));
}

/**
 * HTTP Basic: `Authorization: Basic base64(username:password)`, the password being any valid secret — or, when the
 * scheme names no username, the whole `username:password` being one (Pipedrive's http_auth_user/password, both
 * chosen by the user). The username is compared in constant time too, so a probe cannot learn it first.
 */
export function verifyBasicAuth(input: SchemeCheck<SchemeOf<'basic_auth'>>): VerifyOutcome {
  const header = input.headers.get('authorization');
  if (!header) return fail('unauthorized', 'The Authorization header is missing');
  const match = /^Basic +([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
  if (!match?.[1]) return fail('malformed', 'The Authorization header is not Basic credentials');
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return fail('malformed', 'The Basic credentials have no username:password separator');
  const { username: expectedUser } = input.scheme;
  if (expectedUser === undefined) {
    // The secrets are whole `user:password` pairs, compared as one text.
    if (!input.secrets.map((secret) => equalText(decoded, secret)).includes(true)) {
      return fail('unauthorized', 'The username or password is wrong');
    }
    return passed(undefined, undefined);
  }
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  // Evaluate both comparisons before deciding, so timing does not tell a wrong username from a wrong password.
  const userOk = equalText(username, expectedUser);
  const passwordOk = input.secrets.map((secret) => equalText(password, secret)).includes(true);
  if (!userOk || !passwordOk) return fail('unauthorized', 'The username or password is wrong');
  return passed(undefined, undefined);
}

/** A shared key sent as the whole value of a configured header (e.g. `X-Api-Key`). */
/**
 * Google push channels: X-Goog-Channel-Token must equal a secret (the token given to watch). The notification has
 * no body and no signature. https://developers.google.com/workspace/calendar/api/guides/push
 */
export function verifyGoogleChannel(input: SchemeCheck<SchemeOf<'google_channel'>>): VerifyOutcome {
  return verifyApiKeyHeader({ ...input, scheme: { type: 'api_key_header', header: GOOGLE_CHANNEL_TOKEN } });
}

export const GOOGLE_CHANNEL_TOKEN = 'x-goog-channel-token';

export function verifyApiKeyHeader(input: SchemeCheck<SchemeOf<'api_key_header'>>): VerifyOutcome {
  const value = input.headers.get(input.scheme.header.toLowerCase());
  if (!value) return fail('unauthorized', `The ${input.scheme.header} header is missing`);
  if (!input.secrets.map((secret) => equalText(value, secret)).includes(true)) {
    return fail('unauthorized', `The ${input.scheme.header} header does not hold a valid key`);
  }
  return passed(undefined, undefined);
}
