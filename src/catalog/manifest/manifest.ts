import { z } from 'zod';
import { authMethodSchema, fieldSchema, templateHeadersSchema } from './auth.js';
import { capabilitiesSectionSchema, dataLicenceSchema, quotaSchema, rateSignalSchema } from './capability.js';
import { driverTestSchema, httpTestSchema, noTestSchema, responseRuleSchema, valueSourceSchema } from './responses.js';
import { storageSectionSchema } from './storage.js';

/**
 * A connector manifest: what a connector type is, as data (`connectors/<slug>.yaml`). Validated at start-up and in
 * CI against the JSON Schema generated from this zod schema (`connectors/manifest.schema.json`), then checked for
 * consistency (templates name declared fields; see `validate.ts`).
 */
export const categories = [
  'CRM',
  'ERP',
  'Communication',
  'Storage',
  'Analytics',
  'Financial Data',
  'Payments',
  'Email',
  'Database',
  'Developer Tools',
  'Productivity',
  'AI',
  'Generic',
] as const;

export const availabilities = ['active', 'coming_soon', 'deprecated', 'maintenance'] as const;
export const managementPatterns = ['shared', 'tenant_template', 'byop', 'hybrid'] as const;

const source = valueSourceSchema;

export const rateLimitSchema = z.strictObject({
  remaining: z.string().optional().describe('Header with requests left in the window'),
  limit: z.string().optional(),
  reset: z
    .strictObject({
      header: z.string(),
      format: z.enum(['epoch_seconds', 'epoch_ms', 'seconds', 'milliseconds', 'http_date']).default('epoch_seconds'),
    })
    .optional(),
  retry_after: z.string().default('retry-after'),
  error_statuses: z.array(z.number().int()).default([429]),
  signals: z
    .array(rateSignalSchema)
    .default([])
    .describe('How a breach looks (status, header or body words), in order: the first that matches decides'),
  quotas: z.array(quotaSchema).default([]).describe('Documented plan quotas'),
});

const pagination = z.strictObject({
  style: z
    .enum(['cursor', 'link_header', 'offset', 'page', 'next_url', 'none'])
    .describe(
      'cursor: an opaque token from the response (cursor_path) or, without one, the last record’s id; offset and ' +
        'page: a number the reader advances; link_header: RFC 8288 rel="next"; next_url: a URL in the body; none: ' +
        'one request returns everything',
    ),
  in: z
    .enum(['query', 'body'])
    .default('query')
    .describe(
      'Where cursor_param and limit_param are sent: query parameters, or fields of the JSON body of a POST listing ' +
        '(merged into the stream’s body), e.g. startRow/rowLimit, offset/limit',
    ),
  cursor_param: z
    .string()
    .optional()
    .describe('The query parameter (or body field) carrying the cursor, offset or page number'),
  cursor_path: z.string().optional().describe('JSON path of the next cursor or next URL in the response'),
  limit_param: z.string().optional(),
  max_limit: z.number().int().optional(),
  results_path: z.string().optional(),
  has_more_path: z.string().optional().describe('JSON path of a boolean that says whether another page exists'),
  total_pages_path: z.string().optional().describe('page: JSON path of the page count (stop on the last page)'),
  first_page: z.number().int().min(0).optional().describe('page: the number of the first page (1 by default)'),
});

