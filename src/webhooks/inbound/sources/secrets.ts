import { randomBytes } from 'node:crypto';
import { openConnectionCredentials } from '../../../connections/credentials.js';
import type { ConnectionRow } from '../../../connections/sql.js';
import type { Queryable } from '../../../core/db/port.js';
import { ApiError } from '../../../core/errors.js';
import { getOAuthClient } from '../../../oauth/clients/clients.js';
import type { Vault } from '../../../vault/vault.js';
import { generateHmacSecret } from '../../signing.js';
import type { VerificationScheme } from '../verify/index.js';
import { oauthClientContext } from '../../../vault/contexts.js';

/**
 * Where a source's verification secret comes from, per scheme:
 * - the vendor issues it (Stripe, Slack, Shopify, HubSpot, Twilio, Square): a generated one could never match, so
 *   the caller gives it — or, for a source made for a connection, the connection's own credential when the vendor
 *   signs with it (`secretFromConnection`);
 * - the user chooses it at the vendor (Basic auth, a token, Graph's clientState, GitHub, generic HMAC, Standard
 *   Webhooks): generated and shown once when not given.
 */

const VENDOR_ISSUED: Partial<Record<VerificationScheme['type'], string>> = {
  stripe: 'the endpoint’s signing secret (whsec_…)',
  slack: 'the app’s signing secret',
  shopify: 'the app’s client secret',
  hubspot_v3: 'the app’s client secret',
  twilio: 'the account’s primary Auth Token',
  square: 'the subscription’s signature key',
  sendgrid: 'the Event Webhook’s verification key (public key)',
};

/** A new secret for a scheme the user configures at the vendor; undefined when only the vendor can issue one. */
export function generateSecret(scheme: VerificationScheme): string | undefined {
  if (VENDOR_ISSUED[scheme.type]) return undefined;
  if (scheme.type === 'standard_webhooks') return generateHmacSecret();
  // Both halves are the user's to set at the vendor (Pipedrive's http_auth_user and http_auth_password).
  if (scheme.type === 'basic_auth' && scheme.username === undefined) {
    return `hook-${randomBytes(6).toString('base64url')}:${randomBytes(24).toString('base64url')}`;
  }
  return randomBytes(32).toString('base64url');
}

/** The secret a source verifies with: the given one, else one generated, else a 400 saying what to paste. */
export function chooseSecret(scheme: VerificationScheme, given: string | undefined, path: string): string {
  if (given !== undefined) {
    if (scheme.type === 'basic_auth' && scheme.username === undefined && !given.includes(':')) {
      throw new ApiError('validation_failed', 'Without a username, the Basic auth secret is user:password.', {
        errors: [{ path, message: 'expected user:password' }],
      });
    }
    return given;
  }
  const generated = generateSecret(scheme);
  if (generated !== undefined) return generated;
  const what = VENDOR_ISSUED[scheme.type] as string;
  throw new ApiError('validation_failed', `A ${scheme.type} source verifies with ${what}: give it as secret.`, {
    errors: [{ path, message: `required: ${what}` }],
  });
}

/**
 * The connection's own credential when it is what the vendor signs with: the credential field the manifest names
 * (`webhooks.secret_field`; Twilio signs with the account's Auth Token, which an Auth Token connection holds and an
 * API-key connection may), HubSpot with the client secret of the OAuth app — the tenant's own app, the one whose
 * webhook target URL the tenant sets. Copied into the source's sealed secrets at creation: after rotating the token
 * at the vendor, rotate the source's too.
 */
export async function secretFromConnection(
  q: Queryable,
  vault: Vault,
  connection: ConnectionRow,
  scheme: VerificationScheme,
  secretField?: string,
): Promise<string | undefined> {
  if (secretField !== undefined && connection.auth_method !== 'oauth2') {
    const fields = await openConnectionCredentials(q, vault, connection);
    const value = fields[secretField];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }
  if (scheme.type === 'hubspot_v3' && connection.auth_method === 'oauth2') {
    const own = await getOAuthClient(q, connection.tenant_id, connection.connector_slug);
    if (!own?.client_secret_sealed) return undefined;
    return vault.open(q, connection.tenant_id, oauthClientContext(connection.connector_slug), own.client_secret_sealed);
  }
  return undefined;
}
