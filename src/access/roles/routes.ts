import { z } from 'zod';
import type { Db } from '../../core/db/port.js';
import { isUniqueViolation } from '../../core/db/port.js';
import { ApiError, notFound } from '../../core/errors.js';
import { defineRoute } from '../../core/http/route.js';
import { idParams, iso } from '../../core/http/schemas.js';
import { newId } from '../../core/ids.js';
import { countActiveKeysWithRole } from '../api-keys/sql.js';
import type { Auth } from '../authenticate.js';
import {
  builtInRoleNames,
  builtInRoles,
  capabilityDescriptions,
  isBuiltInRole,
  superuserCapabilities,
  tenantCapabilities,
} from '../capabilities.js';
import { countUsersWithRole } from '../users/sql.js';
import { assertCanGrant } from './grant.js';
import { deleteRole, getRole, insertRole, listRoles, updateRole, type RoleRow } from './sql.js';

export const roleSchema = z
  .object({
    id: z.string().describe('administrator, editor, viewer, or a custom role id'),
    name: z.string(),
    description: z.string(),
    built_in: z.boolean(),
    capabilities: z.array(z.string()),
    created_at: z.string().nullable(),
  })
  .meta({ id: 'Role' });

const capabilityList = z
  .array(z.enum(tenantCapabilities))
  .max(tenantCapabilities.length)
  .transform((list) => [...new Set(list)].sort());

function presentCustom(row: RoleRow): z.input<typeof roleSchema> {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    built_in: false,
    capabilities: row.capabilities,
    created_at: iso(row.created_at),
  };
}

const builtIn = (): z.input<typeof roleSchema>[] =>
  builtInRoleNames.map((name) => ({
    id: name,
    name: name[0]?.toUpperCase() + name.slice(1),
    description: builtInRoles[name].description,
    built_in: true,
    capabilities: [...builtInRoles[name].capabilities],
    created_at: null,
  }));