const jsonPathPattern = /^\$(\.[A-Za-z0-9_$-]+|\[\d+\]|\['[^']*'\])+$/;

export const webhookVerificationSchema = z
  .strictObject({
    scheme: z.enum([
      'standard_webhooks',
      'stripe',
      'github',
      'slack',
      'shopify',
      'twilio',
      'square',
      'sendgrid',
      'hubspot_v3',
      'hmac',
      'basic',
      'token',
      'graph_client_state',
      'google_channel',
      'none',
    ]),
    header: z.string().optional(),
    token_path: z
      .string()
      .optional()
      .describe('For token: where the sender puts the shared token, a header name or a JSON body path ($.token)'),
    algorithm: z.enum(['sha1', 'sha256', 'sha512']).optional(),
    encoding: z.enum(['hex', 'base64']).optional(),
    prefix: z.string().optional(),
    signed_content: z.string().optional(),
    timestamp_header: z.string().optional(),
    tolerance_seconds: z.number().int().optional(),
    delivery_id: source.optional().describe('Provider delivery id for dedup'),
    event_type: source.optional(),
    handshake: z
      .enum(['challenge_query', 'validation_token', 'get_ok'])
      .optional()
      .describe('The URL check the vendor makes before sending (an inbound source answers it)'),
    content_types: z
      .array(
        z
          .string()
          .regex(
            /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/,
            'Expected a lower-case media type such as application/json',
          ),
      )
      .min(1)
      .max(20)
      .optional()
      .describe(
        'The media types the vendor sends (application/json when absent): a source made for a connection accepts ' +
          'these by default, e.g. application/x-www-form-urlencoded for vendors that post only forms (Mailchimp)',
      ),
    secret_field: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/)
      .optional()
      .describe(
        'The credential field the vendor signs with (Twilio: the Auth Token): a source made for a connection takes ' +
          'its secret from there when none is given and the connection holds it',
      ),
    notes: z.string().optional(),
  })
  // A source made from the connector must know where the token is, or it could not verify by default.
  .refine((w) => w.scheme !== 'token' || w.header !== undefined || w.token_path !== undefined, {
    message: 'A token scheme names its header or token_path',
    path: ['token_path'],
  })
  .refine((w) => w.token_path === undefined || !w.token_path.startsWith('$') || jsonPathPattern.test(w.token_path), {
    message: 'token_path is a header name or a JSON path such as $.token',
    path: ['token_path'],
  });

const streamName = z.string().regex(/^[a-z][a-z0-9_]*$/);

/**
 * How an incremental read asks the vendor for what changed since the checkpoint: the request (its own path, method,
 * params, body or headers where they differ from the full listing) with `{{cursor}}` where the lower bound goes. The
 * bound is inclusive (the cursor minus the sync's lookback), records already read at exactly the cursor are skipped
 * by primary key, so a vendor filter with `>=` (or `>` rounded down) loses nothing at the boundary.
 */
const incremental = z.strictObject({
  path: z.string().optional().describe('The listing that filters by the cursor, when not the stream’s own path'),
  method: z.enum(['GET', 'POST']).optional(),
  params: z
    .record(z.string(), z.string())
    .default({})
    .describe('Query parameters over the stream’s, e.g. updated_since: "{{cursor}}", sort_by: update_time'),
  body: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('The JSON body instead of the stream’s, `{{cursor}}` in any string, e.g. a search filter'),
  headers: templateHeadersSchema.optional().describe('Headers over the stream’s, e.g. If-Modified-Since'),
  format: z
    .enum(['iso8601', 'iso8601_ms', 'epoch_seconds', 'epoch_ms', 'date', 'as_read'])
    .default('iso8601')
    .describe(
      'How the cursor is written into the request: iso8601 (2024-05-01T10:00:00Z), iso8601_ms (…00.000Z), ' +
        'epoch_seconds, epoch_ms, date (2024-05-01, the day of the bound), as_read (the record’s own value, no lookback)',
    ),
  order: z
    .enum(['ascending', 'unordered'])
    .default('ascending')
    .describe(
      'ascending: records come in cursor order, so the read checkpoints after each page; unordered (e.g. newest ' +
        'first): the read checkpoints once, at its end, with the highest cursor seen',
    ),
  exclusive: z
    .boolean()
    .default(false)
    .describe('The vendor returns records strictly after the bound: it is moved back one unit (a second, a day…)'),
  start: z
    .string()
    .optional()
    .describe('The lower bound of a first incremental read (ISO 8601); the epoch when absent'),
  max_results: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      'The most records one query may page through (HubSpot search: 10,000); the read then starts a new query ' +
        'from the last cursor it read',
    ),
  pagination: pagination.optional().describe('This request’s pagination when it differs'),
});

/**
 * A vendor delta (sync) token: the last page of a read carries a token at `token_path`; the next read sends it as
 * `token_param` and gets only the changes since (e.g. Google's nextSyncToken, Microsoft Graph's deltaLink).
 */
