import { z } from 'zod';
import { iso, isoRequired, timestamp } from '../../../core/http/schemas.js';
import { verificationSchemeSchema } from '../verify/index.js';
import { handshakeSchema, presentedRuleSchema, valueFromSchema } from './config.js';
import { presentRules } from './forward-headers.js';
import type { SourceRow, SourceSecretRow } from './sql.js';

export const sourceSecretSchema = z
  .object({
    id: z.string(),
    created_at: timestamp,
    expires_at: timestamp.nullable().describe('Set by a rotation: the secret is accepted until then'),
  })
  .meta({ id: 'InboundSourceSecret', description: 'A verification secret, without its value.' });

export const sourceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    connection_id: z.string().nullable().describe('The connection this source belongs to (deleted with it)'),
    url: z.string().describe('The public URL senders POST to; it is the credential that names this source'),
    previous_url_expires_at: timestamp
      .nullable()
      .describe('After a token rotation: the previous URL is still accepted until then'),
    verification: verificationSchemeSchema,
    dedup_key: valueFromSchema.nullable(),
    dedup_window_seconds: z.number().int(),
    event_type_from: valueFromSchema.nullable(),
    max_body_bytes: z.number().int(),
    content_types: z.array(z.string()),
    response_mode: z.enum(['async', 'sync']),
    sync_timeout_ms: z.number().int(),
    rules: z.array(presentedRuleSchema),
    enabled: z.boolean(),
    handshake: handshakeSchema.nullable(),
    secrets: z.array(sourceSecretSchema).describe('Secrets requests are verified with (those not expired)'),
    rejections: z
      .object({
        count: z.number().int(),
        last_at: timestamp.nullable(),
        last_reason: z.string().nullable(),
      })
      .describe('Requests refused (bad signature, stale timestamp, wrong IP, too large, …)'),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'InboundSource', description: 'An inbound webhook source: a public URL, its verification and rules.' });

export function hookUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/hooks/${token}`;
}

export function presentSource(
  row: SourceRow,
  token: string,
  publicUrl: string,
  secrets: SourceSecretRow[],
  now: Date = new Date(),
): z.input<typeof sourceSchema> {
  const previousLive = row.previous_token_expires_at && row.previous_token_expires_at.getTime() > now.getTime();
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    connection_id: row.connection_id,
    url: hookUrl(publicUrl, token),
    previous_url_expires_at: previousLive ? iso(row.previous_token_expires_at) : null,
    verification: row.verification,
    dedup_key: row.dedup_key,
    dedup_window_seconds: row.dedup_window_seconds,
    event_type_from: row.event_type_from,
    max_body_bytes: row.max_body_bytes,
    content_types: row.content_types,
    response_mode: row.response_mode,
    sync_timeout_ms: row.sync_timeout_ms,
    rules: presentRules(row.rules),
    enabled: row.enabled,
    handshake: row.handshake,
    secrets: secrets
      .filter((s) => s.source_id === row.id)
      .map((s) => ({ id: s.id, created_at: isoRequired(s.created_at), expires_at: iso(s.expires_at) })),
    rejections: {
      count: Number(row.rejected_count),
      last_at: iso(row.last_rejected_at),
      last_reason: row.last_rejection,
    },
    created_at: isoRequired(row.created_at),
    updated_at: isoRequired(row.updated_at),
  };
}
