import { z } from 'zod';
import type { Queryable } from '../../core/db/port.js';
import { iso, isoRequired, timestamp } from '../../core/http/schemas.js';
import { newId, randomToken, sha256Hex } from '../../core/ids.js';
import { API_KEY_PREFIX } from '../authenticate.js';
import { insertApiKey, type ApiKeyRow } from './sql.js';

export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().describe('The visible start of the token, to recognise it'),
    role: z.string(),
    superuser: z.boolean(),
    status: z.enum(['active', 'expired', 'revoked']),
    rate_limit_per_minute: z.number().int().nullable(),
    expires_at: timestamp.nullable(),
    last_used_at: timestamp.nullable(),
    revoked_at: timestamp.nullable(),
    created_by: z.string().nullable(),
    created_at: timestamp,
  })
  .meta({ id: 'ApiKey', description: 'An API key. The token is shown once, at creation; only its hash is stored.' });

export function presentApiKey(row: ApiKeyRow, now: Date): z.input<typeof apiKeySchema> {
  const status = row.revoked_at ? 'revoked' : row.expires_at && row.expires_at <= now ? 'expired' : 'active';
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    superuser: row.superuser,
    status,
    rate_limit_per_minute: row.rate_limit_per_minute,
    expires_at: iso(row.expires_at),
    last_used_at: iso(row.last_used_at),
    revoked_at: iso(row.revoked_at),
    created_by: row.created_by,
    created_at: isoRequired(row.created_at),
  };
}

/** Mint a key: the token is returned once and only its SHA-256 is stored. */
export async function issueApiKey(
  q: Queryable,
  input: {
    tenantId: string;
    name: string;
    role: string;
    superuser?: boolean;
    expiresAt?: Date | null;
    rateLimitPerMinute?: number | null;
    createdBy?: string | null;
    token?: string;
  },
): Promise<{ row: ApiKeyRow; token: string }> {
  const token = input.token ?? randomToken(API_KEY_PREFIX);
  const row = await insertApiKey(q, {
    id: newId('key'),
    tenant_id: input.tenantId,
    name: input.name,
    prefix: token.startsWith(API_KEY_PREFIX) ? token.slice(0, 12) : token.slice(0, 4),
    token_hash: sha256Hex(token),
    role: input.role,
    superuser: input.superuser ?? false,
    rate_limit_per_minute: input.rateLimitPerMinute ?? null,
    expires_at: input.expiresAt ?? null,
    created_by: input.createdBy ?? null,
  });
  return { row, token };
}