const delta = z.strictObject({
  path: z.string().optional().describe('The delta listing, when not the stream’s own path'),
  token_param: z.string().describe('The query parameter the token is sent as'),
  token_path: z.string().describe('JSON path of the next token in the last page of a read'),
  token_is_url: z.boolean().default(false).describe('The token is the URL of the next delta read (deltaLink)'),
  deleted: z
    .strictObject({ field: z.string(), equals: z.unknown().optional() })
    .optional()
    .describe('How a removed record shows in a delta page: its field (with `equals`, at that value)'),
});

/** One write request of an outbound push: templates `{{record.<field>}}` in the path (URL-encoded). */
const writeRequest = z.strictObject({
  method: z.enum(['POST', 'PUT', 'PATCH']),
  path: z.string(),
});

/** One batch write request: where it goes and how each record is written as one input of its list. */
const batchRequest = writeRequest.extend({
  input: z
    .unknown()
    .default('{{record}}')
    .describe(
      'One input as a template, like write.body: "{{record}}", "{{record.<f>}}" (left out when the record lacks ' +
        'it) and "{{ref}}", a reference unique within the call that the vendor answers back (HubSpot: ' +
        '{properties: "{{record}}", objectWriteTraceId: "{{ref}}"}); "...": "{{record}}" puts the record’s fields ' +
        'beside the object’s own keys (Salesforce: {"...": "{{record}}", attributes: {type: Contact}, id: ' +
        '"{{record.Id}}"})',
    ),
});

/**
 * A vendor's batch (multi-record) write: up to `max` records created or updated in one request, each answered
 * apart. The answer names each input's outcome in `results` (matched by position, by the `{{ref}}` it echoes, or,
 * for an update, by the id it carries) and, where the vendor lists refusals apart, in `errors` by the refs they name.
 * An input the answer does not account for is never counted as written.
 */
const batchWrite = z.strictObject({
  max: z.number().int().min(2).max(1000).describe('The most inputs one request may carry (HubSpot: 100)'),
  create: batchRequest.optional(),
  update: batchRequest.optional(),
  body: z
    .unknown()
    .default({ inputs: '{{inputs}}' })
    .describe('The request body as a template: "{{inputs}}" stands for the list of inputs, e.g. {data: "{{inputs}}"}'),
  results: z.strictObject({
    path: z.string().describe('JSON path of the per-input results in the answer, e.g. $.results'),
    in_order: z
      .boolean()
      .default(false)
      .describe(
        'The vendor answers one result per input, in the inputs’ order (Salesforce’s sObject Collections, Zoho ' +
          'CRM’s insert and update records)',
      ),
    ref_path: z
      .string()
      .optional()
      .describe('JSON path, in a result, of the {{ref}} it echoes, e.g. $.objectWriteTraceId'),
    id_path: z.string().describe('JSON path, in a result, of the record’s vendor id, e.g. $.id'),
    success: z
      .strictObject({ path: z.string(), equals: z.union([z.string(), z.number(), z.boolean()]) })
      .optional()
      .describe(
        'Where a result itself says whether its input was written (Salesforce: {path: $.success, equals: true})',
      ),
    error_path: z.string().optional().describe('JSON path, in a result failing `success`, of the vendor’s message'),
  }),
  errors: z
    .strictObject({
      path: z.string().describe('JSON path of the list of refusals, e.g. $.errors'),
      ref_path: z
        .string()
        .describe(
          'JSON path, in a refusal, of the {{ref}} (or list of them) it refuses, e.g. $.context.objectWriteTraceId',
        ),
      message_path: z.string().describe('JSON path, in a refusal, of the vendor’s message, e.g. $.message'),
    })
    .optional()
    .describe('Refusals the vendor lists apart from the results (HubSpot’s 207 Multi-Status `errors`)'),
});

/**
 * How records are pushed to this stream (outbound syncs): create when the record has no vendor id yet, update when it
 * has one, each sent as `body` says.
 */
