import { z } from 'zod';
import type { Auth } from '../access/authenticate.js';
import type { Registry } from '../catalog/registry.js';
import { assertConnectorCapability, connectorFor } from '../connections/connector-access.js';
import {
  connectionIdForKey,
  endUserSchema,
  metadataSchema,
  normalEndUser,
  normalTags,
  tagsSchema,
} from '../connections/identity.js';
import { getConnection } from '../connections/sql.js';
import type { Queryable } from '../core/db/port.js';
import { ApiError, notFound } from '../core/errors.js';
import { newId, randomToken, sha256Hex } from '../core/ids.js';
import type { Principal } from '../core/principal.js';
import { principalOfFlow } from '../oauth/flows/actor.js';
import { insertSession, sessionByTokenHash, type ConnectSessionRow, type SessionConnector } from './sql.js';

/**
 * A connect session lets one end user of a product connect their accounts through the hosted Connect UI, holding
 * nothing but the session's token. The product's backend makes it (`create_connect_session`) naming the end user,
 * the connectors (and scopes) they may choose, what to put on the connection, the origins that may embed the UI and
 * an expiry (30 minutes by default). The session acts with its maker's authority, limited to those connectors: if the
 * maker loses it (a key revoked, a role changed), the session stops working. It is used up by the connection it
 * makes or reconnects.
 */

export const DEFAULT_SESSION_SECONDS = 30 * 60;
export const MAX_SESSION_SECONDS = 24 * 60 * 60;
/** The header the Connect UI sends the token in (never a cookie: the UI runs framed on another site). */
export const SESSION_HEADER = 'switchyard-connect-session';

const origin = z
  .string()
  .max(300)
  .refine((value) => {
    try {
      const url = new URL(value);
      return /^https?:$/.test(url.protocol) && url.origin === value;
    } catch {
      return false;
    }
  }, 'an origin: scheme, host and port only, e.g. https://app.example.com');

