import type { Manifest, ValueSource } from '../../../catalog/manifest/manifest.js';
import type { VerificationSchemeInput } from '../verify/index.js';
import type { Handshake, ValueFrom } from './config.js';

export type ManifestDefaults = {
  verification: VerificationSchemeInput;
  dedup_key: ValueFrom | null;
  event_type_from: ValueFrom | null;
  handshake: Handshake | null;
  /** The media types the vendor sends; null when the manifest names none (the source default then applies). */
  content_types: string[] | null;
};

/** What a manifest implies even when its scheme cannot be configured automatically. */
type Unsupported = { unsupported: string; handshake: Handshake | null; content_types: string[] | null };

/** Manifests write templates as `{{body}}`; the generic verifier's signed-content template uses `{body}`. */
const template = (text: string) => text.replace(/\{\{\s*(body|timestamp)\s*\}\}/g, '{$1}');

const valueFrom = (v: ValueSource | undefined): ValueFrom | null =>
  v && !v.pattern ? { from: v.from, path: v.path } : null;

/** A manifest's token location: a JSON path (`$.token`) is in the body, anything else names a header. */
function tokenScheme(w: NonNullable<Manifest['webhooks']>): VerificationSchemeInput | undefined {
  const where = w.token_path ?? w.header;
  if (!where) return undefined;
  return where.startsWith('$') ? { type: 'body_token', path: where } : { type: 'api_key_header', header: where };
}

/**
 * The source configuration a connector's manifest implies, so a source created for a connection verifies what
 * that vendor sends without the user knowing the scheme. Every scheme a manifest can declare maps to one; a reason
 * comes back only for a manifest that declares none, or an `hmac` this server cannot check (SHA-1, no header).
 */
export function sourceDefaultsFromManifest(manifest: Manifest): ManifestDefaults | Unsupported {
  const w = manifest.webhooks;
  if (!w) {
    return {
      unsupported: `The ${manifest.name} connector declares no inbound webhook scheme.`,
      handshake: null,
      content_types: null,
    };
  }
  const handshake = w.handshake ?? null;
  // A vendor that posts only forms (Mailchimp, ActiveCampaign) would otherwise meet the JSON-only default: 415.
  const content_types = w.content_types ? [...w.content_types] : null;
  const ids = {
    dedup_key: valueFrom(w.delivery_id),
    event_type_from: valueFrom(w.event_type),
    handshake,
    content_types,
  };
  const tolerance = w.tolerance_seconds !== undefined ? { tolerance_seconds: w.tolerance_seconds } : {};
  const implied = (verification: VerificationSchemeInput): ManifestDefaults => ({ verification, ...ids });
  switch (w.scheme) {
    case 'standard_webhooks':
    case 'stripe':
    case 'slack':
    case 'hubspot_v3':
    case 'sendgrid':
      return implied({ type: w.scheme, ...tolerance });
    case 'github':
    case 'shopify':
    case 'twilio':
    case 'square':
    case 'graph_client_state':
    case 'google_channel':
    case 'none':
      return implied({ type: w.scheme });
    case 'basic':
      // The user picks both the user name and the password at the vendor: the secret holds `user:password`.
      return implied({ type: 'basic_auth' });
    case 'token': {
      const scheme = tokenScheme(w);
      if (scheme) return implied(scheme);
      break;
    }
    case 'hmac': {
      if (!w.header || (w.algorithm !== 'sha256' && w.algorithm !== 'sha512')) break;
      return implied({
        type: 'generic_hmac',
        algorithm: w.algorithm,
        encoding: w.encoding ?? 'hex',
        header: w.header,
        ...(w.prefix ? { prefix: w.prefix } : {}),
        ...(w.signed_content ? { signed_content: template(w.signed_content) } : {}),
        ...(w.timestamp_header ? { timestamp_header: w.timestamp_header } : {}),
        ...tolerance,
      });
    }
  }
  return {
    unsupported: `The ${manifest.name} connector's webhook scheme (${w.scheme}) cannot be configured automatically; set verification explicitly.`,
    handshake,
    content_types,
  };
}