const write = z.strictObject({
  create: writeRequest.optional(),
  update: writeRequest.optional(),
  id_field: z
    .string()
    .default('id')
    .describe('The record field holding the vendor’s id: present → update, absent → create'),
  body: z
    .unknown()
    .optional()
    .describe(
      'The body as a template: "{{record}}" stands for the record’s fields (without id_field), "{{record.<f>}}" ' +
        'for one, and the key "..." with "{{record}}" spreads the fields beside the object’s own keys (which win); ' +
        'the record itself when absent. E.g. {properties: "{{record}}"} or {data: ["{{record}}"]}',
    ),
  encoding: z.enum(['json', 'form']).default('json').describe('form: application/x-www-form-urlencoded (Stripe)'),
  idempotency_header: z
    .string()
    .optional()
    .describe('A header the vendor deduplicates writes by (Stripe: Idempotency-Key), sent with every write'),
  id_path: z.string().optional().describe('JSON path of the vendor id in a create’s answer, e.g. $.id'),
  error_path: z.string().optional().describe('JSON path of the vendor’s message in a refusal, e.g. $.message'),
  success: responseRuleSchema
    .optional()
    .describe(
      'What a 2xx answer must also show for the write to count, where the vendor reports each record’s outcome in ' +
        'the body (Zoho: {json: {path: $.data[0].status, equals: success}}); a 2xx without it is a refusal',
    ),
  batch: batchWrite
    .optional()
    .describe(
      'The vendor’s batch write endpoints, used for two records or more of a kind; the single endpoints above ' +
        'still write a lone record, each record of a batch call refused whole, and an update the answer leaves out',
    ),
});

/**
 * A stream: one kind of record the vendor lists. Where it differs from the manifest's defaults (a POST with a body,
 * its own pagination, constant parameters such as `status=all`, a child of another stream), it says so; the sync
 * engine reads streams only through these fields.
 */
const stream = z.strictObject({
  name: streamName,
  description: z.string().optional(),
  base_url: z
    .string()
    .optional()
    .describe(
      'Template (https): the stream’s own base URL when the vendor serves it from another host than the manifest’s ' +
        'base_url, e.g. an admin API next to a data API; config templates only',
    ),
  path: z.string().optional(),
  method: z.enum(['GET', 'POST']).default('GET'),
  headers: templateHeadersSchema
    .optional()
    .describe(
      'Constant headers for this listing only, e.g. Prefer: transient; templates may name config fields, never ' +
        'credentials (the auth method sends them)',
    ),
  params: z
    .record(z.string(), z.string())
    .default({})
    .describe('Constant query parameters, e.g. status=all so cancelled records are listed too'),
  body: z.record(z.string(), z.unknown()).optional().describe('The JSON body of a POST listing'),
  primary_key: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
    .default('id')
    .transform((k) => (Array.isArray(k) ? k : [k]))
    .describe('The field, or fields together, that identify a record; a child stream’s key includes its parent’s'),
  cursor_field: z
    .string()
    .optional()
    .describe('The record field an incremental read advances on (a JSON path such as $.properties.x, or a name)'),
  incremental: incremental.optional().describe('How an incremental read asks for what changed (needs cursor_field)'),
  delta: delta.optional(),
  write: write.optional().describe('Create and update endpoints for outbound pushes'),
  pagination: pagination.optional().describe('This stream’s pagination when it differs from the manifest’s'),
  parent: z
    .strictObject({
      stream: streamName.describe('The stream whose records this one is read for, one request each'),
      field: z.string().default('id').describe('The parent record’s field sent with the request'),
      param: z.string().optional().describe('The query parameter it is sent as (or {{parent.<field>}} in the path)'),
      as: z.string().optional().describe('The field added to each child record with the parent’s value'),
    })
    .optional(),
  rate_limit: z
    .strictObject({
      requests: z.number().int().min(1),
      per_seconds: z.number().int().min(1),
      page_size: z.number().int().min(1).optional().describe('The most records a page may hold under this limit'),
      applies_to: z.string().optional().describe('Which apps or plans the documented limit applies to'),
    })
    .optional()
    .describe('A documented per-stream budget tighter than the connector’s, e.g. 1 request a minute'),
});

/** A calendar date, quoted in YAML: `'2026-12-05'`. */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
  }, 'not a calendar date');

/** The manifest sections a verification record covers (see `verifiedSectionsRequired` in validate.ts). */
export const verifiedSections = [
  'auth',
  'test',
  'revocation',
  'rate_limit',
  'pagination',
  'webhooks',
  'streams',
  'capabilities',
  'storage',
] as const;
export type VerifiedSection = (typeof verifiedSections)[number];