export function roleRoutes(deps: { db: Db; auth: Auth }) {
  const { db, auth } = deps;
  const refuseBuiltIn = (id: string) => {
    if (isBuiltInRole(id))
      throw new ApiError('conflict', `The built-in role ${id} cannot be changed; create a custom role.`);
  };
  // A custom role named like a built-in one would be listed twice under one name in every role picker.
  const refuseBuiltInName = (name: string) => {
    if (isBuiltInRole(name.toLowerCase())) throw new ApiError('already_exists', `${name} is a built-in role.`);
  };
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/roles',
      operationId: 'listRoles',
      summary: 'List the built-in and custom roles with their capabilities',
      tags: ['Roles'],
      access: { capability: 'view_roles' },
      schema: { response: { 200: z.object({ data: z.array(roleSchema) }) } },
      async handler({ tenantId }) {
        return { data: [...builtIn(), ...(await listRoles(db, tenantId)).map(presentCustom)] };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/roles/capabilities',
      operationId: 'listCapabilities',
      summary: 'List every capability a role can hold',
      tags: ['Roles'],
      access: { capability: 'view_roles' },
      schema: {
        response: {
          200: z.object({
            data: z.array(z.object({ name: z.string(), description: z.string(), superuser_only: z.boolean() })),
          }),
        },
      },
      async handler() {
        return {
          data: [
            ...tenantCapabilities.map((name) => ({
              name,
              description: capabilityDescriptions[name],
              superuser_only: false,
            })),
            ...superuserCapabilities.map((name) => ({
              name,
              description: capabilityDescriptions[name],
              superuser_only: true,
            })),
          ],
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/roles/:id',
      operationId: 'getRole',
      summary: 'Get a role',
      tags: ['Roles'],
      access: { capability: 'view_roles' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 200: roleSchema } },
      async handler({ params, tenantId }) {
        const role = builtIn().find((r) => r.id === params.id);
        if (role) return role;
        const row = await getRole(db, tenantId, params.id);
        if (!row) throw notFound('Role', params.id);
        return presentCustom(row);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/roles',
      operationId: 'createRole',
      summary: 'Create a custom role',
      tags: ['Roles'],
      access: { capability: 'manage_roles' },
      audit: { action: 'role.create', targetType: 'role' },
      errors: ['already_exists', 'privilege_escalation', 'malformed_json', 'body_too_large'],
      schema: {
        body: z.strictObject({
          name: z.string().trim().min(1).max(100),
          description: z.string().max(500).default(''),
          capabilities: capabilityList,
        }),
        response: { 201: roleSchema },
      },
      async handler({ body, principal, tenantId, transaction, audit }) {
        assertCanGrant(principal, body.capabilities);
        refuseBuiltInName(body.name);
        try {
          return await transaction(async (tx) => {
            const row = await insertRole(tx, { id: newId('role'), tenant_id: tenantId, ...body });
            audit.target(row.id, { name: row.name, capabilities: row.capabilities });
            return presentCustom(row);
          });
        } catch (error) {
          if (isUniqueViolation(error))
            throw new ApiError('already_exists', `A role named ${body.name} already exists.`);
          throw error;
        }
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/roles/:id',
      operationId: 'updateRole',
      summary: 'Change a custom role (takes effect at once for its users and keys)',
      tags: ['Roles'],
      access: { capability: 'manage_roles' },
      audit: { action: 'role.update', targetType: 'role' },
      errors: ['not_found', 'conflict', 'already_exists', 'privilege_escalation', 'malformed_json'],
      schema: {
        params: idParams,
        body: z.strictObject({
          name: z.string().trim().min(1).max(100).optional(),
          description: z.string().max(500).optional(),
          capabilities: capabilityList.optional(),
        }),
        response: { 200: roleSchema },
      },
      async handler({ params, body, principal, tenantId, transaction, audit }) {
        refuseBuiltIn(params.id);
        if (body.name !== undefined) refuseBuiltInName(body.name);
        if (body.capabilities) assertCanGrant(principal, body.capabilities);
        try {
          return await transaction(async (tx) => {
            const before = await getRole(tx, tenantId, params.id);
            if (!before) throw notFound('Role', params.id);
            assertCanGrant(principal, before.capabilities);
            const row = await updateRole(tx, tenantId, params.id, body);
            if (!row) throw notFound('Role', params.id);
            await auth.invalidate(tx);
            audit.target(row.id, {
              ...(before.name !== row.name ? { name: { from: before.name, to: row.name } } : {}),
              ...(body.capabilities ? { capabilities: { from: before.capabilities, to: row.capabilities } } : {}),
            });
            return presentCustom(row);
          });
        } catch (error) {
          if (isUniqueViolation(error))
            throw new ApiError('already_exists', `A role named ${body.name} already exists.`);
          throw error;
        }
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/roles/:id',
      operationId: 'deleteRole',
      summary: 'Delete a custom role that no user or active key holds',
      tags: ['Roles'],
      access: { capability: 'manage_roles' },
      audit: { action: 'role.delete', targetType: 'role' },
      errors: ['not_found', 'conflict', 'in_use'],
      schema: { params: idParams, response: { 204: z.undefined() } },
      async handler({ params, tenantId, transaction, audit }) {
        refuseBuiltIn(params.id);
        await transaction(async (tx) => {
          const users = await countUsersWithRole(tx, tenantId, params.id);
          const keys = await countActiveKeysWithRole(tx, tenantId, params.id);
          if (users + keys > 0) {
            throw new ApiError(
              'in_use',
              `The role is held by ${users} user(s) and ${keys} active API key(s); reassign them first.`,
            );
          }
          const row = await deleteRole(tx, tenantId, params.id);
          if (!row) throw notFound('Role', params.id);
          await auth.invalidate(tx);
          audit.target(row.id, { name: row.name });
        });
      },
    }),
  ];
}
