import { createHash } from 'node:crypto';
import {
  anySignatureMatches,
  checkTimestamp,
  decodeSignature,
  equalBytes,
  fail,
  hmac,
  passed,
  type SchemeCheck,
} from './common.js';
import { DEFAULT_TOLERANCE_SECONDS } from './types.js';
import type { SchemeOf, VerifyOutcome } from './types.js';

/**
 * Vendors that sign the URL they called as well as the body. The URL is the source's public URL as the vendor was
 * given it (SWITCHYARD_PUBLIC_URL + /hooks/{token} + the query the vendor sent), never the Host header of the
 * request: behind a proxy that is not what the vendor called, and a sender could choose it.
 */

const NO_LIVE_SECRET = fail('bad_signature', 'No secret of this endpoint is currently valid (all have expired)');

function calledUrl(input: { url?: string | undefined }): string {
  // A caller bug, not a request to refuse: the ingest route always passes the URL.
  if (!input.url) throw new Error('This verification scheme signs the URL: pass the public URL that was called');
  return input.url;
}

// https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation
// "Decode any URL-encoded characters listed in the following table in the requestUri".
const HUBSPOT_DECODED: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

/** The request URI as HubSpot signs it: the characters of HubSpot's table decoded, nothing else. */
export function hubspotSignedUri(url: string): string {
  return url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => HUBSPOT_DECODED[m.toUpperCase()] ?? m);
}

/**
 * HubSpot v3: `X-HubSpot-Signature-v3: base64(HMAC-SHA256(app client secret, method + URI + body + timestamp))`
 * with `X-HubSpot-Request-Timestamp` in milliseconds; requests older than five minutes are refused. v1 and v2 (an
 * unkeyed SHA-256 of secret + body, no timestamp) are not accepted: HubSpot sends v3 alongside them on every
 * request of an app, and they can be replayed forever.
 * https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation
 */
export function verifyHubspotV3(input: SchemeCheck<SchemeOf<'hubspot_v3'>>): VerifyOutcome {
  const url = calledUrl(input);
  const header = input.headers.get('x-hubspot-signature-v3');
  if (!header) return fail('missing_signature', 'The X-HubSpot-Signature-v3 header is missing');
  const timestamp = input.headers.get('x-hubspot-request-timestamp');
  if (!timestamp) return fail('missing_signature', 'The X-HubSpot-Request-Timestamp header is missing');
  const signature = decodeSignature(header.trim(), 'base64');
  if (!signature) return fail('malformed', 'X-HubSpot-Signature-v3 does not hold a base64 signature');
  const tolerance = input.scheme.tolerance_seconds ?? DEFAULT_TOLERANCE_SECONDS;
  const stale = checkTimestamp(timestamp, input.now, tolerance, 'milliseconds');
  if (stale) return stale;
  if (input.secrets.length === 0) return NO_LIVE_SECRET;
  const content = Buffer.concat([
    Buffer.from(`${(input.method ?? 'POST').toUpperCase()}${hubspotSignedUri(url)}`, 'utf8'),
    input.rawBody,
    Buffer.from(timestamp, 'utf8'),
  ]);
  if (!anySignatureMatches([signature], input.secrets, (secret) => hmac('sha256', secret, content))) {
    return fail('bad_signature', 'X-HubSpot-Signature-v3 does not match a valid secret of this endpoint');
  }
  return passed(undefined, undefined);
}

/**
 * The URL as Twilio's own validator compares it: WHATWG-normalised, tried without and with the scheme's default
 * port, because Twilio has signed both forms (twilio-node `validateRequest`).
 */
function twilioUrlForms(url: string): string[] {
  const parsed = new URL(url);
  const forms = new Set<string>();
  const withoutPort = new URL(parsed.href);
  withoutPort.port = '';
  forms.add(withoutPort.href);
  if (parsed.port) forms.add(parsed.href);
  else {
    const port = parsed.protocol === 'https:' ? '443' : '80';
    forms.add(`${parsed.protocol}//${parsed.host}:${port}${parsed.pathname}${parsed.search}`);
  }
  return [...forms];
}

