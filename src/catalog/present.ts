import { z } from 'zod';
import {
  authMethodId,
  authMethodSchema,
  type AuthMethod,
  type AuthType,
  type ConnectorField,
} from './manifest/auth.js';
import {
  availabilities,
  categories,
  managementPatterns,
  verifiedSections,
  type Manifest,
} from './manifest/manifest.js';
import { presentationFields, type ConnectorRow } from './sql.js';

export type Category = (typeof categories)[number];
export const authTypes = authMethodSchema.options.map((o) => o.shape.type.value) as [AuthType, ...AuthType[]];

const fieldTypes = ['string', 'password', 'url', 'number', 'boolean', 'select', 'textarea', 'pem'] as const;

const formFieldSchema = z
  .object({
    key: z.string(),
    label: z.string(),
    type: z.enum(fieldTypes),
    required: z.boolean(),
    secret: z.boolean().describe('Masked in forms, sealed when saved, never returned'),
    pattern: z.string().optional().describe('A regular expression the value must match'),
    help: z.string().optional(),
    placeholder: z.string().optional(),
    options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
    default: z.union([z.string(), z.number(), z.boolean()]).optional().describe('Never given for secret fields'),
  })
  .meta({ id: 'ConnectorFormField' });

const testSummarySchema = z.object({
  available: z.boolean().describe('Whether a credential can be checked (`none`: the vendor offers no such call)'),
  kind: z.enum(['http', 'driver', 'none']).nullable(),
  reason: z.string().optional().describe('kind `none`: why the vendor cannot validate a credential'),
});

/** How a credential is checked: the method's own test when it has one, else the manifest's. */
function presentTest(test: Manifest['test'] | AuthMethod['test']): z.input<typeof testSummarySchema> {
  return {
    available: test !== undefined && test.kind !== 'none',
    kind: test?.kind ?? null,
    ...(test?.kind === 'none' ? { reason: test.reason } : {}),
  };
}

const authFormSchema = z
  .object({
    id: z.string().describe('What a connection names this method by (`auth_method`); its type unless two share one'),
    type: z.enum(authTypes),
    label: z.string(),
    fields: z.array(formFieldSchema),
    test: testSummarySchema.describe('How a credential of this method is checked'),
    grant: z.enum(['authorization_code', 'client_credentials']).optional().describe('OAuth 2.0 only'),
    scopes: z
      .object({
        default: z.array(z.string()),
        available: z.array(
          z.object({
            name: z.string(),
            description: z.string().optional(),
            required: z.boolean().describe('Always requested, whatever a caller asks for'),
          }),
        ),
      })
      .optional()
      .describe('OAuth 2.0 only'),
    levels: z
      .array(z.enum(['app', 'user']))
      .optional()
      .describe('OAuth 2.0 only: app-level (one shared connection) and/or user-level (one credential per user)'),
    pkce: z.boolean().optional().describe('OAuth 2.0 only'),
    redirect_uri: z.string().optional().describe('OAuth 2.0 only: register this URL with the vendor'),
  })
  .meta({ id: 'ConnectorAuthForm' });

export const connectorSummarySchema = z
  .object({
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    category: z.enum(categories),
    family: z.string().nullable(),
    logo: z.object({ initials: z.string(), color: z.string() }),
    availability: z
      .enum(availabilities)
      .describe(
        'active; coming_soon: cannot be connected yet; deprecated: can be connected, with a warning; ' +
          'maintenance: connections and calls are refused for now',
      ),
    management: z.enum(managementPatterns),
    complexity: z.enum(['low', 'medium', 'high']),
    popularity: z.number().int(),
    features: z.array(z.string()),
    data_types: z.array(z.string()),
    auth_methods: z.array(z.enum(authTypes)).describe('Auth method types, each once; the first is the default'),
    requires_capability: z.string().nullable().describe('An extra capability connections to it need'),
    docs_url: z.string().nullable(),
    source: z.enum(['builtin', 'custom']),
    overridden: z
      .array(z.enum(presentationFields))
      .describe('Presentation fields a superuser changed (the rest are the manifest’s)'),
    retired: z.boolean(),
    system_connection_configured: z.boolean().describe('The platform’s own credentials are attached'),
    connectable: z
      .boolean()
      .describe(
        'A new connection can be made now: not retired, coming soon or under maintenance, and a shared ' +
          'connector has its platform credentials',
      ),
  })
  .meta({ id: 'ConnectorSummary', description: 'A connector type as the library lists it' });

