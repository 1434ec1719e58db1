import type { Manifest, ValueSource } from '../../../catalog/manifest.js';
import type { VerificationSchemeInput } from '../verify/index.js';
import type { Handshake, ValueFrom } from './config.js';

export type ManifestDefaults = {
  verification: VerificationSchemeInput;
  dedup_key: ValueFrom | null;
  event_type_from: ValueFrom | null;
  handshake: Handshake | null;
};

/** Manifests write templates as `{{body}}`; the generic verifier's signed-content template uses `{body}`. */
const template = (text: string) => text.replace(/\{\{\s*(body|timestamp)\s*\}\}/g, '{$1}');

const valueFrom = (v: ValueSource | undefined): ValueFrom | null =>
  v && !v.pattern ? { from: v.from, path: v.path } : null;

/**
 * The source configuration a connector's manifest implies, so a source created for a connection verifies what
 * that vendor sends without the user knowing the scheme. Answers a reason instead when the manifest declares no
 * scheme, or one we cannot verify yet (Twilio, Square and HubSpot v3 sign the request URL too; SHA-1) — the user
 * then sets `verification` explicitly.
 */
export function sourceDefaultsFromManifest(
  manifest: Manifest,
): ManifestDefaults | { unsupported: string; handshake: Handshake | null } {
  const w = manifest.webhooks;
  if (!w) return { unsupported: `The ${manifest.name} connector declares no inbound webhook scheme.`, handshake: null };
  // The handshake applies even when the scheme must be set by hand (Microsoft Graph's clientState is in the body).
  const handshake = w.handshake ?? null;
  const ids = { dedup_key: valueFrom(w.delivery_id), event_type_from: valueFrom(w.event_type), handshake };
  const tolerance = w.tolerance_seconds !== undefined ? { tolerance_seconds: w.tolerance_seconds } : {};
  switch (w.scheme) {
    case 'standard_webhooks':
    case 'stripe':
    case 'slack':
      return { verification: { type: w.scheme, ...tolerance }, ...ids };
    case 'github':
    case 'shopify':
    case 'none':
      return { verification: { type: w.scheme }, ...ids };
    case 'token':
      if (!w.header) break;
      return { verification: { type: 'api_key_header', header: w.header }, ...ids };
    case 'hmac': {
      if (!w.header || (w.algorithm !== 'sha256' && w.algorithm !== 'sha512')) break;
      return {
        verification: {
          type: 'generic_hmac',
          algorithm: w.algorithm,
          encoding: w.encoding ?? 'hex',
          header: w.header,
          ...(w.prefix ? { prefix: w.prefix } : {}),
          ...(w.signed_content ? { signed_content: template(w.signed_content) } : {}),
          ...(w.timestamp_header ? { timestamp_header: w.timestamp_header } : {}),
          ...tolerance,
        },
        ...ids,
      };
    }
    case 'basic':
    case 'twilio':
    case 'square':
    case 'hubspot_v3':
      break;
  }
  return {
    unsupported: `The ${manifest.name} connector's webhook scheme (${w.scheme}) cannot be configured automatically; set verification explicitly.`,
    handshake,
  };
}
