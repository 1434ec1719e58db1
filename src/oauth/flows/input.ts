import type { AuthMethod, OAuth2Method } from '../../catalog/manifest/auth.js';
import type { Manifest } from '../../catalog/manifest/manifest.js';
import { ApiError, type FieldError } from '../../core/errors.js';

/** Checks on what a caller asks of an OAuth flow, each failing as a 400 that names the offending field. */

/** The connector's OAuth 2.0 method, or a 400 when it has none. */
export function oauthMethodOf(manifest: Manifest, where = 'body.connector'): OAuth2Method {
  const method = manifest.auth.find((a: AuthMethod): a is OAuth2Method => a.type === 'oauth2');
  if (!method) {
    throw new ApiError('validation_failed', `${manifest.name} does not connect with OAuth 2.0.`, {
      errors: [{ path: where, message: `auth methods: ${manifest.auth.map((a) => a.type).join(', ')}` }],
    });
  }
  return method;
}

/**
 * The scopes to request: the manifest's defaults unless the caller names some, plus the scopes the manifest marks
 * required (the connector cannot work without them), without duplicates. When the manifest lists the scopes it
 * offers, every requested one must be among them (a typo would otherwise surface only as the vendor's error page).
 */
export function requestedScopes(manifest: Manifest, method: OAuth2Method, scopes: string[] | undefined): string[] {
  const required = method.scopes.available.filter((s) => s.required).map((s) => s.name);
  const wanted = [...new Set([...required, ...(scopes ?? method.scopes.default)])];
  const available = method.scopes.available.map((s) => s.name);
  if (available.length === 0) return wanted;
  const errors: FieldError[] = [];
  wanted.forEach((scope, i) => {
    if (!available.includes(scope)) {
      errors.push({ path: `body.scopes.${i}`, message: `"${scope}" is not a scope ${manifest.name} offers` });
    }
  });
  if (errors.length) {
    const unknown = errors.map((e) => e.message.split('"')[1]);
    throw new ApiError(
      'validation_failed',
      `Unknown scopes for ${manifest.name}: ${unknown.join(', ')} (available: ${available.join(', ')}).`,
      { errors },
    );
  }
  return wanted;
}

export function assertLevel(manifest: Manifest, method: OAuth2Method, level: 'app' | 'user'): void {
  if (!method.levels.includes(level)) {
    throw new ApiError(
      'validation_failed',
      `${manifest.name} connects at the ${method.levels.join(' or ')} level, not "${level}".`,
      { errors: [{ path: 'body.level', message: `one of ${method.levels.join(', ')}` }] },
    );
  }
}

/**
 * Where the callback sends the browser afterwards: a path on this server or a URL with this server's origin,
 * resolved against the public URL. Anything else (another host, `//host`, `javascript:`) would make the callback an
 * open redirect.
 */
export function returnTarget(returnTo: string | undefined, publicUrl: string): string | null {
  if (returnTo === undefined) return null;
  const origin = new URL(publicUrl).origin;
  let url: URL | undefined;
  try {
    url = new URL(returnTo, `${origin}/`);
  } catch {
    url = undefined;
  }
  if (!url || url.origin !== origin) {
    throw new ApiError('validation_failed', `return_to must be a path on this server or a URL under ${origin}.`, {
      errors: [{ path: 'body.return_to', message: `not on ${origin}` }],
    });
  }
  return url.href;
}

export const sameScopes = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join(' ') === [...b].sort().join(' ');
