import { z } from 'zod';
import { parseCidr } from '../../../core/net/cidr.js';

/**
 * How an inbound webhook endpoint authenticates what it receives. One zod schema, discriminated on `type`, so the
 * API that stores endpoints later accepts exactly what `verifyInbound` understands. Secrets are not part of the
 * scheme: they are kept (sealed, rotated) apart and handed to `verifyInbound` at check time.
 */

const cidr = z.string().refine(
  (text) => {
    try {
      parseCidr(text);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'Expected an IP address or CIDR range, e.g. 10.0.0.0/8 or 2001:db8::/32' },
);

// An empty list would read as "no restriction" to some and "refuse everyone" to others: require at least one range.
const common = { ip_allow: z.array(cidr).min(1).max(100).optional() };
const tolerance = z.number().int().positive().max(86_400).optional();
const headerName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'Expected an HTTP header name');

const standardWebhooks = z.object({ type: z.literal('standard_webhooks'), tolerance_seconds: tolerance, ...common });
const stripe = z.object({ type: z.literal('stripe'), tolerance_seconds: tolerance, ...common });
const github = z.object({ type: z.literal('github'), ...common });
const slack = z.object({ type: z.literal('slack'), tolerance_seconds: tolerance, ...common });
const shopify = z.object({ type: z.literal('shopify'), ...common });

const genericHmac = z
  .object({
    type: z.literal('generic_hmac'),
    algorithm: z.enum(['sha256', 'sha512']),
    encoding: z.enum(['hex', 'base64']),
    header: headerName,
    prefix: z.string().min(1).max(50).optional(),
    timestamp_header: headerName.optional(),
    signed_content: z.string().min(1).max(200).default('{body}'),
    tolerance_seconds: tolerance,
    delivery_id_header: headerName.optional(),
    event_type_header: headerName.optional(),
    ...common,
  })
  // A signature that does not cover the body authenticates nothing; a timestamp that is checked but not signed
  // can be replaced by an attacker replaying an old body, so the two must come together.
  .refine((s) => s.signed_content.includes('{body}'), {
    message: 'signed_content must contain {body}',
    path: ['signed_content'],
  })
  .refine((s) => s.signed_content.includes('{timestamp}') === (s.timestamp_header !== undefined), {
    message: 'signed_content contains {timestamp} exactly when timestamp_header is set',
    path: ['signed_content'],
  });

/** HubSpot, Twilio and Square sign the URL they called too: the source's public URL (see `VerifyInput.url`). */
const hubspotV3 = z.object({ type: z.literal('hubspot_v3'), tolerance_seconds: tolerance, ...common });
const twilio = z.object({ type: z.literal('twilio'), ...common });
const square = z.object({ type: z.literal('square'), ...common });
// SendGrid's Event Webhook: an ECDSA signature checked with the account's verification (public) key.
const sendgrid = z.object({ type: z.literal('sendgrid'), tolerance_seconds: tolerance, ...common });
/** Microsoft Graph change and lifecycle notifications: every `value[].clientState` must equal the secret. */
const graphClientState = z.object({ type: z.literal('graph_client_state'), ...common });
/**
 * Google push channels (Calendar events.watch, Drive files.watch / changes.watch): an empty POST whose
 * X-Goog-Channel-Token holds the token given to watch; the X-Goog-* headers are the notification.
 */
const googleChannel = z.object({ type: z.literal('google_channel'), ...common });

/** Without `username`, each secret holds the whole `user:password` (a connector's default: the user sets both). */
const basicAuth = z.object({
  type: z.literal('basic_auth'),
  username: z.string().min(1).max(200).optional(),
  ...common,
});
const apiKeyHeader = z.object({ type: z.literal('api_key_header'), header: headerName, ...common });
/** A shared token the sender echoes in its JSON body (Zoho CRM notifications' `token`). */
const bodyToken = z.object({
  type: z.literal('body_token'),
  path: z
    .string()
    .min(2)
    .max(200)
    .regex(/^\$(\.[A-Za-z0-9_$-]+|\[\d+\]|\['[^']*'\])+$/, 'A JSON path such as $.token')
    .describe('Where the token is in the JSON body, e.g. $.token'),
  ...common,
});
/** No authentication at all: only for senders on a trusted network, ideally narrowed with `ip_allow`. */
const none = z.object({ type: z.literal('none'), ...common });

export const verificationSchemeSchema = z.discriminatedUnion('type', [
  standardWebhooks,
  stripe,
  github,
  slack,
  shopify,
  hubspotV3,
  twilio,
  square,
  sendgrid,
  graphClientState,
  googleChannel,
  genericHmac,
  basicAuth,
  apiKeyHeader,
  bodyToken,
  none,
]);

export type VerificationScheme = z.output<typeof verificationSchemeSchema>;
export type VerificationSchemeInput = z.input<typeof verificationSchemeSchema>;
export type SchemeOf<T extends VerificationScheme['type']> = Extract<VerificationScheme, { type: T }>;

/** One secret of an endpoint; several may be valid at once while a rotation overlaps. Expired ones are ignored. */
export type InboundSecret = { value: string; expiresAt?: Date | null };

export type InboundHeaders = Record<string, string | string[] | undefined>;

export type VerifyInput = {
  scheme: VerificationScheme;
  /**
   * The public URL the sender called (the source's URL as the vendor was given it, with the query it sent) and the
   * method: HubSpot v3, Twilio and Square sign them. Required for those schemes.
   */
  url?: string;
  method?: string;
  rawBody: Buffer;
  headers: InboundHeaders;
  remoteAddress: string;
  now: Date;
  secrets: readonly InboundSecret[];
};

export type VerifyFailureReason =
  | 'missing_signature'
  | 'bad_signature'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'ip_not_allowed'
  | 'unauthorized'
  | 'malformed';

/** Messages are meant for the endpoint's owner: they never carry a secret or the signature we expected. */
export type VerifyOutcome =
  { ok: true; deliveryId?: string; eventType?: string } | { ok: false; reason: VerifyFailureReason; message: string };

export type VerifyFailure = Extract<VerifyOutcome, { ok: false }>;

export const DEFAULT_TOLERANCE_SECONDS = 300;
