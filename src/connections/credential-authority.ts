import type { AuthMethod } from '../catalog/manifest/auth.js';
import type { Manifest } from '../catalog/manifest/manifest.js';
import { ApiError } from '../core/errors.js';
import type { Principal } from '../core/principal.js';
import { assertConnectorCapability } from './connector-access.js';
import { placeholders } from './templates.js';

/**
 * Credential authority over a saved connection. Changing a credential needs `create_connection` (and the
 * connector's own capability, e.g. `manage_payment_credentials`). Changing where the credential is sent is worth
 * exactly as much — whoever picks the host receives the stored key or token at the next test, proxied call or
 * refresh — so a config change that moves the destination needs the same capabilities as rotating the credential.
 *
 * The config fields that decide the destination are read from the manifest:
 * - in a URL template — the base URL (a stream's own too, and the manifest's other base URLs), the OAuth authorization, token and revocation endpoints, a test-call path
 *   not starting with "/" (it may render to an absolute URL) — the fields rendered before the path begins, i.e. in
 *   the scheme, host or port (`https://{{config.subdomain}}.example.com`, `{{config.instance_url}}/services`); a
 *   field inside the path (`/services/data/{{config.api_version}}`) cannot change the host;
 * - every field of a connection string (its query can name another host) and of a mutual-TLS CA (whom to trust);
 * - every config field of a database connector (a driver test): its host, port, database, TLS mode, file path.
 */
export function destinationConfigKeys(manifest: Manifest, auth: AuthMethod): Set<string> {
  const urls: string[] = [];
  const whole: string[] = [];
  if (manifest.base_url) urls.push(manifest.base_url);
  urls.push(...Object.values(manifest.other_base_urls ?? {}));
  for (const s of manifest.streams) if (s.base_url) urls.push(s.base_url);
  const test = auth.test ?? manifest.test;
  if (test?.kind === 'http' && !test.request.path.startsWith('/')) urls.push(test.request.path);
  if (auth.type === 'oauth2') {
    urls.push(auth.token_url);
    if (auth.authorization_url) urls.push(auth.authorization_url);
    if (auth.revocation_url) urls.push(auth.revocation_url);
    if (auth.revocation) urls.push(auth.revocation.url);
  }
  if (auth.type === 'connection_string') whole.push(auth.value);
  if (auth.type === 'mtls' && auth.ca) whole.push(auth.ca);
  const keys = new Set<string>(test?.kind === 'driver' ? manifest.config.map((f) => f.key) : []);
  for (const template of [...urls.map(beforePath), ...whole]) {
    for (const { scope, key } of placeholders(template)) if (scope === 'config') keys.add(key);
  }
  return keys;
}

/** The part of a URL template before its path: up to the first literal "/", "?" or "#" after the scheme's "//". */
function beforePath(template: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(template)?.[0].length ?? 0;
  // Placeholders are masked so that a "/" inside one (there is none today) cannot end the host early.
  const masked = template.replace(/\{\{[^}]*\}\}/g, (m) => 'x'.repeat(m.length));
  const end = masked.slice(scheme).search(/[/?#]/);
  return end < 0 ? template : template.slice(0, scheme + end);
}

/** The destination fields whose value differs between two configs (added and removed ones included). */
export function movedDestinationFields(
  manifest: Manifest,
  auth: AuthMethod,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): string[] {
  return [...destinationConfigKeys(manifest, auth)]
    .filter((key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null))
    .sort();
}

/**
 * Refuses with 403 `forbidden` (`missing_capability`) unless the principal holds credential authority over
 * connections of this connector. `moved` names the destination fields when that is why it is needed.
 */
export function assertCredentialAuthority(principal: Principal, manifest: Manifest, moved: string[] = []): void {
  if (!principal.capabilities.has('create_connection')) {
    const what =
      moved.length > 0 ? `Changing where the credentials are sent (${moved.join(', ')})` : 'Rotating credentials';
    throw new ApiError('forbidden', `${what} needs the "create_connection" capability (credential authority).`, {
      missing_capability: 'create_connection',
      ...(moved.length > 0 ? { destination_fields: moved } : {}),
    });
  }
  assertConnectorCapability(principal, manifest);
}
