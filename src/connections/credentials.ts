import { getSystemConnection } from '../catalog/sql.js';
import type { Queryable } from '../core/db/port.js';
import { ApiError, type FieldError } from '../core/errors.js';
import { assertSecretReferencesExist, resolveSecretReferences } from '../vault/secrets/references.js';
import { PLATFORM_SCOPE } from '../vault/sql.js';
import type { Vault } from '../vault/vault.js';
import { getCredential, type ConnectionRow } from './sql.js';
import { credentialContext, systemCredentialContext } from '../vault/contexts.js';

/**
 * Every secret a config or credential set refers to must exist when it is saved. Each missing one is named by
 * the field that refers to it (`body.credentials.api_key`), like any other invalid field.
 */
export async function assertReferencesExist(
  q: Queryable,
  tenantId: string,
  records: Partial<Record<'body.config' | 'body.credentials', Record<string, unknown>>>,
): Promise<void> {
  const errors: FieldError[] = [];
  for (const [where, record] of Object.entries(records)) {
    for (const [key, value] of Object.entries(record ?? {})) {
      if (typeof value !== 'string') continue;
      try {
        await assertSecretReferencesExist(q, tenantId, value);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        errors.push({ path: `${where}.${key}`, message: error.detail });
      }
    }
  }
  const [first] = errors;
  if (first) {
    throw new ApiError(
      'secret_reference_invalid',
      errors.length === 1 ? `${first.path}: ${first.message}` : `${errors.length} secret references are invalid`,
      { errors },
    );
  }
}

/** Resolve `{{secrets.NAME}}` in every string value, at use time; the resolved values are never stored. */
export async function resolveRecord<T extends Record<string, unknown>>(
  q: Queryable,
  vault: Vault,
  tenantId: string,
  record: T,
): Promise<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    out[key] = typeof value === 'string' ? await resolveSecretReferences(q, vault, tenantId, value) : value;
  }
  return out as T;
}

/**
 * The credentials a connection uses: its own (tenant) or the platform's system connection (shared/hybrid), opened
 * and with secret references resolved. For user-level connections `userId` picks the user's credential.
 */
export async function openConnectionCredentials(
  q: Queryable,
  vault: Vault,
  connection: ConnectionRow,
  userId: string | null = null,
): Promise<Record<string, string>> {
  if (connection.credential_source === 'system') {
    const system = await getSystemConnection(q, connection.connector_slug);
    if (!system)
      throw new ApiError(
        'connection_unusable',
        'The platform credentials for this connector have been removed; ask the operator.',
      );
    return JSON.parse(
      await vault.open(
        q,
        PLATFORM_SCOPE,
        systemCredentialContext(connection.connector_slug),
        system.credentials_sealed,
      ),
    );
  }
  const credential = await getCredential(q, connection.id, userId);
  if (!credential) throw new ApiError('connection_unusable', 'The connection has no stored credentials.');
  const fields = JSON.parse(
    await vault.open(q, connection.tenant_id, credentialContext(connection.id, credential.id), credential.sealed),
  ) as Record<string, string>;
  return resolveRecord(q, vault, connection.tenant_id, fields);
}
