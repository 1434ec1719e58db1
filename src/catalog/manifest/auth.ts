import { z } from 'zod';
import { methodTestSchema, responseRuleSchema } from './responses.js';

/**
 * Form fields a connector asks for. `secret` fields are sealed in the vault, masked in forms, never returned.
 * Values may be secret references (`{{secrets.NAME}}`), resolved at use time.
 */
export const fieldSchema = z
  .strictObject({
    key: z.string().regex(/^[a-z][a-z0-9_]*$/, 'snake_case'),
    label: z.string().min(1),
    type: z.enum(['string', 'password', 'url', 'number', 'boolean', 'select', 'textarea', 'pem']).default('string'),
    required: z.boolean().default(true),
    secret: z.boolean().default(false),
    pattern: z.string().optional().describe('A regular expression the value must match'),
    help: z.string().optional(),
    placeholder: z.string().optional(),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    options: z.array(z.strictObject({ value: z.string(), label: z.string() })).optional(),
  })
  .meta({ id: 'ConnectorField' });

/** A string template: `{{config.x}}`, `{{credentials.x}}`, `{{secrets.NAME}}`, and per strategy a few more. */
const template = z.string().min(1);

const fields = z.array(fieldSchema).default([]);

const base = {
  id: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/)
    .optional()
    .describe(
      'What a connection names the method by (`auth_method`); defaults to its type. Needed only when a vendor has ' +
        'two credentials of one type, e.g. an account token and an API key both sent as HTTP Basic',
    ),
  label: z.string().optional(),
  fields,
  test: methodTestSchema
    .optional()
    .describe('This method’s own test call, replacing the manifest’s for connections that use it'),
};

/** Header name → value template, e.g. a vendor API version every call must carry. */
export const templateHeadersSchema = z.record(
  z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'a header name'),
  template,
);

const apiKey = z.strictObject({
  type: z.literal('api_key'),
  ...base,
  in: z.enum(['header', 'query']).default('header'),
  name: z.string().min(1).describe('Header or query parameter name'),
  value: template.default('{{credentials.api_key}}'),
});

const basic = z.strictObject({
  type: z.literal('basic'),
  ...base,
  username: template.default('{{credentials.username}}'),
  password: template.default('{{credentials.password}}'),
});

const bearer = z.strictObject({
  type: z.literal('bearer'),
  ...base,
  token: template.default('{{credentials.token}}'),
});

const jwt = z.strictObject({
  type: z.literal('jwt'),
  ...base,
  algorithm: z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA', 'HS256', 'HS512']),
  key: template.default('{{credentials.private_key}}').describe('PEM private key (or shared secret for HS*)'),
  key_id: template.optional(),
  claims: z.record(z.string(), z.union([template, z.number(), z.boolean()])).default({}),
  expires_in_seconds: z.number().int().min(30).max(86_400).default(300),
  header: z.string().default('authorization'),
  format: template.default('Bearer {{jwt}}'),
});

const hmac = z.strictObject({
  type: z.literal('hmac'),
  ...base,
  algorithm: z.enum(['sha1', 'sha256', 'sha512']).default('sha256'),
  encoding: z.enum(['hex', 'base64']).default('hex'),
  secret: template.default('{{credentials.secret}}'),
  secret_encoding: z
    .enum(['utf8', 'base64'])
    .default('utf8')
    .describe('How the secret is turned into the HMAC key: its UTF-8 bytes, or base64-decoded (Azure Cosmos DB keys)'),
  signed_content: template.describe(
    'What is signed: {{method}} {{method_lower}} {{path}} {{query}} {{timestamp}} {{timestamp_lower}} {{nonce}} ' +
      '{{body}} {{body_sha256}} {{resource_type}} {{resource_link}} plus config/credentials. resource_type and ' +
      'resource_link address the path as Azure Cosmos DB does: segments alternate type and id, so /dbs/d/colls is ' +
      'type colls of link dbs/d, and /dbs/d/colls/c type colls, link dbs/d/colls/c',
  ),
  header: z.string().min(1),
  value: template
    .default('{{signature}}')
    .describe(
      'The header value: {{signature}}, or {{signature_url}} (percent-encoded), and the signed-content variables',
    ),
  timestamp: z
    .strictObject({
      header: z.string().optional(),
      format: z
        .enum(['unix', 'unix_ms', 'iso', 'http_date'])
        .default('unix')
        .describe('http_date: RFC 7231 IMF-fixdate, e.g. Tue, 01 Nov 1994 08:12:31 GMT'),
    })
    .optional(),
  headers: z.record(z.string(), template).default({}).describe('Extra headers, e.g. a key id'),
});

