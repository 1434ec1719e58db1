import { z } from 'zod';
import { iso, isoRequired, timestamp } from '../../core/http/schemas.js';
import type { UserRow } from './sql.js';

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.string(),
    superuser: z.boolean(),
    disabled: z.boolean(),
    last_login_at: timestamp.nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'User' });

export function presentUser(row: UserRow): z.input<typeof userSchema> {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    superuser: row.superuser,
    disabled: row.disabled_at !== null,
    last_login_at: iso(row.last_login_at),
    created_at: isoRequired(row.created_at),
    updated_at: isoRequired(row.updated_at),
  };
}
