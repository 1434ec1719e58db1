import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import type { Db, Queryable } from '../../core/db/port.js';
import { ApiError, notFound } from '../../core/errors.js';
import { defineRoute } from '../../core/http/route.js';
import { decodeCursor, idParams, iso, page, pageQuery, toPage } from '../../core/http/schemas.js';

import type { Principal } from '../../core/principal.js';
import type { Auth } from '../authenticate.js';

import { builtInRoles, isBuiltInRole } from '../capabilities.js';
import { assertCanGrantRole } from '../roles/grant.js';
import { getRole } from '../roles/sql.js';
import { getApiKey, listApiKeys, revokeApiKey, type ApiKeyRow } from './sql.js';
import { apiKeySchema, presentApiKey, issueApiKey } from './keys.js';

export function apiKeyRoutes(deps: { db: Db; clock: Clock; auth: Auth }) {
  const { db, clock, auth } = deps;
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/api-keys',
      operationId: 'createApiKey',
      summary: 'Create an API key; the token is in this response only',
      tags: ['API keys'],
      access: { capability: 'manage_api_keys' },
      audit: { action: 'api_key.create', targetType: 'api_key' },
      errors: ['privilege_escalation', 'malformed_json', 'body_too_large'],
      schema: {
        body: z.strictObject({
          name: z.string().trim().min(1).max(100),
          role: z.string().min(1).max(100).describe('administrator, editor, viewer or a custom role id'),
          expires_at: z.iso.datetime({ offset: true }).optional(),
          expires_in_days: z.number().int().min(1).max(3650).optional(),
          rate_limit_per_minute: z.number().int().min(1).max(1_000_000_000).optional(),
          superuser: z.boolean().default(false).describe('Superusers only'),
        }),
        response: { 201: z.object({ api_key: apiKeySchema, token: z.string() }).meta({ id: 'CreatedApiKey' }) },
      },
      async handler({ body, principal, tenantId, transaction, audit }) {
        if (body.expires_at && body.expires_in_days) {
          throw new ApiError('validation_failed', 'Give expires_at or expires_in_days, not both.');
        }
        if (body.superuser && !principal.superuser) {
          throw new ApiError('privilege_escalation', 'Only a superuser can create a superuser key.');
        }
        const now = clock.now();
        const expiresAt = body.expires_at
          ? new Date(body.expires_at)
          : body.expires_in_days
            ? new Date(now.getTime() + body.expires_in_days * 86_400_000)
            : null;
        if (expiresAt && expiresAt <= now) throw new ApiError('validation_failed', 'expires_at must be in the future.');
        return transaction(async (tx) => {
          await assertCanGrantRole(tx, principal, tenantId, body.role);
          const { row, token } = await issueApiKey(tx, {
            tenantId,
            name: body.name,
            role: body.role,
            superuser: body.superuser,
            expiresAt,
            rateLimitPerMinute: body.rate_limit_per_minute ?? null,
            createdBy: principal.id,
          });
          audit.target(row.id, {
            name: row.name,
            role: row.role,
            expires_at: iso(row.expires_at),
            superuser: row.superuser,
          });
          return { api_key: presentApiKey(row, now), token };
        });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/api-keys',
      operationId: 'listApiKeys',
      summary: 'List API keys, newest first',
      tags: ['API keys'],
      access: { capability: 'view_api_keys' },
      schema: {
        querystring: pageQuery.extend({
          include_revoked: z
            .enum(['true', 'false'])
            .default('false')
            .transform((v) => v === 'true'),
        }),
        response: { 200: page(apiKeySchema) },
      },
      async handler({ query, tenantId }) {
        const rows = await listApiKeys(db, tenantId, {
          limit: query.limit,
          afterId: decodeCursor(query.cursor)?.id,
          includeRevoked: query.include_revoked,
        });
        const now = clock.now();
        return toPage(rows, query.limit, (r) => presentApiKey(r, now));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/api-keys/:id',
      operationId: 'getApiKey',
      summary: 'Get an API key',
      tags: ['API keys'],
      access: { capability: 'view_api_keys' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 200: apiKeySchema } },
      async handler({ params, tenantId }) {
        const row = await getApiKey(db, tenantId, params.id);
        if (!row) throw notFound('API key', params.id);
        return presentApiKey(row, clock.now());
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/api-keys/:id',
      operationId: 'revokeApiKey',
      summary: 'Revoke an API key (effective at once on every node)',
      description:
        'The caller must hold every capability of the key’s role (403 `privilege_escalation` otherwise), and only a ' +
        'superuser may revoke a superuser’s key.',
      tags: ['API keys'],
      access: { capability: 'manage_api_keys' },
      audit: { action: 'api_key.revoke', targetType: 'api_key' },
      errors: ['not_found', 'privilege_escalation'],
      schema: { params: idParams, response: { 200: apiKeySchema } },
      async handler({ params, principal, tenantId, transaction, audit }) {
        return transaction(async (tx) => {
          const before = await getApiKey(tx, tenantId, params.id);
          if (!before) throw notFound('API key', params.id);
          await assertCanRevokeKey(tx, principal, tenantId, before);
          const row = await revokeApiKey(tx, tenantId, params.id, clock.now());
          if (!row) throw notFound('API key', params.id);
          await auth.invalidate(tx);
          audit.target(row.id, { name: row.name, revoked: true });
          return presentApiKey(row, clock.now());
        });
      },
    }),
  ];
}

/**
 * Revoking a key is acting on someone else's access, as changing a user is (users/routes.ts): the caller must hold
 * every capability the key's role holds (otherwise a custom role with manage_api_keys could cut an Administrator's
 * automation off), and the platform operator's keys, which live in a tenant too, only a superuser may revoke.
 */
async function assertCanRevokeKey(q: Queryable, principal: Principal, tenantId: string, key: ApiKeyRow) {
  if (key.superuser && !principal.superuser) {
    throw new ApiError('privilege_escalation', 'Only a superuser can revoke a superuser key.');
  }
  // A custom role deleted since holds nothing.
  const held = isBuiltInRole(key.role)
    ? builtInRoles[key.role].capabilities
    : ((await getRole(q, tenantId, key.role))?.capabilities ?? []);
  const missing = held.filter((c) => !principal.capabilities.has(c));
  if (missing.length > 0) {
    throw new ApiError(
      'privilege_escalation',
      `This key holds capabilities you do not (${missing.join(', ')}); only someone holding them can revoke it.`,
      { missing_capabilities: missing },
    );
  }
}
