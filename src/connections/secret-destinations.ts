import { findAuthMethod } from '../catalog/manifest/auth.js';
import type { Registry } from '../catalog/registry.js';
import { ApiError } from '../core/errors.js';
import { secretReferences } from '../vault/secrets/references.js';
import type { SecretValueCheck } from '../vault/secrets/value-change.js';
import { assertCredentialAuthority, destinationConfigKeys } from './credential-authority.js';

/**
 * Credential authority over a tenant secret that decides where a connection's credentials go. A config field that
 * decides the destination (credential-authority.ts: a base URL's host, an OAuth endpoint, a connection string) may
 * hold a secret reference (`{{secrets.API_HOST}}`), resolved at every use: setting that secret's value moves the
 * connection as surely as editing the field, and hands the stored credential to whoever picked the new value. So
 * creating or rotating such a secret needs what the edit would need (`create_connection` and the connector's own
 * capability); with `manage_secrets` alone it is refused with 403 `forbidden`, naming the connection and fields.
 *
 * A rotation leaves references pinned to a version (`{{secrets.API_HOST@1}}`) where they were; creating a secret
 * (after one of the same name was deleted, versions count from 1 again) changes what every reference reads.
 */
export function secretDestinationCheck(registry: Pick<Registry, 'get'>): SecretValueCheck {
  return async (q, principal, change) => {
    // A superset (the name may be a prefix of another's), narrowed by parsing each destination field below.
    const { rows } = await q.query<{ id: string; connector_slug: string; auth_method: string; config: object }>(
      `select id, connector_slug, auth_method, config from connections
        where tenant_id = $1 and strpos(config::text, $2) > 0 order by id`,
      [principal.tenantId, `secrets.${change.name}`],
    );
    for (const row of rows) {
      const connector = await registry.get(row.connector_slug);
      // A connector or auth method since removed sends nothing anywhere.
      const auth = connector && findAuthMethod(connector.manifest.auth, row.auth_method);
      if (!connector || !auth) continue;
      const config = row.config as Record<string, unknown>;
      const fields = [...destinationConfigKeys(connector.manifest, auth)]
        .filter((key) => {
          const value = config[key];
          if (typeof value !== 'string') return false;
          const refs = secretReferences(value).filter((r) => r.name === change.name);
          return refs.some((r) => change.kind === 'create' || r.version === undefined);
        })
        .sort();
      if (fields.length === 0) continue;
      try {
        assertCredentialAuthority(principal, connector.manifest, fields);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        throw new ApiError(
          error.code,
          `{{secrets.${change.name}}} decides where connection ${row.id} sends its credentials (config ` +
            `${fields.join(', ')}): setting its value needs the "${String(error.extensions.missing_capability)}" ` +
            'capability (credential authority).',
          { ...error.extensions, connection_id: row.id },
        );
      }
    }
  };
}
