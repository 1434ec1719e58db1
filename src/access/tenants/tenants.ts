import { z } from 'zod';
import type { Queryable } from '../../core/db/port.js';
import { iso, isoRequired, timestamp } from '../../core/http/schemas.js';
import { newId } from '../../core/ids.js';
import type { Vault } from '../../vault/vault.js';
import { insertTenant, type TenantRow } from './sql.js';

/**
 * What a tenant's subscription turns on beyond the base platform, set by a superuser. Seed 000's `financial_data`
 * capability shows the Financial Data tab and lets routes serve financial capabilities (quotes, profiles);
 * `provider_routing` does the same for every other capability (e-mail, geo lookups).
 */
export const tenantFeatures = ['financial_data', 'provider_routing'] as const;
export type TenantFeature = (typeof tenantFeatures)[number];

export const tenantSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    disabled: z.boolean(),
    disabled_at: timestamp.nullable(),
    features: z.array(z.enum(tenantFeatures)).describe('What the tenant’s subscription turns on'),
    files_quota_bytes: z
      .number()
      .int()
      .nullable()
      .describe('Bytes the tenant’s files may hold; null: the configured default (SWITCHYARD_FILES_QUOTA_BYTES)'),
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
    features: row.features.filter((f): f is TenantFeature => (tenantFeatures as readonly string[]).includes(f)),
    files_quota_bytes: row.files_quota_bytes === null ? null : Number(row.files_quota_bytes),
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
