import { z } from 'zod';
import type { Db, Queryable } from '../../core/db/port.js';
import { isUniqueViolation } from '../../core/db/port.js';
import { ApiError, notFound } from '../../core/errors.js';
import { defineRoute } from '../../core/http/route.js';
import { decodeCursor, idParams, page, pageQuery, toPage } from '../../core/http/schemas.js';
import { newId } from '../../core/ids.js';
import type { Principal } from '../../core/principal.js';
import type { Auth } from '../authenticate.js';
import { assertCanGrantRole, roleCapabilities } from '../roles/grant.js';
import { deleteSessionsOfUser } from '../sessions/sql.js';
import { hashPassword } from './password.js';
import { deleteUser, getUser, insertUser, listUsers, updateUser, type UserRow } from './sql.js';
import { userSchema, presentUser } from './present.js';

export const password = z.string().min(12, 'at least 12 characters').max(200);
const email = z.email().max(254);

export function userRoutes(deps: { db: Db; auth: Auth }) {
  const { db, auth } = deps;
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/users',
      operationId: 'createUser',
      summary: 'Create a console user',
      tags: ['Users'],
      access: { capability: 'manage_users' },
      audit: { action: 'user.create', targetType: 'user' },
      errors: ['already_exists', 'privilege_escalation', 'malformed_json', 'body_too_large'],
      schema: {
        body: z.strictObject({
          email,
          name: z.string().trim().max(200).default(''),
          role: z.string().min(1).max(100),
          password,
          superuser: z.boolean().default(false).describe('Superusers only'),
        }),
        response: { 201: userSchema },
      },
      async handler({ body, principal, tenantId, transaction, audit }) {
        if (body.superuser && !principal.superuser) {
          throw new ApiError('privilege_escalation', 'Only a superuser can create a superuser.');
        }
        const passwordHash = await hashPassword(body.password);
        try {
          return await transaction(async (tx) => {
            await assertCanGrantRole(tx, principal, tenantId, body.role);
            const row = await insertUser(tx, {
              id: newId('usr'),
              tenant_id: tenantId,
              email: body.email,
              name: body.name,
              role: body.role,
              superuser: body.superuser,
              password_hash: passwordHash,
            });
            audit.target(row.id, { email: row.email, role: row.role, superuser: row.superuser });
            return presentUser(row);
          });
        } catch (error) {
          if (isUniqueViolation(error))
            throw new ApiError('already_exists', `A user with email ${body.email} already exists.`);
          throw error;
        }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/users',
      operationId: 'listUsers',
      summary: 'List users, newest first',
      tags: ['Users'],
      access: { capability: 'view_users' },
      schema: { querystring: pageQuery, response: { 200: page(userSchema) } },
      async handler({ query, tenantId }) {
        const rows = await listUsers(db, tenantId, { limit: query.limit, afterId: decodeCursor(query.cursor)?.id });
        return toPage(rows, query.limit, presentUser);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/users/:id',
      operationId: 'getUser',
      summary: 'Get a user',
      tags: ['Users'],
      access: { capability: 'view_users' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 200: userSchema } },
      async handler({ params, tenantId }) {
        const row = await getUser(db, tenantId, params.id);
        if (!row) throw notFound('User', params.id);
        return presentUser(row);
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/users/:id',
      operationId: 'updateUser',
      summary: 'Change a user’s name, role or password, or disable them',
      description: 'Changing the role or password, or disabling, signs the user out everywhere.',
      tags: ['Users'],
      access: { capability: 'manage_users' },
      audit: { action: 'user.update', targetType: 'user' },
      errors: ['not_found', 'conflict', 'privilege_escalation', 'malformed_json', 'body_too_large'],
      schema: {
        params: idParams,
        body: z.strictObject({
          name: z.string().trim().max(200).optional(),
          role: z.string().min(1).max(100).optional(),
          password: password.optional(),
          disabled: z.boolean().optional(),
        }),
        response: { 200: userSchema },
      },
      async handler({ params, body, principal, tenantId, transaction, audit }) {
        if (params.id === principal.id && (body.role !== undefined || body.disabled)) {
          throw new ApiError(
            'conflict',
            'You cannot change your own role or disable yourself; ask another administrator.',
          );
        }
        const passwordHash = body.password ? await hashPassword(body.password) : undefined;
        return transaction(async (tx) => {
          const before = await getUser(tx, tenantId, params.id);
          if (!before) throw notFound('User', params.id);
          await assertCanManageUser(tx, principal, tenantId, before);
          if (body.role !== undefined) await assertCanGrantRole(tx, principal, tenantId, body.role);
          const row = await updateUser(tx, tenantId, params.id, {
            ...body,
            ...(passwordHash ? { password_hash: passwordHash } : {}),
          });
          if (!row) throw notFound('User', params.id);
          if (body.role !== undefined || body.password !== undefined || body.disabled) {
            await deleteSessionsOfUser(tx, row.id);
            await auth.invalidate(tx);
          }
          audit.target(row.id, changes(before, row, body.password !== undefined));
          return presentUser(row);
        });
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/users/:id',
      operationId: 'deleteUser',
      summary: 'Remove a user (their sessions end at once)',
      tags: ['Users'],
      access: { capability: 'manage_users' },
      audit: { action: 'user.delete', targetType: 'user' },
      errors: ['not_found', 'conflict', 'privilege_escalation'],
      schema: { params: idParams, response: { 204: z.undefined() } },
      async handler({ params, principal, tenantId, transaction, audit }) {
        if (params.id === principal.id) throw new ApiError('conflict', 'You cannot remove yourself.');
        await transaction(async (tx) => {
          const before = await getUser(tx, tenantId, params.id);
          if (!before) throw notFound('User', params.id);
          await assertCanManageUser(tx, principal, tenantId, before);
          await deleteUser(tx, tenantId, params.id);
          await auth.invalidate(tx);
          audit.target(before.id, { email: before.email });
        });
      },
    }),
  ];
}

/**
 * Changing a user is acting with their authority: whoever sets their password can sign in as them. So the caller
 * must hold every capability the user holds, as for granting a role (otherwise a custom role with manage_users
 * could reset an Administrator's password and take the account over).
 */
async function assertCanManageUser(q: Queryable, principal: Principal, tenantId: string, user: UserRow) {
  if (user.superuser && !principal.superuser) {
    throw new ApiError('privilege_escalation', 'Only a superuser can change or remove a superuser.');
  }
  const held = await roleCapabilities(q, tenantId, user.role);
  const missing = held.filter((c) => !principal.capabilities.has(c));
  if (missing.length > 0) {
    throw new ApiError(
      'privilege_escalation',
      `This user holds capabilities you do not (${missing.join(', ')}); only someone holding them can change or remove them.`,
      { missing_capabilities: missing },
    );
  }
}

function changes(before: UserRow, after: UserRow, passwordChanged: boolean): Record<string, unknown> {
  const diff: Record<string, unknown> = {};
  for (const field of ['name', 'role'] as const) {
    if (before[field] !== after[field]) diff[field] = { from: before[field], to: after[field] };
  }
  if ((before.disabled_at === null) !== (after.disabled_at === null)) {
    diff.disabled = { from: before.disabled_at !== null, to: after.disabled_at !== null };
  }
  if (passwordChanged) diff.password = 'changed';
  return diff;
}
