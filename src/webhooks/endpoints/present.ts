import { z } from 'zod';
import { iso, isoRequired, timestamp } from '../../core/http/schemas.js';
import type { EndpointRow, EndpointSecretRow } from './sql.js';

export const endpointSecretSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['hmac', 'ed25519']),
    public_key: z.string().nullable().describe('The whpk_ public key receivers verify ed25519 signatures with'),
    created_at: timestamp,
    expires_at: timestamp.nullable().describe('Set by a rotation: the secret signs until then'),
  })
  .meta({ id: 'WebhookEndpointSecret', description: 'A signing secret, without its value.' });

export const endpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    event_types: z.array(z.string()).describe('Subscribed event types; empty means every type'),
    header_names: z
      .array(z.string())
      .describe('Custom headers sent with every delivery; their values are sealed and never returned'),
    rate_limit_per_second: z.number().int().nullable(),
    ordering: z.enum(['none', 'endpoint', 'key']),
    enabled: z.boolean(),
    disabled_reason: z.string().nullable(),
    filter: z.string().nullable().describe('The payload filter (SQL/JSON path condition); null: every event'),
    health: z
      .object({
        circuit: z
          .enum(['closed', 'open', 'half_open'])
          .describe('open: deliveries wait until the breaker lets a probe through; half_open: a probe is due'),
        consecutive_failures: z.number().int(),
        failing_since: timestamp.nullable().describe('Start of the current run of failures; null after a success'),
        circuit_open_until: timestamp.nullable(),
      })
      .meta({ id: 'WebhookEndpointHealth' }),
    secrets: z.array(endpointSecretSchema).describe('The secrets it signs with (those not expired)'),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'WebhookEndpoint', description: 'An outbound webhook endpoint.' });

/** A freshly minted secret: the only response that ever carries its value. */
export const newSecretSchema = endpointSecretSchema
  .extend({
    secret: z.string().describe('whsec_… (HMAC) or whsk_… (ed25519 private key). Shown once; store it now'),
  })
  .meta({ id: 'WebhookEndpointNewSecret' });

export function presentSecret(row: EndpointSecretRow): z.input<typeof endpointSecretSchema> {
  return {
    id: row.id,
    kind: row.kind,
    public_key: row.public_key,
    created_at: isoRequired(row.created_at),
    expires_at: iso(row.expires_at),
  };
}

function circuitState(row: EndpointRow, now: Date): 'closed' | 'open' | 'half_open' {
  if (!row.circuit_open_until) return 'closed';
  return row.circuit_open_until.getTime() > now.getTime() ? 'open' : 'half_open';
}

export function presentEndpoint(
  row: EndpointRow,
  secrets: EndpointSecretRow[],
  now: Date = new Date(),
): z.input<typeof endpointSchema> {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    event_types: row.event_types,
    header_names: row.header_names,
    rate_limit_per_second: row.rate_limit_per_second,
    ordering: row.ordering,
    enabled: row.enabled,
    disabled_reason: row.disabled_reason,
    filter: row.filter,
    health: {
      circuit: circuitState(row, now),
      consecutive_failures: row.consecutive_failures,
      failing_since: iso(row.failing_since),
      circuit_open_until: iso(row.circuit_open_until),
    },
    secrets: secrets.filter((s) => s.endpoint_id === row.id).map(presentSecret),
    created_at: isoRequired(row.created_at),
    updated_at: isoRequired(row.updated_at),
  };
}