/** Form parameters sorted by name, each name followed by its value; a repeated name once per distinct value. */
export function twilioSignedParams(form: string): string {
  const params = new Map<string, Set<string>>();
  for (const [name, value] of new URLSearchParams(form)) {
    params.set(name, (params.get(name) ?? new Set()).add(value));
  }
  let out = '';
  for (const name of [...params.keys()].sort()) {
    for (const value of [...(params.get(name) as Set<string>)].sort()) out += name + value;
  }
  return out;
}

/**
 * Twilio: `X-Twilio-Signature: base64(HMAC-SHA1(auth token, URL + form parameters sorted by name as name+value))`.
 * A JSON body is not signed itself: Twilio adds `bodySHA256=<hex SHA-256 of the body>` to the URL and signs the URL
 * alone, so the hash is checked too. No timestamp: retries and replays are caught only by deduplication.
 * https://www.twilio.com/docs/usage/webhooks/webhooks-security
 */
export function verifyTwilio(input: SchemeCheck<SchemeOf<'twilio'>>): VerifyOutcome {
  const url = calledUrl(input);
  const header = input.headers.get('x-twilio-signature');
  if (!header) return fail('missing_signature', 'The X-Twilio-Signature header is missing');
  const signature = decodeSignature(header.trim(), 'base64');
  if (!signature) return fail('malformed', 'X-Twilio-Signature does not hold a base64 signature');
  const bodyHash = new URL(url).searchParams.get('bodySHA256');
  let params = '';
  if (bodyHash === null) {
    const type = (input.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      return fail('malformed', 'A body that is not a form must come with bodySHA256 in the URL');
    }
    params = twilioSignedParams(input.rawBody.toString('utf8'));
  }
  if (input.secrets.length === 0) return NO_LIVE_SECRET;
  const forms = twilioUrlForms(url).map((u) => Buffer.from(u + params, 'utf8'));
  const matches = forms.some((content) =>
    anySignatureMatches([signature], input.secrets, (secret) => hmac('sha1', secret, content)),
  );
  if (!matches) return fail('bad_signature', 'X-Twilio-Signature does not match a valid secret of this endpoint');
  if (bodyHash !== null) {
    const actual = createHash('sha256').update(input.rawBody).digest();
    const claimed = decodeSignature(bodyHash, 'hex');
    if (!claimed || !equalBytes(actual, claimed)) {
      return fail('bad_signature', 'The body does not match the bodySHA256 of the signed URL');
    }
  }
  return passed(undefined, undefined);
}

/**
 * Square: `x-square-hmacsha256-signature: base64(HMAC-SHA256(subscription signature key, notification URL +
 * body))`; the URL must be the subscription's, byte for byte. The event id deduplicates Square's retries.
 * https://developer.squareup.com/docs/webhooks/step3validate
 */
export function verifySquare(input: SchemeCheck<SchemeOf<'square'>>): VerifyOutcome {
  const url = calledUrl(input);
  const header = input.headers.get('x-square-hmacsha256-signature');
  if (!header) return fail('missing_signature', 'The x-square-hmacsha256-signature header is missing');
  const signature = decodeSignature(header.trim(), 'base64');
  if (!signature) return fail('malformed', 'x-square-hmacsha256-signature does not hold a base64 signature');
  if (input.secrets.length === 0) return NO_LIVE_SECRET;
  const content = Buffer.concat([Buffer.from(url, 'utf8'), input.rawBody]);
  if (!anySignatureMatches([signature], input.secrets, (secret) => hmac('sha256', secret, content))) {
    return fail('bad_signature', 'x-square-hmacsha256-signature does not match a valid secret of this endpoint');
  }
  const event = jsonFields(input.rawBody);
  return passed(event.event_id, event.type);
}

function jsonFields(rawBody: Buffer): { event_id?: string; type?: string } {
  try {
    const parsed = JSON.parse(rawBody.toString('utf8')) as unknown;
    if (parsed === null || typeof parsed !== 'object') return {};
    const { event_id: id, type } = parsed as Record<string, unknown>;
    return { event_id: typeof id === 'string' ? id : undefined, type: typeof type === 'string' ? type : undefined };
  } catch {
    return {};
  }
}