/**
 * AWS Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html):
 * each request signed with a key derived from the secret, date, region and service. S3 and every S3-compatible store.
 */
const awsSigv4 = z.strictObject({
  type: z.literal('aws_sigv4'),
  ...base,
  access_key_id: template.default('{{credentials.access_key_id}}'),
  secret_access_key: template.default('{{credentials.secret_access_key}}'),
  session_token: template
    .default('{{credentials.session_token}}')
    .describe('Temporary credentials (STS): sent as x-amz-security-token when it renders non-empty'),
  region: template.describe('The signing region, e.g. {{config.region}}'),
  service: template.describe('The signing service name, e.g. s3'),
  content_sha256_header: z
    .boolean()
    .default(true)
    .describe(
      'Send the payload hash as x-amz-content-sha256 (S3 requires it; UNSIGNED-PAYLOAD for a streamed body). ' +
        'Other services sign the hash without the header',
    ),
});

/** Azure Storage Shared Key: HMAC-SHA256 of the request's canonical form with the account key (base64). */
const azureSharedKey = z.strictObject({
  type: z.literal('azure_shared_key'),
  ...base,
  account: template.default('{{config.account}}').describe('The storage account name'),
  key: template.default('{{credentials.account_key}}').describe('The account key, base64 as the portal shows it'),
});

/** Azure Storage shared access signature: a SAS token's parameters added to every request's query. */
const azureSas = z.strictObject({
  type: z.literal('azure_sas'),
  ...base,
  token: template.default('{{credentials.sas_token}}').describe('The SAS token (`sv=…&sig=…`, a leading ? is ignored)'),
});

const customHeaders = z.strictObject({
  type: z.literal('custom_headers'),
  ...base,
  headers: z.record(z.string(), template),
  query: z.record(z.string(), template).default({}),
});

const mtls = z.strictObject({
  type: z.literal('mtls'),
  ...base,
  certificate: template.default('{{credentials.certificate}}'),
  private_key: template.default('{{credentials.private_key}}'),
  ca: template.optional(),
  headers: z.record(z.string(), template).default({}).describe('Headers sent with the client certificate, if any'),
});

/**
 * How tokens are revoked when Switchyard stops using them (disconnect, a replaced grant). Beyond RFC 7009: the token
 * as the bearer of an RPC (Dropbox), in a query parameter (Zoho), in a form or JSON body with vendor fields, or no
 * token at all (Stripe Connect's deauthorize names the account). A token counts as revoked only when the answer
 * matches `success` (Slack answers 200 with `ok: false` when it did not revoke).
 */
const revocation = z.strictObject({
  style: z
    .enum(['rfc7009', 'bearer', 'query', 'form', 'json'])
    .default('rfc7009')
    .describe(
      'rfc7009: form token + token_type_hint; bearer: the token as Authorization: Bearer, no body; query: the ' +
        'token in the query parameter `param`; form / json: a body of `param` = token plus `body` fields',
    ),
  url: template.describe('Template: {{config.x}}'),
  method: z.enum(['POST', 'GET', 'DELETE']).default('POST'),
  token: z
    .enum(['refresh', 'access'])
    .default('refresh')
    .describe('Which token is revoked: the refresh token (the access token when there is none), or the access token'),
  param: z
    .string()
    .min(1)
    .nullable()
    .default('token')
    .describe('The field or query parameter carrying the token; null sends no token (form and json styles)'),
  client_auth: z
    .enum(['client_secret_post', 'client_secret_basic', 'client_secret_authorization', 'none'])
    .optional()
    .describe(
      'How the OAuth app authenticates: client_secret_post by default; none for the bearer and query styles; ' +
        'client_secret_authorization sends `Authorization: <authorization_prefix><client secret>` (Square: Client …)',
    ),
  authorization_prefix: z
    .string()
    .optional()
    .describe('client_secret_authorization: what precedes the client secret in the Authorization header'),
  body: z
    .record(z.string(), template)
    .default({})
    .describe('Extra form or JSON fields (query style: extra query parameters): {{config.x}}, {{client.client_id}}'),
  success: responseRuleSchema
    .default({ status: [200] })
    .describe('The vendor’s confirmation; any other answer is recorded as not revoked'),
  ends_grant: z
    .boolean()
    .default(false)
    .describe('Revoking one token ends the whole grant of the client and user (see `revocation_ends_grant`)'),
});

