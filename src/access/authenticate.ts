import { fastifyCookie } from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../core/clock.js';
import { channels } from '../core/db/channels.js';
import type { Db, Queryable } from '../core/db/port.js';
import { ApiError } from '../core/errors.js';
import { safeEqual, sha256Hex } from '../core/ids.js';
import { createNotifiedCache } from '../core/notified-cache.js';
import type { Principal } from '../core/principal.js';
import { findApiKeyByTokenHash, touchApiKey } from './api-keys/sql.js';
import { builtInRoles, isBuiltInRole, superuserCapabilities, tenantCapabilities } from './capabilities.js';
import { getRole } from './roles/sql.js';
import { findSessionByTokenHash } from './sessions/sql.js';
import { findTenant, getTenant } from './tenants/sql.js';
import { getUserById } from './users/sql.js';

export const SESSION_COOKIE = 'switchyard_session';
export const SESSION_TOKEN_PREFIX = 'sys_';
export const API_KEY_PREFIX = 'syk_';
const TENANT_HEADER = 'switchyard-tenant';

// A resolved credential is reused for a few seconds: authenticated reads then cost no database round trip.
// Every change that could alter a principal (revocation, role edits, user or tenant changes) clears the cache on
// every node through NOTIFY, so the TTL only bounds how long a *missed* notification can matter.
const CACHE_TTL_MS = 10_000;
const CACHE_MAX = 10_000;
const TOUCH_INTERVAL_MS = 60_000;

type Cached = { principal: Principal; expiresAt: number | null; csrfHash?: string };

export type Auth = ReturnType<typeof createAuth>;