export const createSessionBody = z.strictObject({
  end_user: endUserSchema,
  connectors: z
    .array(
      z.strictObject({
        connector: z.string().min(1).max(100),
        scopes: z
          .array(z.string().min(1).max(200))
          .max(100)
          .optional()
          .describe('OAuth: the scopes to ask for (the manifest’s defaults otherwise)'),
        config: z
          .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
          .optional()
          .describe(
            'Config fields you set (the end user cannot change them). For OAuth, the fields that decide where ' +
              'the OAuth app’s secret is sent (a subdomain in the token URL) must be set here',
          ),
      }),
    )
    .min(1)
    .max(100)
    .optional()
    .describe('The connectors the end user may choose; every connectable one the session’s maker may create otherwise'),
  tags: tagsSchema.optional().describe('Put on the connection the session makes'),
  metadata: metadataSchema.optional().describe('Put on the connection the session makes'),
  allowed_origins: z
    .array(origin)
    .min(1)
    .max(20)
    .describe('The origins of your pages that may embed the Connect UI (iframe) or open it (popup)'),
  expires_in: z
    .number()
    .int()
    .min(60)
    .max(MAX_SESSION_SECONDS)
    .default(DEFAULT_SESSION_SECONDS)
    .describe('Seconds until the session ends (30 minutes by default, a day at most)'),
  branding: z
    .strictObject({
      name: z.string().max(100).optional().describe('Your product’s name, shown to the end user'),
      logo_url: z
        .url({ protocol: /^https?$/ })
        .max(2000)
        .optional(),
      primary_color: z
        .string()
        .regex(/^#[0-9a-fA-F]{6}$/, 'a colour as #rrggbb')
        .optional(),
    })
    .optional(),
  reconnect: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('A connection (id or key) of this end user to renew: the UI opens on it'),
});

export type CreateSessionInput = z.output<typeof createSessionBody>;

export type CreatedSession = { row: ConnectSessionRow; token: string; url: string };

export async function createSession(
  deps: { registry: Registry; publicUrl: string },
  q: Queryable,
  principal: Principal,
  input: CreateSessionInput,
): Promise<CreatedSession> {
  if (!principal.capabilities.has('create_connection')) {
    throw new ApiError(
      'forbidden',
      'A connect session creates connections with its maker’s authority, which lacks "create_connection".',
      { missing_capability: 'create_connection' },
    );
  }
  const connectors = input.connectors ?? (await everyConnectable(deps.registry, principal));
  for (const [i, c] of connectors.entries()) {
    const { manifest } = await connectorFor(deps.registry, c.connector, 'create').catch((error: unknown) => {
      if (error instanceof ApiError) {
        throw new ApiError('validation_failed', `connectors[${i}]: ${error.detail}`, {
          errors: [{ path: `body.connectors.${i}.connector`, message: error.detail }],
        });
      }
      throw error;
    });
    assertConnectorCapability(principal, manifest);
  }
  const end_user = normalEndUser(input.end_user) as NonNullable<ReturnType<typeof normalEndUser>>;
  const reconnect = input.reconnect ? await reconnectTarget(q, principal.tenantId, input.reconnect, end_user.id) : null;
  if (reconnect && !connectors.some((c) => c.connector === reconnect.connector_slug)) {
    connectors.push({ connector: reconnect.connector_slug });
  }
  const token = randomToken('cs_');
  const row = await insertSession(q, {
    id: newId('cs'),
    tenant_id: principal.tenantId,
    token_hash: sha256Hex(token),
    principal_type: principal.kind,
    principal_id: principal.id,
    end_user,
    connectors,
    tags: normalTags(input.tags),
    metadata: input.metadata ?? {},
    allowed_origins: [...new Set(input.allowed_origins)],
    branding: input.branding ?? {},
    reconnect_connection_id: reconnect?.id ?? null,
    expiresInSeconds: input.expires_in,
  });
  return { row, token, url: `${deps.publicUrl}/connect?${new URLSearchParams({ session: token })}` };
}

async function everyConnectable(registry: Registry, principal: Principal): Promise<SessionConnector[]> {
  const rows = await registry.list();
  return rows
    .filter((r) => !r.retired_at && (r.availability === 'active' || r.availability === 'deprecated'))
    .filter((r) => r.manifest.base_url || r.manifest.auth.some((a) => a.type !== 'none'))
    .filter((r) => !r.manifest.requires_capability || principal.capabilities.has(r.manifest.requires_capability))
    .map((r) => ({ connector: r.slug }));
}

async function reconnectTarget(q: Queryable, tenantId: string, idOrKey: string, endUserId: string) {
  const id = idOrKey.startsWith('conn_') ? idOrKey : await connectionIdForKey(q, tenantId, idOrKey);
  const connection = id ? await getConnection(q, tenantId, id) : undefined;
  if (!connection) throw notFound('Connection', idOrKey);
  if (connection.end_user?.id !== endUserId) {
    throw new ApiError('validation_failed', 'The connection to reconnect belongs to another end user.', {
      errors: [{ path: 'body.reconnect', message: `not a connection of end user ${endUserId}` }],
    });
  }
  return connection;
}

/** Why a token cannot be used, in words for the end user (they see this on the Connect UI). */
function invalid(reason: 'unknown' | 'expired' | 'used', session?: ConnectSessionRow): ApiError {
  const detail = {
    unknown: 'This connect link is not valid. Go back to the app that sent you here and start again.',
    expired: 'This connect link has expired. Go back to the app that sent you here and start again.',
    used: 'This connect link was already used to connect an account. Go back to the app to connect another.',
  }[reason];
  // The product's name, so the page can say where to go back to (only for a session the token really names).
  const product = session?.branding.name;
  return new ApiError('connect_session_invalid', detail, {
    reason,
    ...(product ? { branding: { name: product } } : {}),
  });
}

export type ActiveSession = { session: ConnectSessionRow; principal: Principal };

/**
 * The session a token names, usable now, with its maker as they stand now (a revoked key or a disabled tenant ends
 * the session too).
 */
export async function sessionOfToken(
  q: Queryable,
  auth: Pick<Auth, 'capabilitiesFor'>,
  token: string | undefined,
  now: Date,
  options: { allowUsed?: boolean } = {},
): Promise<ActiveSession> {
  if (!token || !token.startsWith('cs_') || token.length > 200) throw invalid('unknown');
  const session = await sessionByTokenHash(q, sha256Hex(token));
  if (!session) throw invalid('unknown');
  if (session.used_at && !options.allowUsed) throw invalid('used', session);
  if (session.expires_at <= now) throw invalid('expired', session);
  const principal = await principalOfFlow(q, auth, session, now);
  if (!principal) throw invalid('unknown');
  return { session, principal };
}

/** The session's connectors: what the end user may choose, with the scopes it allows. */
export function allowedConnector(session: ConnectSessionRow, slug: string): SessionConnector {
  const found = session.connectors.find((c) => c.connector === slug);
  if (!found) {
    throw new ApiError('forbidden', `This connect session does not offer ${slug}.`, { connector: slug });
  }
  return found;
}

/**
 * The config a connection made through the session gets: the maker's fields, then the end user's for the rest. An
 * end user cannot change a field the maker set, nor, for OAuth, name a field that decides where the OAuth app's
 * secret goes (the token endpoint's host): the maker must set those.
 */
export function sessionConfig(
  allowed: SessionConnector,
  given: Record<string, string | number | boolean> | undefined,
  makerOnly: Set<string>,
): Record<string, string | number | boolean> {
  const pinned = allowed.config ?? {};
  for (const [key, value] of Object.entries(given ?? {})) {
    if (key in pinned ? pinned[key] !== value : makerOnly.has(key)) {
      throw new ApiError('forbidden', `The app sets "${key}" for this connector; it cannot be changed here.`, {
        errors: [{ path: `body.config.${key}`, message: 'set by the app that sent you here' }],
      });
    }
  }
  return { ...given, ...pinned };
}

/** What the product named for the connection the session makes. */
export const sessionIdentity = (session: ConnectSessionRow) => ({
  end_user: session.end_user,
  tags: session.tags,
  metadata: session.metadata,
  connect_session_id: session.id,
});

/** A connection the session's end user owns (for reconnect); not found otherwise, whatever the tenant holds. */
export async function endUserConnection(q: Queryable, session: ConnectSessionRow, id: string) {
  const connection = await getConnection(q, session.tenant_id, id);
  if (!connection || connection.end_user?.id !== session.end_user.id) throw notFound('Connection', id);
  allowedConnector(session, connection.connector_slug);
  return connection;
}

export function sessionStatus(session: ConnectSessionRow, now: Date): 'pending' | 'used' | 'expired' {
  if (session.used_at) return 'used';
  return session.expires_at <= now ? 'expired' : 'pending';
}