export const connectorDetailSchema = connectorSummarySchema
  .extend({
    config: z.array(formFieldSchema).describe('Non-secret settings every auth method needs'),
    auth: z.array(authFormSchema),
    test: testSummarySchema.describe('The default test call; an auth method may have its own (`auth[].test`)'),
    rate_limit: z
      .object({
        remaining_header: z.string().nullable(),
        limit_header: z.string().nullable(),
        reset_header: z.string().nullable(),
        retry_after_header: z.string(),
        error_statuses: z.array(z.number().int()),
      })
      .nullable(),
    pagination: z.object({ style: z.string(), max_limit: z.number().int().nullable() }).nullable(),
    webhooks: z
      .object({
        scheme: z.string(),
        header: z.string().nullable(),
        algorithm: z.string().nullable(),
        timestamp_header: z.string().nullable(),
        tolerance_seconds: z.number().int().nullable(),
        notes: z.string().nullable(),
      })
      .nullable()
      .describe('How inbound webhooks from this vendor are verified'),
    streams: z.array(
      z.object({
        name: z.string(),
        description: z.string().nullable(),
        primary_key: z
          .array(z.string())
          .describe('The fields that together identify a record (one for most streams; two for child streams)'),
        cursor_field: z.string().nullable().describe('Set when the stream supports incremental sync'),
        parent: z
          .object({ stream: z.string(), field: z.string() })
          .nullable()
          .describe('Read once per record of another stream (e.g. messages per channel)'),
      }),
    ),
    warnings: z.array(z.string()).describe('Why connecting may be refused or discouraged now'),
    api_version: z.string().nullable().describe('The vendor API version the manifest targets'),
    verified: z
      .partialRecord(z.enum(verifiedSections), z.object({ date: z.string(), sources: z.array(z.string()) }))
      .describe('Per manifest section, the vendor documentation it was checked against and when (YYYY-MM-DD)'),
    sunsets: z
      .array(
        z.object({
          what: z.string(),
          date: z.string(),
          replacement: z.string().nullable(),
          source: z.string(),
        }),
      )
      .describe('Known end-of-life dates of what the connector uses; connections warn within 180 days'),
  })
  .meta({ id: 'ConnectorDetail', description: 'A connector type with its configuration form (no secret values)' });

export type ConnectorSummaryOut = z.input<typeof connectorSummarySchema>;
export type ConnectorDetailOut = z.input<typeof connectorDetailSchema>;

const defaultLabels: Record<AuthType, string> = {
  api_key: 'API key',
  basic: 'Username and password',
  bearer: 'Bearer token',
  jwt: 'Signed JWT',
  hmac: 'HMAC request signing',
  aws_sigv4: 'Access keys (AWS Signature Version 4)',
  azure_shared_key: 'Account key (Shared Key)',
  azure_sas: 'Shared access signature (SAS)',
  custom_headers: 'Custom headers',
  mtls: 'Client certificate (mutual TLS)',
  oauth2: 'OAuth 2.0',
  connection_string: 'Connection string',
  none: 'No authentication',
};

/** What keeps a connector from being connected, or makes it unwise, in the words the console shows. */
export function connectorWarnings(row: ConnectorRow, systemConnection: boolean): string[] {
  const name = row.manifest.name;
  const warnings: string[] = [];
  if (row.retired_at) warnings.push(`${name} has been retired: it is hidden from the library and cannot be connected.`);
  if (row.availability === 'coming_soon') warnings.push(`${name} is coming soon and cannot be connected yet.`);
  if (row.availability === 'deprecated') {
    warnings.push(`${name} is deprecated: it can still be connected, but plan to move to another connector.`);
  }
  if (row.availability === 'maintenance') {
    warnings.push(`${name} is under maintenance: new connections and calls are refused until it is back.`);
  }
  if (row.management === 'shared' && !systemConnection) {
    warnings.push(`${name} uses the platform’s credentials, which the operator has not configured yet.`);
  }
  return warnings;
}

