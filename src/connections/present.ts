import { z } from 'zod';
import type { ConnectorRow } from '../catalog/sql.js';
import { iso, isoRequired, timestamp } from '../core/http/schemas.js';
import { connectionStates, type ConnectionRow } from './sql.js';

export const testOutcomeSchema = z
  .object({
    outcome: z
      .enum([
        'connected',
        'connected_limited',
        'unverified',
        'credential_expired',
        'credential_revoked',
        'scope_insufficient',
        'vendor_error',
        'network_error',
      ])
      .describe(
        'connected_limited: the credential works but the test call met a limit (a restricted key), `message` says ' +
          'what; unverified: the vendor cannot validate a credential, `message` says why. Both leave the ' +
          'connection active',
      ),
    account_id: z.string().nullable().optional(),
    account_name: z.string().nullable().optional(),
    status: z.number().int().nullable().optional(),
    missing_scopes: z.array(z.string()).optional(),
    vendor_code: z.string().nullable().optional(),
    message: z.string().optional(),
  })
  .meta({ id: 'TestOutcome', description: 'What the connector’s test call found' });

export const connectionSchema = z
  .object({
    id: z.string(),
    connector: z.object({ slug: z.string(), name: z.string(), category: z.string() }),
    name: z.string(),
    description: z.string(),
    config: z
      .record(z.string(), z.unknown())
      .describe('Non-secret configuration; secret references are shown as written'),
    auth_method: z.string(),
    credential_source: z.enum(['tenant', 'system']),
    level: z.enum(['app', 'user']),
    state: z.enum(connectionStates),
    state_reason: z.string().nullable(),
    vendor_account_id: z.string().nullable(),
    vendor_account_name: z.string().nullable(),
    scopes_granted: z.array(z.string()),
    missing_scopes: z
      .array(z.string())
      .describe(
        'OAuth: scopes the connection asks for that the vendor did not grant (partial consent); calls needing one ' +
          'are refused with `scope_insufficient`. Empty when everything asked for was granted',
      ),
    last_test_at: timestamp.nullable(),
    last_test_outcome: testOutcomeSchema.nullable(),
    last_delivery_at: timestamp.nullable(),
    operator_of_record: z.string().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
    warnings: z.array(z.string()).optional(),
  })
  .meta({ id: 'Connection', description: 'A connection. Its credentials are sealed and never returned.' });

export type ConnectionOut = z.input<typeof connectionSchema>;

export function presentConnection(
  row: ConnectionRow,
  connector: ConnectorRow | undefined,
  warnings?: string[],
): ConnectionOut {
  return {
    id: row.id,
    connector: {
      slug: row.connector_slug,
      name: connector?.manifest.name ?? row.connector_slug,
      category: connector?.manifest.category ?? 'Generic',
    },
    name: row.name,
    description: row.description,
    config: row.config,
    auth_method: row.auth_method,
    credential_source: row.credential_source,
    level: row.level,
    state: row.state,
    state_reason: row.state_reason,
    vendor_account_id: row.vendor_account_id,
    vendor_account_name: row.vendor_account_name,
    scopes_granted: row.scopes_granted,
    missing_scopes: missingScopes(row),
    last_test_at: iso(row.last_test_at),
    last_test_outcome: row.last_test_outcome as ConnectionOut['last_test_outcome'],
    last_delivery_at: iso(row.last_delivery_at),
    operator_of_record: row.operator_of_record,
    created_at: isoRequired(row.created_at),
    updated_at: isoRequired(row.updated_at),
    ...(warnings && warnings.length ? { warnings } : {}),
  };
}

/** The scopes asked for that were not granted (an app-level OAuth connection's; users' credentials have their own). */
export function missingScopes(row: Pick<ConnectionRow, 'scopes_requested' | 'scopes_granted'>): string[] {
  const granted = new Set(row.scopes_granted);
  return row.scopes_requested.filter((scope) => !granted.has(scope));
}
