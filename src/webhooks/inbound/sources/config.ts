import { z } from 'zod';
import { eventTypeName } from '../../../events/types/publishable.js';
import { verificationSchemeSchema } from '../verify/index.js';

/**
 * What a source is configured with, as the API accepts it. The database keeps the same shapes (jsonb), so a stored
 * source always parses back with these schemas.
 */

const headerName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'Expected an HTTP header name');

/** A value read from the request: a header, or a JSON path (`$.a.b[0]`) into a JSON body. */
export const valueFromSchema = z
  .strictObject({
    from: z.enum(['header', 'body']),
    path: z.string().min(1).max(200).describe('Header name, or a JSON path such as $.event.id for the body'),
  })
  .refine((v) => v.from === 'header' || /^\$(\.[A-Za-z0-9_$-]+|\[\d+\]|\['[^']*'\])*$/.test(v.path), {
    message: 'A body path is a JSON path such as $.data.id',
    path: ['path'],
  })
  .refine((v) => v.from === 'body' || headerName.safeParse(v.path).success, {
    message: 'Expected an HTTP header name',
    path: ['path'],
  });
export type ValueFrom = z.output<typeof valueFromSchema>;

const mediaRange = z
  .string()
  .min(3)
  .max(100)
  .regex(
    /^(\*|[a-z0-9!#$&^_.+-]+)\/(\*|\*\+[a-z0-9]+|[a-z0-9!#$&^_.+-]+)$/i,
    'Expected a media type such as application/json (or a range: application/*, application/*+json, */*)',
  )
  .transform((s) => s.toLowerCase());

export const publishActionSchema = z.strictObject({
  type: z.literal('publish'),
  event_type: eventTypeName.describe('A tenant event type; outbound webhooks deliver it to subscribed endpoints'),
});

export const forwardActionSchema = z.strictObject({
  type: z.literal('forward'),
  url: z.string().max(2000).describe('Where the raw body is POSTed (through the SSRF guard)'),
  headers: z
    .record(headerName, z.string().max(4000))
    .refine((h) => Object.keys(h).length <= 20, 'at most 20 headers')
    .optional()
    .describe(
      'Extra headers (values may be {{secrets.NAME}}); sealed, never returned. Omitted in an update, the headers of the same action (rule name, position, URL) are kept',
    ),
  timeout_ms: z.number().int().min(100).max(30_000).default(10_000),
});

export const runSyncActionSchema = z.strictObject({
  type: z.literal('run_sync'),
  sync_id: z.string().min(1).max(100).describe('The sync to run (queued behind a run in progress)'),
  full_refresh: z.boolean().default(false),
});

export const actionSchema = z.discriminatedUnion('type', [
  publishActionSchema,
  forwardActionSchema,
  runSyncActionSchema,
]);
export type RuleAction = z.output<typeof actionSchema>;

/**
 * A forward action as stored and as read back: header values are sealed in the tenant's vault (they can be the
 * receiver's credentials), only their names are in clear. Rows written before sealing held `headers` in clear;
 * they are sealed at start-up and read correctly meanwhile (forward-headers.ts).
 */
export type StoredForwardAction = {
  type: 'forward';
  url: string;
  timeout_ms: number;
  header_names: string[];
  headers_sealed: string | null;
  /** Clear values of a row written before sealing. */
  headers?: Record<string, string>;
};
export type StoredAction = Extract<RuleAction, { type: 'publish' | 'run_sync' }> | StoredForwardAction;

export const ruleSchema = z.strictObject({
  name: z.string().min(1).max(100),
  event_types: z
    .array(z.string().min(1).max(200))
    .max(50)
    .default([])
    .describe('Matches when the event type is one of these (a trailing * matches a prefix); empty matches every type'),
  condition: z
    .string()
    .max(2000)
    .nullable()
    .default(null)
    .describe(
      'An SQL/JSON path condition over {"type", "headers", "payload"}, e.g. `$.payload.action == "opened"`; header names are lower case',
    ),
  actions: z.array(actionSchema).min(1).max(10),
  continue: z
    .boolean()
    .default(false)
    .describe('Also evaluate the rules after this one when it matches (by default the first match wins)'),
});
export type Rule = z.output<typeof ruleSchema>;
export type StoredRule = Omit<Rule, 'actions'> & { actions: StoredAction[] };

/** A rule as the API shows it: forward headers by name only. */
export const presentedRuleSchema = ruleSchema.extend({
  actions: z.array(
    z.discriminatedUnion('type', [
      publishActionSchema,
      forwardActionSchema.omit({ headers: true }).extend({
        header_names: z.array(z.string()).describe('Extra headers sent; their values are sealed and never returned'),
      }),
      runSyncActionSchema,
    ]),
  ),
});

/** URL handshakes a vendor performs before it sends events (see the `handshake` field). */
export const handshakeSchema = z.enum(['challenge_query', 'validation_token', 'get_ok']);
export type Handshake = z.output<typeof handshakeSchema>;

export const sourceFields = {
  name: z.string().min(1).max(200),
  description: z.string().max(1000),
  verification: verificationSchemeSchema.describe(
    'How requests are authenticated; secrets are set apart (secret, rotate-secret)',
  ),
  dedup_key: valueFromSchema
    .nullable()
    .describe(
      'Where the provider delivery id is read when the scheme does not define one (webhook-id, X-GitHub-Delivery, Stripe event id and X-Shopify-Webhook-Id are built in)',
    ),
  dedup_window_seconds: z.number().int().min(60).max(259_200).describe('How long a delivery id counts (≤ 72 h)'),
  event_type_from: valueFromSchema.nullable().describe('Where the event type is read when the scheme does not say'),
  max_body_bytes: z.number().int().min(1).max(16_777_216),
  content_types: z
    .array(mediaRange)
    .min(1)
    .max(20)
    .describe(
      'Accepted media types; */* accepts any. A vendor preset also accepts what its vendor can send (GitHub and Slack: forms; Shopify: XML)',
    ),
  response_mode: z
    .enum(['async', 'sync'])
    .describe('async: 202 once stored; sync: wait for the rules and answer with their result'),
  sync_timeout_ms: z.number().int().min(100).max(30_000),
  rules: z.array(ruleSchema).max(50),
  enabled: z.boolean(),
  handshake: handshakeSchema
    .nullable()
    .describe(
      'A URL check the vendor makes before sending: challenge_query answers GET ?challenge=… with it (Dropbox), validation_token answers ?validationToken=… with it (Microsoft Graph: Teams, OneDrive), get_ok answers a GET, or a POST without a body, with 200 (Mailchimp). Slack’s url_verification needs none: a slack source always answers it once signed',
    ),
};

export const SOURCE_DEFAULTS = {
  description: '',
  dedup_key: null,
  dedup_window_seconds: 86_400,
  event_type_from: null,
  max_body_bytes: 1_048_576,
  content_types: ['application/json'],
  response_mode: 'async' as const,
  sync_timeout_ms: 10_000,
  rules: [],
  enabled: true,
  handshake: null,
};

/** Schemes that authenticate with a secret the source must hold (all but `none`). */
export function schemeNeedsSecret(type: string): boolean {
  return type !== 'none';
}
