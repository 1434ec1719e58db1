import { z } from 'zod';
import type { Queryable } from '../../core/db/port.js';
import { iso, isoRequired, timestamp } from '../../core/http/schemas.js';
import { newId } from '../../core/ids.js';
import type { Vault } from '../../vault/vault.js';
import { insertTenant, type TenantRow } from './sql.js';

export const tenantSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    disabled: z.boolean(),
    disabled_at: timestamp.nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Tenant' });

export function presentTenant(row: TenantRow): z.input<typeof tenantSchema> {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    disabled: row.disabled_at !== null,
    disabled_at: iso(row.disabled_at),
    created_at: isoRequired(row.created_at),
    updated_at: isoRequired(row.updated_at),
  };
}

/** A tenant and its data key, created together so every tenant can seal secrets from its first request. */
export async function createTenant(
  q: Queryable,
  vault: Vault,
  input: { name: string; slug: string },
): Promise<TenantRow> {
  const row = await insertTenant(q, { id: newId('ten'), name: input.name, slug: input.slug });
  await vault.createDataKey(q, row.id);
  return row;
}
