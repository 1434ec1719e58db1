import { authMethodId, findAuthMethod, type AuthMethod } from '../catalog/manifest/auth.js';
import type { Manifest } from '../catalog/manifest/manifest.js';
import type { Registry } from '../catalog/registry.js';
import type { ConnectorRow } from '../catalog/sql.js';
import { ApiError } from '../core/errors.js';
import type { Principal } from '../core/principal.js';

export type UsableConnector = { row: ConnectorRow; manifest: Manifest; warnings: string[] };

/**
 * A connector as a connection may use it, by what is being done:
 * - `create`: coming-soon and retired entries cannot be connected; maintenance refuses for now; deprecated warns.
 * - `use` (test, proxy, resume): maintenance refuses; everything else works, deprecated with a warning.
 */
export async function connectorFor(
  registry: Registry,
  slug: string,
  purpose: 'create' | 'use',
): Promise<UsableConnector> {
  const row = await registry.get(slug);
  if (!row)
    throw new ApiError(purpose === 'create' ? 'validation_failed' : 'not_found', `Connector ${slug} does not exist.`, {
      errors: [{ path: 'body.connector', message: 'unknown connector' }],
    });
  const name = row.manifest.name;
  if (purpose === 'create' && row.retired_at)
    throw new ApiError('connector_unavailable', `${name} has been retired and cannot be connected.`);
  if (purpose === 'create' && row.availability === 'coming_soon') {
    throw new ApiError('connector_unavailable', `${name} is coming soon and cannot be connected yet.`);
  }
  if (row.availability === 'maintenance') {
    throw new ApiError(
      'connector_maintenance',
      `${name} is under maintenance; try again later.`,
      {},
      { 'retry-after': '300' },
    );
  }
  const warnings: string[] = [];
  if (row.availability === 'deprecated') warnings.push(`${name} is deprecated; plan to move to another connector.`);
  if (row.retired_at) warnings.push(`${name} has been retired; existing connections keep working for now.`);
  return { row, manifest: row.manifest, warnings };
}

/** Payment connectors (and any that declare one) need an extra capability on top of the route's. */
export function assertConnectorCapability(principal: Principal, manifest: Manifest): void {
  const needed = manifest.requires_capability;
  if (needed && !principal.capabilities.has(needed)) {
    throw new ApiError(
      'forbidden',
      `${manifest.name} connections need the "${needed}" capability, which your role does not hold.`,
      {
        missing_capability: needed,
      },
    );
  }
}

/** The auth method a connection uses: the one named, or the connector's default (the first). */
export function authMethodOf(manifest: Manifest, type: string | undefined): AuthMethod {
  const method = findAuthMethod(manifest.auth, type);
  if (!method) {
    throw new ApiError('validation_failed', `${manifest.name} has no "${type}" auth method.`, {
      errors: [{ path: 'body.auth_method', message: `one of ${manifest.auth.map(authMethodId).join(', ')}` }],
    });
  }
  return method;
}