export function presentSummary(row: ConnectorRow, systemConnection: boolean): ConnectorSummaryOut {
  const m = row.manifest;
  const retired = row.retired_at !== null;
  const open = row.availability === 'active' || row.availability === 'deprecated';
  return {
    slug: row.slug,
    name: m.name,
    description: m.description,
    category: m.category,
    family: m.family ?? null,
    logo: { initials: m.logo.initials, color: m.logo.color },
    availability: row.availability,
    management: row.management,
    complexity: m.complexity,
    popularity: m.popularity,
    features: m.features,
    data_types: m.data_types,
    auth_methods: [...new Set(m.auth.map((a) => a.type))],
    requires_capability: m.requires_capability ?? null,
    docs_url: m.docs_url ?? null,
    source: row.source,
    overridden: presentationFields.filter((f) => row.presentation[f] !== undefined),
    retired,
    system_connection_configured: systemConnection,
    connectable: !retired && open && (row.management !== 'shared' || systemConnection),
  };
}

export function presentDetail(
  row: ConnectorRow,
  options: { systemConnection: boolean; publicUrl: string },
): ConnectorDetailOut {
  const m = row.manifest;
  return {
    ...presentSummary(row, options.systemConnection),
    config: m.config.map(presentField),
    auth: m.auth.map((a) => presentAuth(a, m.test, options.publicUrl)),
    test: presentTest(m.test),
    rate_limit: presentRateLimit(m),
    pagination: m.pagination ? { style: m.pagination.style, max_limit: m.pagination.max_limit ?? null } : null,
    webhooks: m.webhooks
      ? {
          scheme: m.webhooks.scheme,
          header: m.webhooks.header ?? null,
          algorithm: m.webhooks.algorithm ?? null,
          timestamp_header: m.webhooks.timestamp_header ?? null,
          tolerance_seconds: m.webhooks.tolerance_seconds ?? null,
          notes: m.webhooks.notes ?? null,
        }
      : null,
    streams: m.streams.map((s) => ({
      name: s.name,
      description: s.description ?? null,
      primary_key: s.primary_key,
      cursor_field: s.cursor_field ?? null,
      parent: s.parent ? { stream: s.parent.stream, field: s.parent.field } : null,
    })),
    warnings: connectorWarnings(row, options.systemConnection),
    api_version: m.api_version ?? null,
    verified: Object.fromEntries(
      Object.entries(m.verified ?? {}).flatMap(([section, v]) =>
        v ? [[section, { date: v.date, sources: v.sources }]] : [],
      ),
    ),
    sunsets: m.sunsets.map((s) => ({
      what: s.what,
      date: s.date,
      replacement: s.replacement ?? null,
      source: s.source,
    })),
  };
}

/** A form field as the console renders it. Listed key by key: a manifest property added later stays unexposed. */
function presentField(f: ConnectorField): z.input<typeof formFieldSchema> {
  return {
    key: f.key,
    label: f.label,
    type: f.type,
    required: f.required,
    secret: f.secret,
    ...(f.pattern !== undefined ? { pattern: f.pattern } : {}),
    ...(f.help !== undefined ? { help: f.help } : {}),
    ...(f.placeholder !== undefined ? { placeholder: f.placeholder } : {}),
    ...(f.options !== undefined ? { options: f.options.map((o) => ({ value: o.value, label: o.label })) } : {}),
    ...(f.default !== undefined && !f.secret ? { default: f.default } : {}),
  };
}

function presentAuth(a: AuthMethod, test: Manifest['test'], publicUrl: string): z.input<typeof authFormSchema> {
  const form = {
    id: authMethodId(a),
    type: a.type,
    label: a.label ?? defaultLabels[a.type],
    fields: a.fields.map(presentField),
    test: presentTest(a.test ?? test),
  };
  if (a.type !== 'oauth2') return form;
  return {
    ...form,
    grant: a.grant,
    scopes: {
      default: a.scopes.default,
      available: a.scopes.available.map((s) => ({
        name: s.name,
        ...(s.description !== undefined ? { description: s.description } : {}),
        required: s.required,
      })),
    },
    levels: a.levels,
    pkce: a.pkce,
    redirect_uri: `${publicUrl}/v1/oauth/callback`,
  };
}

function presentRateLimit(m: Manifest): ConnectorDetailOut['rate_limit'] {
  const r = m.rate_limit;
  if (!r) return null;
  return {
    remaining_header: r.remaining ?? null,
    limit_header: r.limit ?? null,
    reset_header: r.reset?.header ?? null,
    retry_after_header: r.retry_after,
    error_statuses: r.error_statuses,
  };
}
