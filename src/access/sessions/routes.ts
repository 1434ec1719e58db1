import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../core/db/port.js';
import { ApiError } from '../../core/errors.js';
import { defineRoute } from '../../core/http/route.js';
import { isoRequired, timestamp } from '../../core/http/schemas.js';
import { newId, randomToken, sha256Hex } from '../../core/ids.js';
import type { Principal } from '../../core/principal.js';
import { SESSION_COOKIE, SESSION_TOKEN_PREFIX, type Auth } from '../authenticate.js';
import { getTenant } from '../tenants/sql.js';
import { decoyHash, verifyPassword } from '../users/password.js';
import { presentUser, userSchema } from '../users/present.js';
import { findUserForSignIn, recordSignIn } from '../users/sql.js';
import { createSignInLockout } from './lockout.js';
import { deleteSession, insertSession } from './sql.js';

export const CSRF_COOKIE = 'switchyard_csrf';

const tenantSchema = z.object({ id: z.string(), name: z.string(), slug: z.string() });
const actingTenantSchema = tenantSchema.extend({
  features: z.array(z.string()).describe('What the tenant’s subscription turns on: financial_data, provider_routing'),
});

const meSchema = z
  .object({
    kind: z.enum(['api_key', 'user']),
    id: z.string(),
    label: z.string(),
    role: z.string(),
    superuser: z.boolean(),
    capabilities: z.array(z.string()),
    tenant: actingTenantSchema,
    home_tenant_id: z.string(),
  })
  .meta({ id: 'Me', description: 'The caller: identity, role, capabilities and the tenant the request acts in' });

export function sessionRoutes(deps: {
  db: Db;
  clock: Clock;
  auth: Auth;
  sessionTtlMs: number;
  secureCookies: boolean;
}) {
  const { db, clock, auth } = deps;
  const lockout = createSignInLockout();

  return [
    defineRoute({
      method: 'POST',
      url: '/v1/sessions',
      operationId: 'signIn',
      summary: 'Sign in with email and password',
      description:
        'Sets an httpOnly session cookie and a readable CSRF cookie; cookie-authenticated writes must echo the CSRF ' +
        'token in `X-CSRF-Token`. With `return_token: true` the session token is also returned for bearer use (CLI).',
      tags: ['Sessions'],
      access: 'public',
      publicReason: 'Signing in is how a user obtains credentials.',
      audit: { action: 'session.create', targetType: 'user' },
      errors: ['invalid_credentials', 'rate_limited', 'tenant_disabled', 'malformed_json'],
      schema: {
        body: z.strictObject({
          email: z.string().min(3).max(254),
          password: z.string().min(1).max(200),
          return_token: z.boolean().default(false),
        }),
        response: {
          201: z
            .object({
              user: userSchema,
              tenant: tenantSchema,
              csrf_token: z.string(),
              expires_at: timestamp,
              token: z.string().optional(),
            })
            .meta({ id: 'Session' }),
        },
      },
      async handler({ req, body, reply, transaction, audit }) {
        const email = body.email.trim().toLowerCase();
        const wait = lockout.retryAfter(email, req.ip);
        if (wait > 0) {
          throw new ApiError(
            'rate_limited',
            `Too many failed sign-ins for this account; try again in ${Math.ceil(wait / 60)} minute(s).`,
            {},
            { 'retry-after': String(wait) },
          );
        }
        const user = await findUserForSignIn(db, email);
        const ok = await verifyPassword(body.password, user?.password_hash ?? (await decoyHash()));
        if (!user || !ok || user.disabled_at) {
          lockout.fail(email, req.ip);
          if (user) audit.actAs(principalOf(user));
          throw new ApiError('invalid_credentials', 'The email or password is wrong.');
        }
        const tenant = await getTenant(db, user.tenant_id);
        if (!tenant || (tenant.disabled_at && !user.superuser))
          throw new ApiError('tenant_disabled', 'This tenant is disabled.');
        lockout.succeed(email, req.ip);

        const token = randomToken(SESSION_TOKEN_PREFIX);
        const csrf = randomToken('', 20);
        const expiresAt = new Date(clock.now().getTime() + deps.sessionTtlMs);
        audit.actAs(principalOf(user));
        await transaction(async (tx) => {
          await insertSession(tx, {
            id: newId('ses'),
            token_hash: sha256Hex(token),
            csrf_hash: sha256Hex(csrf),
            user_id: user.id,
            expires_at: expiresAt,
          });
          await recordSignIn(tx, user.id, clock.now());
          audit.target(user.id, {});
        });
        const cookie = { path: '/', sameSite: 'strict' as const, secure: deps.secureCookies, expires: expiresAt };
        reply.setCookie(SESSION_COOKIE, token, { ...cookie, httpOnly: true });
        reply.setCookie(CSRF_COOKIE, csrf, { ...cookie, httpOnly: false });
        return {
          user: presentUser(user),
          tenant: { id: tenant.id, name: tenant.name, slug: tenant.slug },
          csrf_token: csrf,
          expires_at: isoRequired(expiresAt),
          ...(body.return_token ? { token } : {}),
        };
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/sessions/current',
      operationId: 'signOut',
      summary: 'Sign out (ends the current session)',
      tags: ['Sessions'],
      access: 'authenticated',
      audit: { action: 'session.delete', targetType: 'user' },
      errors: ['conflict'],
      schema: { response: { 204: z.undefined() } },
      async handler({ principal, reply, transaction, audit }) {
        const sessionId = principal.sessionId;
        if (!sessionId) throw new ApiError('conflict', 'This request is authenticated with an API key, not a session.');
        await transaction(async (tx) => {
          await deleteSession(tx, sessionId);
          await auth.invalidate(tx);
          audit.target(principal.id, {});
        });
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        reply.clearCookie(CSRF_COOKIE, { path: '/' });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/me',
      operationId: 'getMe',
      summary: 'Who am I: identity, role, capabilities and tenant',
      tags: ['Sessions'],
      access: 'authenticated',
      schema: { response: { 200: meSchema } },
      // Answered from the authenticated principal alone: no database round trip.
      async handler({ principal }) {
        return {
          kind: principal.kind,
          id: principal.id,
          label: principal.label,
          role: principal.role,
          superuser: principal.superuser,
          capabilities: sortedCapabilities(principal.capabilities),
          tenant: { id: principal.tenantId, ...principal.tenant, features: [...principal.tenant.features] },
          home_tenant_id: principal.homeTenantId,
        };
      },
    }),
  ];
}

// Principals are cached with their capability set; sort each set once, not on every GET /v1/me.
const sorted = new WeakMap<ReadonlySet<string>, string[]>();
function sortedCapabilities(capabilities: ReadonlySet<string>): string[] {
  let list = sorted.get(capabilities);
  if (!list) {
    list = [...capabilities].sort();
    sorted.set(capabilities, list);
  }
  return list;
}

/** Enough of a principal to attribute a sign-in in the audit log. */
function principalOf(user: {
  id: string;
  email: string;
  tenant_id: string;
  role: string;
  superuser: boolean;
}): Principal {
  return {
    kind: 'user',
    id: user.id,
    label: user.email,
    tenantId: user.tenant_id,
    homeTenantId: user.tenant_id,
    tenant: { name: '', slug: '', features: [] },
    role: user.role,
    capabilities: new Set(),
    superuser: user.superuser,
    via: 'cookie',
  };
}
