import type { Schemas } from '../../../api.js';

export type Source = Schemas['InboundSource'];
export type Verification = Source['verification'];
export type Scheme = Verification['type'];

/** The signature schemes a source can verify, with what the vendor calls its secret and where it signs. */
export const schemes: { value: Scheme; label: string; secret: string | null; help: string }[] = [
  {
    value: 'standard_webhooks',
    label: 'Standard Webhooks',
    secret: 'Signing secret (whsec_…)',
    help: 'webhook-id, webhook-timestamp and webhook-signature headers (Svix, Resend, Clerk, Switchyard itself…).',
  },
  { value: 'stripe', label: 'Stripe', secret: 'Signing secret (whsec_…)', help: 'The Stripe-Signature header.' },
  { value: 'github', label: 'GitHub', secret: 'Webhook secret', help: 'The X-Hub-Signature-256 header.' },
  {
    value: 'slack',
    label: 'Slack',
    secret: 'Signing secret',
    help: 'X-Slack-Signature and X-Slack-Request-Timestamp.',
  },
  { value: 'shopify', label: 'Shopify', secret: 'App secret', help: 'The X-Shopify-Hmac-Sha256 header.' },
  {
    value: 'generic_hmac',
    label: 'Generic HMAC',
    secret: 'HMAC secret',
    help: 'An HMAC of the body (optionally with a timestamp) in a header you name.',
  },
  {
    value: 'hubspot_v3',
    label: 'HubSpot (v3)',
    secret: 'App client secret',
    help: 'X-HubSpot-Signature-v3 over the method, this URL, the body and the timestamp.',
  },
  { value: 'twilio', label: 'Twilio', secret: 'Auth token', help: 'X-Twilio-Signature over this URL and the form.' },
  {
    value: 'square',
    label: 'Square',
    secret: 'Signature key',
    help: 'x-square-hmacsha256-signature over this URL and the body.',
  },
  {
    value: 'graph_client_state',
    label: 'Microsoft Graph (clientState)',
    secret: 'clientState',
    help: 'Every notification’s clientState must match (Teams, OneDrive, Outlook).',
  },
  {
    value: 'basic_auth',
    label: 'HTTP Basic auth',
    secret: 'Password',
    help: 'A user name and password; without a user name the secret is user:password.',
  },
  { value: 'api_key_header', label: 'API key in a header', secret: 'API key', help: 'A fixed key in a header.' },
  {
    value: 'body_token',
    label: 'Token in the JSON body',
    secret: 'Token',
    help: 'A shared token the sender echoes in the body (Zoho CRM: $.token).',
  },
  { value: 'none', label: 'None', secret: null, help: 'Anyone who knows the URL can post to it.' },
];

export const schemeLabel = (type: Scheme) => schemes.find((s) => s.value === type)?.label ?? type;