export const oauthScopeSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  required: z
    .boolean()
    .default(false)
    .describe('Always requested (the connector cannot work without it): a scope picker cannot leave it out'),
});

const oauth2 = z.strictObject({
  type: z.literal('oauth2'),
  ...base,
  grant: z.enum(['authorization_code', 'client_credentials']).default('authorization_code'),
  authorization_url: template.optional(),
  token_url: template,
  revocation: revocation.optional(),
  revocation_url: template
    .optional()
    .describe('RFC 7009 endpoint; disconnect revokes tokens here (older form of `revocation` with style rfc7009)'),
  revocation_auth: z.enum(['client_secret_post', 'client_secret_basic', 'bearer']).default('client_secret_post'),
  revocation_ends_grant: z
    .boolean()
    .default(false)
    .describe(
      'The vendor documents that revoking any token ends the whole grant of the client and user (Google): tokens ' +
        'replaced by a re-authorization, or exchanged by a failed callback, are then not revoked, since that would ' +
        'end the grant still in use',
    ),
  scopes: z
    .strictObject({ default: z.array(z.string()).default([]), available: z.array(oauthScopeSchema).default([]) })
    .default({ default: [], available: [] }),
  scope_separator: z.string().default(' '),
  pkce: z.boolean().default(true),
  token_endpoint_auth: z.enum(['client_secret_post', 'client_secret_basic']).default('client_secret_post'),
  authorize_params: z.record(z.string(), z.string()).default({}),
  token_params: z.record(z.string(), z.string()).default({}),
  token_response_config: z
    .record(z.string(), z.string())
    .default({})
    .describe('Token-response fields copied into the connection config, e.g. instance_url: instance_url'),
  levels: z.array(z.enum(['app', 'user'])).default(['app']),
  token: template.default('Bearer {{access_token}}').describe('How the access token is sent (Authorization)'),
});

const connectionString = z.strictObject({
  type: z.literal('connection_string'),
  ...base,
  value: template.default('{{credentials.connection_string}}'),
});

const none = z.strictObject({ type: z.literal('none'), ...base });

export const authMethodSchema = z
  .discriminatedUnion('type', [
    apiKey,
    basic,
    bearer,
    jwt,
    hmac,
    awsSigv4,
    azureSharedKey,
    azureSas,
    customHeaders,
    mtls,
    oauth2,
    connectionString,
    none,
  ])
  .meta({ id: 'ConnectorAuthMethod' });

export type ConnectorField = z.output<typeof fieldSchema>;
export type AuthMethod = z.output<typeof authMethodSchema>;
export type AuthType = AuthMethod['type'];
export type OAuth2Method = z.output<typeof oauth2>;

/** The name a connection stores for its method (`auth_method`): the method's id, or its type. */
export const authMethodId = (a: AuthMethod): string => a.id ?? a.type;

/** The method a connection names (by id, which defaults to the type), or the connector's default (the first). */
export const findAuthMethod = (methods: AuthMethod[], id: string | undefined): AuthMethod | undefined =>
  id === undefined ? methods[0] : methods.find((a) => authMethodId(a) === id);
export type Revocation = z.output<typeof revocation>;

/**
 * What an OAuth method's credentials are: the OAuth app (client) registered with the vendor, not a token. Tokens
 * come from the authorization flow; the client id and secret are what a system connection or a tenant's own app
 * provides.
 */
export const oauthClientFields: ConnectorField[] = z.array(fieldSchema).parse([
  { key: 'client_id', label: 'Client ID', type: 'string', help: 'The OAuth app’s client identifier' },
  {
    key: 'client_secret',
    label: 'Client secret',
    type: 'password',
    secret: true,
    required: false,
    help: 'Leave empty for a public client (PKCE only)',
  },
]);

/** The credential fields a method takes: its form fields, or for OAuth the app's client id and secret. */
export function credentialFields(auth: AuthMethod): ConnectorField[] {
  return auth.type === 'oauth2' ? oauthClientFields : auth.fields;
}