export function createAuth(deps: { db: Db; clock: Clock; onError: (error: Error) => void }) {
  const { db, clock } = deps;
  // Keyed by the token itself: a hit then costs no hash. The cache lives in this process's memory, which already
  // holds the master key; a token in it exposes nothing a heap reader does not have.
  const cache = createNotifiedCache<Cached>(db, {
    channel: channels.authInvalidate,
    ttlMs: CACHE_TTL_MS,
    max: CACHE_MAX,
  });
  const lastTouch = new Map<string, number>();
  // The CSRF hash of the session a request authenticated with, kept per request rather than read back from the
  // cache, which another request may clear in between.
  const csrfOfRequest = new WeakMap<FastifyRequest, string>();

  async function capabilitiesFor(tenantId: string, role: string, superuser: boolean): Promise<Set<string>> {
    if (superuser) return new Set<string>([...tenantCapabilities, ...superuserCapabilities]);
    if (isBuiltInRole(role)) return new Set<string>(builtInRoles[role].capabilities);
    const custom = await getRole(db, tenantId, role);
    return new Set(custom?.capabilities ?? []);
  }

  async function resolveApiKey(tokenHash: string): Promise<Cached> {
    const key = await findApiKeyByTokenHash(db, tokenHash);
    if (!key) throw new ApiError('invalid_credentials', 'The API key is not valid.');
    if (key.revoked_at) throw new ApiError('invalid_credentials', `The API key ${key.prefix}… has been revoked.`);
    const tenant = await homeTenant(key.tenant_id, key.superuser);
    return {
      principal: {
        kind: 'api_key',
        id: key.id,
        label: `${key.name} (${key.prefix}…)`,
        tenantId: key.tenant_id,
        homeTenantId: key.tenant_id,
        tenant,
        role: key.role,
        capabilities: await capabilitiesFor(key.tenant_id, key.role, key.superuser),
        superuser: key.superuser,
        via: 'bearer',
        rateLimitPerMinute: key.rate_limit_per_minute,
      },
      expiresAt: key.expires_at ? key.expires_at.getTime() : null,
    };
  }

  async function resolveSession(tokenHash: string, via: 'bearer' | 'cookie'): Promise<Cached> {
    const session = await findSessionByTokenHash(db, tokenHash);
    if (!session) throw new ApiError('invalid_credentials', 'The session is not valid; sign in again.');
    const user = await getUserById(db, session.user_id);
    if (!user || user.disabled_at)
      throw new ApiError('invalid_credentials', 'The session is not valid; sign in again.');
    const tenant = await homeTenant(user.tenant_id, user.superuser);
    return {
      principal: {
        kind: 'user',
        id: user.id,
        label: user.email,
        tenantId: user.tenant_id,
        homeTenantId: user.tenant_id,
        tenant,
        role: user.role,
        capabilities: await capabilitiesFor(user.tenant_id, user.role, user.superuser),
        superuser: user.superuser,
        via,
        sessionId: session.id,
      },
      expiresAt: session.expires_at.getTime(),
      csrfHash: session.csrf_hash,
    };
  }

  /** The credential's tenant; refused when disabled (superusers keep access to run the platform). */
  async function homeTenant(tenantId: string, superuser: boolean): Promise<Principal['tenant']> {
    const tenant = await getTenant(db, tenantId);
    if (!tenant) throw new ApiError('invalid_credentials', 'The credential belongs to a tenant that no longer exists.');
    if (tenant.disabled_at && !superuser) {
      throw new ApiError('tenant_disabled', 'This tenant is disabled; contact the operator.');
    }
    return { name: tenant.name, slug: tenant.slug, features: tenant.features };
  }

  function credentialFrom(req: FastifyRequest): { token: string; via: 'bearer' | 'cookie' } | undefined {
    const header = req.headers.authorization;
    if (header !== undefined) {
      // `token` is a synonym of `Bearer`: GitHub's clients (Octokit, gh) send `token <t>` for anything that is not a
      // JWT, so an SDK pointed at the proxy authenticates with its own credential option. Schemes are
      // case-insensitive (RFC 9110 §11.1).
      const match = /^(?:Bearer|token)\s+(\S+)\s*$/i.exec(header);
      if (!match?.[1]) {
        throw new ApiError(
          'unauthenticated',
          'The Authorization header must be "Bearer <token>" (or "token <token>").',
        );
      }
      return { token: match[1], via: 'bearer' };
    }
    // Cookies are parsed here, only for requests without an Authorization header, rather than by a global hook
    // on every request (the cookie plugin is registered with `hook: false`).
    const cookies = req.headers.cookie;
    const cookie = cookies ? fastifyCookie.parse(cookies)[SESSION_COOKIE] : undefined;
    return cookie ? { token: cookie, via: 'cookie' } : undefined;
  }

  function touch(principal: Principal) {
    if (principal.kind !== 'api_key') return;
    const now = Date.now();
    if (now - (lastTouch.get(principal.id) ?? 0) < TOUCH_INTERVAL_MS) return;
    lastTouch.set(principal.id, now);
    touchApiKey(db, principal.id, clock.now()).catch(deps.onError);
  }

  function withTenantOverride(req: FastifyRequest, principal: Principal): Principal | Promise<Principal> {
    const wanted = req.headers[TENANT_HEADER];
    if (typeof wanted !== 'string' || wanted === '') return principal;
    // Naming one's own tenant, by id or by slug (what the CLI's --tenant sends), is harmless.
    if (wanted === principal.homeTenantId || wanted === principal.tenant.slug) return principal;
    if (!principal.superuser) {
      throw new ApiError('forbidden', `Only a superuser can act in another tenant (${TENANT_HEADER} header).`);
    }
    return findTenant(db, wanted).then((tenant) => {
      if (!tenant) throw new ApiError('not_found', `Tenant ${wanted} does not exist.`);
      return {
        ...principal,
        tenantId: tenant.id,
        tenant: { name: tenant.name, slug: tenant.slug, features: tenant.features },
      };
    });
  }

  function resolve(credential: { token: string; via: 'bearer' | 'cookie' }): Promise<Cached> {
    const tokenHash = sha256Hex(credential.token);
    const isSession = credential.token.startsWith(SESSION_TOKEN_PREFIX) || credential.via === 'cookie';
    return isSession ? resolveSession(tokenHash, credential.via) : resolveApiKey(tokenHash);
  }

  function admitted(req: FastifyRequest, credential: { via: 'bearer' | 'cookie' }, entry: Cached): Principal {
    if (entry.expiresAt !== null && entry.expiresAt <= clock.now().getTime()) {
      throw new ApiError(
        'token_expired',
        entry.principal.kind === 'user' ? 'The session has expired; sign in again.' : 'The API key has expired.',
      );
    }
    if (entry.csrfHash) csrfOfRequest.set(req, entry.csrfHash);
    const principal =
      entry.principal.via === credential.via ? entry.principal : { ...entry.principal, via: credential.via };
    touch(principal);
    return principal;
  }

  return {
    /**
     * The caller, or undefined when the request carries no credential. Synchronous when the credential is cached
     * (the common case); a promise when it has to be looked up. Throws ApiError for a bad credential.
     */
    authenticate(req: FastifyRequest): Principal | undefined | Promise<Principal> {
      const credential = credentialFrom(req);
      if (!credential) return undefined;
      const entry = cache.peek(credential.token);
      if (entry) return admitted(req, credential, entry.value);
      return cache.load(credential.token, () => resolve(credential)).then((fresh) => admitted(req, credential, fresh));
    },

    /**
     * The principal acting in the tenant the `Switchyard-Tenant` header names: superusers only. Separate from
     * `authenticate` so that a refused switch is still attributed to the caller (and audited as denied).
     */
    actInTenant: withTenantOverride,

    /** Double-submit check for cookie-authenticated writes: the X-CSRF-Token header must match the session's. */
    checkCsrf(req: FastifyRequest, principal: Principal): void {
      const header = req.headers['x-csrf-token'];
      const expected = csrfOfRequest.get(req);
      if (typeof header !== 'string' || !expected || !safeEqual(sha256Hex(header), expected) || !principal.sessionId) {
        throw new ApiError('csrf_failed', 'Cookie-authenticated writes need the X-CSRF-Token header from sign-in.');
      }
    },

    /** Forget cached principals here and, once `q` commits, on every other node. */
    invalidate: (q: Queryable): Promise<void> => cache.invalidate(q),

    capabilitiesFor,

    start: cache.start,
    stop: cache.stop,
  };
}
