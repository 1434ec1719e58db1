import { z } from 'zod';
import { SUNSET_WARN_DAYS, sunsetsWithin } from '../catalog/manifest/freshness.js';
import type { ConnectorRow } from '../catalog/sql.js';
import { iso, isoRequired, timestamp } from '../core/http/schemas.js';
import { endUserSchema } from './identity.js';
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

export const connectionWarningSchema = z
  .object({
    code: z.enum(['connector_deprecated', 'connector_retired', 'vendor_sunset']),
    message: z.string(),
    what: z.string().optional().describe('vendor_sunset: what the vendor ends'),
    date: z.string().optional().describe('vendor_sunset: the day it ends (YYYY-MM-DD), perhaps already past'),
    replacement: z.string().nullable().optional().describe('vendor_sunset: what replaces it, when the vendor says'),
  })
  .meta({ id: 'ConnectionWarning', description: 'Something about the connector this connection should act on' });

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
    webhooks: z
      .object({
        receive_only: z
          .boolean()
          .describe(
            'The connector only receives webhooks (it has no HTTP API: no proxy, nothing for a test call to check); ' +
              'the connection is used through the URL of an inbound source made for it',
          ),
        last_event_at: timestamp
          .nullable()
          .describe(
            'When an inbound source of this connection last accepted a request (rejected ones do not count); null: ' +
              'none yet, so a receive-only connection is still waiting for its first event',
          ),
      })
      .nullable()
      .describe('Set when the connector declares inbound webhooks'),
    operator_of_record: z.string().nullable(),
    key: z
      .string()
      .nullable()
      .describe('Your own id for the connection (unique in the tenant), usable in place of `id`'),
    end_user: endUserSchema.nullable().describe('The end user it belongs to in your product'),
    tags: z.array(z.string()),
    metadata: z.record(z.string(), z.unknown()),
    connect_session_id: z.string().nullable().describe('The connect session it was made or reconnected through'),
    created_at: timestamp,
    updated_at: timestamp,
    warnings: z
      .array(connectionWarningSchema)
      .describe(
        `The connector is deprecated or retired, or the vendor ends something it uses within ${SUNSET_WARN_DAYS} days ` +
          '(or already has): `vendor_sunset` with what, date and replacement',
      ),
  })
  .meta({ id: 'Connection', description: 'A connection. Its credentials are sealed and never returned.' });

export type ConnectionOut = z.input<typeof connectionSchema>;

export type ConnectionWarning = z.input<typeof connectionWarningSchema>;

/** What a connection's connector warns of on the day of `now`: deprecation, retirement, vendor sunsets soon or past. */
export function connectionWarnings(connector: ConnectorRow | undefined, now: Date): ConnectionWarning[] {
  if (!connector) return [];
  const name = connector.manifest.name;
  const warnings: ConnectionWarning[] = [];
  if (connector.availability === 'deprecated') {
    warnings.push({
      code: 'connector_deprecated',
      message: `${name} is deprecated; plan to move to another connector.`,
    });
  }
  if (connector.retired_at) {
    warnings.push({
      code: 'connector_retired',
      message: `${name} has been retired; existing connections keep working for now.`,
    });
  }
  for (const s of sunsetsWithin(connector.manifest, now, SUNSET_WARN_DAYS)) {
    const past = s.date < now.toISOString().slice(0, 10);
    warnings.push({
      code: 'vendor_sunset',
      message:
        `${name}: ${s.what} ${past ? 'ended' : 'ends'} on ${s.date}` +
        (s.replacement ? `; the replacement is ${s.replacement}.` : '.'),
      what: s.what,
      date: s.date,
      replacement: s.replacement ?? null,
    });
  }
  return warnings;
}

export function presentConnection(
  row: ConnectionRow,
  connector: ConnectorRow | undefined,
  now: Date,
  lastInboundEventAt: Date | null,
): ConnectionOut {
  const manifest = connector?.manifest;
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
    webhooks: manifest?.webhooks ? { receive_only: !manifest.base_url, last_event_at: iso(lastInboundEventAt) } : null,
    operator_of_record: row.operator_of_record,
    key: row.key,
    end_user: row.end_user,
    tags: row.tags,
    metadata: row.metadata,
    connect_session_id: row.connect_session_id,
    created_at: isoRequired(row.created_at),
    updated_at: isoRequired(row.updated_at),
    warnings: connectionWarnings(connector, now),
  };
}

/** The scopes asked for that were not granted (an app-level OAuth connection's; users' credentials have their own). */
export function missingScopes(row: Pick<ConnectionRow, 'scopes_requested' | 'scopes_granted'>): string[] {
  const granted = new Set(row.scopes_granted);
  return row.scopes_requested.filter((scope) => !granted.has(scope));
}
