import { z } from 'zod';
import type { Db } from '../../core/db/port.js';
import { isUniqueViolation } from '../../core/db/port.js';
import { ApiError, notFound } from '../../core/errors.js';
import { defineRoute } from '../../core/http/route.js';
import { decodeCursor, idParams, page, pageQuery, toPage } from '../../core/http/schemas.js';

import type { Vault } from '../../vault/vault.js';
import type { Auth } from '../authenticate.js';
import { findTenant, listTenants, updateTenant } from './sql.js';
import { tenantSchema, presentTenant, createTenant, tenantFeatures } from './tenants.js';

const slug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'lower-case letters, digits and hyphens (1-63 characters)');

export function tenantRoutes(deps: { db: Db; vault: Vault; auth: Auth }) {
  const { db, vault, auth } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/tenants',
      operationId: 'listTenants',
      summary: 'List tenants (superuser)',
      tags: ['Tenants'],
      access: { capability: 'manage_tenants' },
      schema: { querystring: pageQuery, response: { 200: page(tenantSchema) } },
      async handler({ query }) {
        const rows = await listTenants(db, { limit: query.limit, afterId: decodeCursor(query.cursor)?.id });
        return toPage(rows, query.limit, presentTenant);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/tenants',
      operationId: 'createTenant',
      summary: 'Create a tenant (superuser)',
      description:
        'Act inside it with the `Switchyard-Tenant: <id or slug>` header, e.g. to create its first administrator.',
      tags: ['Tenants'],
      access: { capability: 'manage_tenants' },
      audit: { action: 'tenant.create', targetType: 'tenant' },
      errors: ['already_exists', 'malformed_json', 'body_too_large'],
      schema: {
        body: z.strictObject({ name: z.string().trim().min(1).max(200), slug }),
        response: { 201: tenantSchema },
      },
      async handler({ body, transaction, audit }) {
        try {
          return await transaction(async (tx) => {
            const row = await createTenant(tx, vault, body);
            audit.target(row.id, { name: row.name, slug: row.slug });
            return presentTenant(row);
          });
        } catch (error) {
          if (isUniqueViolation(error))
            throw new ApiError('already_exists', `A tenant with slug ${body.slug} already exists.`);
          throw error;
        }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/tenants/:id',
      operationId: 'getTenant',
      summary: 'Get a tenant by id or slug (superuser)',
      tags: ['Tenants'],
      access: { capability: 'manage_tenants' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 200: tenantSchema } },
      async handler({ params }) {
        const row = await findTenant(db, params.id);
        if (!row) throw notFound('Tenant', params.id);
        return presentTenant(row);
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/tenants/:id',
      operationId: 'updateTenant',
      summary: 'Rename, disable or re-enable a tenant, or set its features or files quota (superuser)',
      description:
        'A disabled tenant’s users and keys are refused with `tenant_disabled`; its data is kept. `features` replaces ' +
        'the tenant’s features (`financial_data`, `provider_routing`). `files_quota_bytes` caps the bytes its files ' +
        'may hold (null: the configured default).',
      tags: ['Tenants'],
      access: { capability: 'manage_tenants' },
      audit: { action: 'tenant.update', targetType: 'tenant' },
      errors: ['not_found', 'conflict', 'malformed_json'],
      schema: {
        params: idParams,
        body: z.strictObject({
          name: z.string().trim().min(1).max(200).optional(),
          disabled: z.boolean().optional(),
          features: z
            .array(z.enum(tenantFeatures))
            .max(tenantFeatures.length)
            .transform((list) => [...new Set(list)].sort())
            .optional(),
          files_quota_bytes: z.number().int().min(0).nullable().optional(),
        }),
        response: { 200: tenantSchema },
      },
      async handler({ params, body, principal, transaction, audit }) {
        return transaction(async (tx) => {
          const before = await findTenant(tx, params.id);
          if (!before) throw notFound('Tenant', params.id);
          if (body.disabled && before.id === principal.homeTenantId) {
            throw new ApiError('conflict', 'You cannot disable the tenant your own account belongs to.');
          }
          const row = await updateTenant(tx, before.id, body);
          if (!row) throw notFound('Tenant', params.id);
          await auth.invalidate(tx);
          audit.target(row.id, {
            ...(before.name !== row.name ? { name: { from: before.name, to: row.name } } : {}),
            ...(body.disabled !== undefined
              ? { disabled: { from: before.disabled_at !== null, to: row.disabled_at !== null } }
              : {}),
            ...(body.features && body.features.join() !== before.features.join()
              ? { features: { from: before.features, to: row.features } }
              : {}),
            ...(before.files_quota_bytes !== row.files_quota_bytes
              ? { files_quota_bytes: { from: before.files_quota_bytes, to: row.files_quota_bytes } }
              : {}),
          });
          return presentTenant(row);
        });
      },
    }),
  ];
}
