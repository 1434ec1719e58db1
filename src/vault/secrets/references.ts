import type { Queryable } from '../../core/db/port.js';
import { ApiError } from '../../core/errors.js';
import type { Vault } from '../vault.js';
import { getSealedVersion, getSecretByName } from './sql.js';
import { secretContext } from '../contexts.js';

/** `{{secrets.NAME}}` or `{{secrets.NAME@3}}` (a pinned version). */
const REFERENCE = /\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]{0,127})(?:@(\d+))?\s*\}\}/g;

export function secretReferences(text: string): { name: string; version?: number }[] {
  return [...text.matchAll(REFERENCE)].map((m) => ({
    name: m[1] as string,
    ...(m[2] ? { version: Number(m[2]) } : {}),
  }));
}

/** Fail early (at save time) when a config names a secret that does not exist. */
export async function assertSecretReferencesExist(q: Queryable, tenantId: string, text: string): Promise<void> {
  for (const ref of secretReferences(text)) {
    const secret = await getSecretByName(q, tenantId, ref.name);
    // Versions count from 1 and are only ever added, so 1..current_version all exist.
    if (!secret || (ref.version !== undefined && (ref.version < 1 || ref.version > secret.current_version))) {
      throw new ApiError(
        'secret_reference_invalid',
        `{{secrets.${ref.name}${ref.version !== undefined ? `@${ref.version}` : ''}}} names no existing secret.`,
      );
    }
  }
}

/** Replace every secret reference in `text` with the secret's value (at use time, never stored). */
export async function resolveSecretReferences(
  q: Queryable,
  vault: Vault,
  tenantId: string,
  text: string,
): Promise<string> {
  const refs = secretReferences(text);
  if (refs.length === 0) return text;
  const values = new Map<string, string>();
  for (const ref of refs) {
    const secret = await getSecretByName(q, tenantId, ref.name);
    const version = ref.version ?? secret?.current_version;
    const sealed = secret && version !== undefined ? await getSealedVersion(q, secret.id, version) : undefined;
    if (!secret || version === undefined || !sealed) {
      throw new ApiError('secret_reference_invalid', `{{secrets.${ref.name}}} names no existing secret.`);
    }
    values.set(
      `${ref.name}@${ref.version ?? ''}`,
      await vault.open(q, tenantId, secretContext(secret.id, version), sealed),
    );
  }
  return text.replace(REFERENCE, (_m, name: string, version?: string) => values.get(`${name}@${version ?? ''}`) ?? '');
}
