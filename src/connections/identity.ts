import { z } from 'zod';
import type { Queryable } from '../core/db/port.js';
import type { RouteDef } from '../core/http/route.js';
import { sha256Hex } from '../core/ids.js';

/**
 * Whom a connection belongs to in the product that embeds Switchyard: a key the product chose (its own id for the
 * connection, unique per tenant), the end user, tags to filter by and free-form metadata. Set at creation (by the
 * API or a connect session); tags and metadata may be edited later, the key and end user may not.
 */

export const connectionKey = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]*$/, 'letters, digits and . _ : @ - (starting with a letter or digit)')
  .refine((key) => !key.startsWith('conn_'), 'must not start with conn_ (Switchyard’s own ids do)')
  .describe(
    'Your own id for the connection, unique in the tenant: every `/v1/connections/{id}` route takes it in place of ' +
      'the id. A create repeated with the same key answers the connection it made',
  );

export const endUserSchema = z
  .object({
    id: z.string().min(1).max(200).describe('The end user’s id in your product'),
    email: z.email().max(320).nullish(),
    display_name: z.string().max(200).nullish(),
    organization: z
      .object({ id: z.string().min(1).max(200), name: z.string().max(200).nullish() })
      .nullish()
      .describe('The end user’s organisation (account, workspace) in your product'),
  })
  .meta({ id: 'EndUser', description: 'The person in the embedding product a connection belongs to' });

export type EndUser = z.output<typeof endUserSchema>;

export const tagsSchema = z
  .array(
    z
      .string()
      .min(1)
      .max(100)
      .regex(/^[^,\s][^,]*$/, 'no commas, no leading space'),
  )
  .max(50);

export const metadataSchema = z
  .record(z.string(), z.unknown())
  .refine((m) => JSON.stringify(m).length <= 16_384, 'at most 16 KiB as JSON')
  .describe('Free-form JSON for your own use (at most 16 KiB); never secret, shown as written');

export type ConnectionIdentity = {
  key?: string | null | undefined;
  end_user?: EndUser | null | undefined;
  tags?: string[] | undefined;
  metadata?: Record<string, unknown> | undefined;
  connect_session_id?: string | null | undefined;
  /** What a repeated create with the same key must match to answer the first one (see fingerprintOf). */
  create_fingerprint?: string | null | undefined;
};

/** End user fields as stored: absent optional fields are null, so equal users compare equal. */
export function normalEndUser(user: EndUser | null | undefined): EndUser | null {
  if (!user) return null;
  return {
    id: user.id,
    email: user.email ?? null,
    display_name: user.display_name ?? null,
    organization: user.organization ? { id: user.organization.id, name: user.organization.name ?? null } : null,
  };
}

/** Tags as stored: trimmed, unique, sorted, so a filter and a repeated create see one form. */
export const normalTags = (tags: string[] | undefined): string[] =>
  [...new Set((tags ?? []).map((t) => t.trim()))].sort();

/**
 * A create request's identity as a hash, for idempotent creation: a repeat with the same key and the same
 * connector, auth method, config, end user, tags and metadata answers the connection made the first time.
 * Credentials are not part of it (they are never kept in clear, and a hash of a short password could be guessed).
 */
export function fingerprintOf(input: Record<string, unknown>): string {
  return sha256Hex(JSON.stringify(sortKeys(input)));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export async function connectionIdForKey(q: Queryable, tenantId: string, key: string): Promise<string | undefined> {
  const { rows } = await q.query<{ id: string }>('select id from connections where tenant_id = $1 and key = $2', [
    tenantId,
    key,
  ]);
  return rows[0]?.id;
}

/**
 * Every route under `/v1/connections/:id` takes the connection's key in place of its id: the key is looked up in
 * the caller's tenant and the handler sees the id (an unknown key stays as it is, and the handler answers 404 as
 * for an unknown id). Ids start with `conn_`, which keys may not, so the two never meet.
 */
export function withConnectionKeys(db: Queryable, routes: RouteDef[]): RouteDef[] {
  return routes.map((route) => {
    if (!route.url.startsWith('/v1/connections/:id')) return route;
    const handler = route.handler;
    return {
      ...route,
      // An id passes straight through (the proxy's hot path pays no extra promise); a key costs one indexed lookup.
      handler: (call) => {
        const params = call.params as { id: string };
        if (params.id.startsWith('conn_')) return handler(call);
        return connectionIdForKey(db, call.tenantId, params.id).then((id) => {
          if (id) params.id = id;
          return handler(call);
        });
      },
    };
  });
}
