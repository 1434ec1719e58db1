import type { Queryable } from '../core/db/port.js';
import { systemCredentialContext } from '../vault/contexts.js';
import { PLATFORM_SCOPE } from '../vault/sql.js';
import type { Vault } from '../vault/vault.js';
import { getSystemConnection } from './sql.js';

/** The platform's credentials for a shared or hybrid connector, opened. */
export async function openSystemCredentials(
  q: Queryable,
  vault: Vault,
  slug: string,
): Promise<Record<string, string> | undefined> {
  const system = await getSystemConnection(q, slug);
  if (!system) return undefined;
  return JSON.parse(
    await vault.open(q, PLATFORM_SCOPE, systemCredentialContext(slug), system.credentials_sealed),
  ) as Record<string, string>;
}
