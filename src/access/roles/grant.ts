import type { Queryable } from '../../core/db/port.js';
import { ApiError } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import { builtInRoles, isBuiltInRole } from '../capabilities.js';
import { getRole } from './sql.js';

/** The capabilities of a role in a tenant; a 400 when the role does not exist there. */
export async function roleCapabilities(q: Queryable, tenantId: string, role: string): Promise<readonly string[]> {
  if (isBuiltInRole(role)) return builtInRoles[role].capabilities;
  const custom = await getRole(q, tenantId, role);
  if (!custom) {
    throw new ApiError('validation_failed', `Role ${role} does not exist in this tenant.`, {
      errors: [{ path: 'body.role', message: 'unknown role: use administrator, editor, viewer or a custom role id' }],
    });
  }
  return custom.capabilities;
}

/**
 * Nobody grants more than they hold: a user or key can only be given a role whose capabilities the caller has
 * (otherwise an Editor with manage_users could mint an Administrator).
 */
export async function assertCanGrantRole(
  q: Queryable,
  principal: Principal,
  tenantId: string,
  role: string,
): Promise<void> {
  const wanted = await roleCapabilities(q, tenantId, role);
  assertCanGrant(principal, wanted);
}

export function assertCanGrant(principal: Principal, capabilities: readonly string[]): void {
  const missing = capabilities.filter((c) => !principal.capabilities.has(c));
  if (missing.length > 0) {
    throw new ApiError(
      'privilege_escalation',
      `You cannot grant capabilities you do not hold: ${missing.join(', ')}.`,
      {
        missing_capabilities: missing,
      },
    );
  }
}