const verification = z.strictObject({
  date: isoDate.describe('When the section was last checked against the sources'),
  sources: z.array(z.string().min(1)).min(1).describe('The vendor documentation it was checked against (links)'),
});

const sunset = z.strictObject({
  what: z.string().min(1).describe('The endpoint, API version or behaviour that ends'),
  date: isoDate,
  replacement: z.string().min(1).optional(),
  source: z.string().min(1).describe('Where the vendor announces the date'),
});

export const manifestSchema = z
  .strictObject({
    schema_version: z.literal(1),
    slug: z.string().regex(/^[a-z][a-z0-9_]{1,62}$/, 'lower-case letters, digits and underscores'),
    name: z.string().min(1),
    description: z.string().min(1),
    category: z.enum(categories),
    family: z.string().optional().describe('Connectors sharing an auth pattern, e.g. google, microsoft, payments'),
    logo: z.strictObject({ initials: z.string().min(1).max(3), color: z.string().regex(/^#[0-9a-fA-F]{6}$/) }),
    docs_url: z.url().optional(),
    availability: z.enum(availabilities).default('active'),
    management: z.enum(managementPatterns).default('tenant_template'),
    complexity: z.enum(['low', 'medium', 'high']).default('medium'),
    popularity: z.number().int().min(0).max(100).default(50),
    features: z.array(z.string()).default([]),
    data_types: z.array(z.string()).default([]),
    requires_capability: z.enum(['manage_payment_credentials']).optional(),
    config: z.array(fieldSchema).default([]).describe('Non-secret settings (subdomain, region, account id)'),
    auth: z.array(authMethodSchema).min(1).describe('Supported auth methods; the first is the default'),
    base_url: z.string().optional().describe('Template, e.g. https://{{config.subdomain}}.example.com/api'),
    other_base_urls: z
      .record(z.string().regex(/^[a-z][a-z0-9_]*$/), z.string())
      .optional()
      .describe(
        'Templates: more hosts of the same API that take the same credentials, by name (Dropbox content, Box ' +
          'upload). A programmatic vendor call names one as its `base`; the HTTP proxy reaches only base_url',
      ),
    headers: templateHeadersSchema
      .optional()
      .describe(
        'Constant headers the vendor requires on every call (proxy, test call), e.g. an API version; templates ' +
          'may name config fields, never credentials. They win over a caller’s header of the same name',
      ),
    test: z
      .discriminatedUnion('kind', [httpTestSchema, driverTestSchema, noTestSchema])
      .optional()
      .describe('How a credential is checked; an auth method may carry its own `test` instead'),
    rate_limit: rateLimitSchema.optional(),
    pagination: pagination.optional(),
    webhooks: webhookVerificationSchema.optional(),
    streams: z.array(stream).default([]),
    capabilities: capabilitiesSectionSchema.optional(),
    storage: storageSectionSchema.optional().describe('Browse, import and export files (cloud storage)'),
    data_licence: dataLicenceSchema.optional().describe('Whether the vendor’s data may be redistributed'),
    sources: z.array(z.string()).default([]).describe('Where the vendor facts come from'),
    api_version: z.string().min(1).optional().describe('The vendor API version the manifest targets'),
    verified: z
      .strictObject(
        Object.fromEntries(verifiedSections.map((s) => [s, verification.optional()])) as {
          [K in VerifiedSection]: z.ZodOptional<typeof verification>;
        },
      )
      .optional()
      .describe('Per section, the sources it was checked against and when (`npm run manifests:check` reads it)'),
    sunsets: z.array(sunset).default([]).describe('Known end-of-life dates of what this manifest uses'),
  })
  .meta({ id: 'ConnectorManifest' });

export type Manifest = z.output<typeof manifestSchema>;
export type ManifestInput = z.input<typeof manifestSchema>;
export type { HttpTest, ResponseRule, ValueSource } from './responses.js';
export type RateLimitHints = z.output<typeof rateLimitSchema>;
export type Verification = z.output<typeof verification>;
export type Sunset = z.output<typeof sunset>;
