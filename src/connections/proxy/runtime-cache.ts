import type { Dispatcher } from 'undici';
import type { AuthMethod } from '../../catalog/manifest/auth.js';
import type { Manifest, RateLimitHints } from '../../catalog/manifest/manifest.js';
import type { Registry } from '../../catalog/registry.js';
import { channels } from '../../core/db/channels.js';
import type { Db, Queryable } from '../../core/db/port.js';
import { ApiError, notFound } from '../../core/errors.js';
import { createNotifiedCache } from '../../core/notified-cache.js';
import type { Vault } from '../../vault/vault.js';
import { applyAuth } from '../auth/apply.js';
import { authMethodOf, connectorFor } from '../connector-access.js';
import { openConnectionCredentials, resolveRecord } from '../credentials.js';
import type { Outbound } from '../../core/net/http-client.js';
import { getConnection, type ConnectionRow } from '../sql.js';
import { render } from '../templates.js';

/** A base URL split for the proxy: `https://host:port`, its path without a trailing slash, its query. */
export type VendorBase = { origin: string; basePath: string; baseQuery: string };

/** What a proxied call needs to know about its connection, resolved once and reused. */
export type ConnectionRuntime = {
  tenantId: string;
  id: string;
  slug: string;
  name: string;
  state: ConnectionRow['state'];
  stateReason: string | null;
  /** The registry's manifest object this was resolved from: a different one means the registry changed. */
  manifest: Manifest;
  /** Absent for states that refuse every call (their credentials are not opened). */
  usable?: {
    auth: AuthMethod;
    config: Record<string, unknown>;
    credentials: Record<string, string>;
    /** `https://host:port`; the base URL's path without a trailing slash; its query (sent with every call). */
    origin: string;
    basePath: string;
    baseQuery: string;
    /** The manifest's other base URLs (another host of the same API), by name, split the same way. */
    otherBases: Record<string, VendorBase>;
    /**
     * Authentication that does not change from call to call (API key, basic, bearer, custom headers,
     * client certificate, an Azure SAS): its headers and query parameters, computed once. JWT, HMAC, AWS SigV4 and
     * Azure Shared Key sign each call.
     */
    fixedAuth?: { headers: Record<string, string>; query: [string, string][] };
    /** The manifest's constant headers (names lower-case), rendered with the config; sent on every call. */
    constantHeaders: Record<string, string>;
    /**
     * OAuth: the access token changes (refresh), so it is never frozen here; each call asks the refresher for the
     * current one — the app's credential, or at user level the caller's.
     */
    oauth?: { level: ConnectionRow['level'] };
    dispatcher: Dispatcher;
    rateLimit?: RateLimitHints;
  };
};

export const REFUSING_STATES: ReadonlySet<string> = new Set(['paused', 'auth_expired', 'auth_revoked']);
const PER_CALL_AUTH: ReadonlySet<string> = new Set(['jwt', 'hmac', 'aws_sigv4', 'azure_shared_key']);
const MAX_ENTRIES = 10_000;

type Deps = { db: Db; vault: Vault; registry: Registry; outbound: Outbound };
type Entry = { tenantId: string; value: Promise<ConnectionRuntime> };

/**
 * Connection runtimes cached per connection for `ttlMs` (default 30 s): resolving one costs several queries and
 * a decryption, too much for every proxied call. Every change to a connection (state, config, credentials,
 * deletion) NOTIFYs `channels.connectionChanged` with its id in the transaction that makes it, and every node
 * forgets the entry when it hears it; the TTL bounds what a lost notification (a listener reconnecting) or a rotated
 * tenant secret the config refers to can leave stale. Opened credentials stay in this process's memory for as long.
 */
export function createRuntimeCache(deps: Deps, options: { ttlMs?: number } = {}) {
  // The entry holds the load's promise from its start, so concurrent calls share one load.
  const cache = createNotifiedCache<Entry>(deps.db, {
    channel: channels.connectionChanged,
    ttlMs: options.ttlMs ?? 30_000,
    max: MAX_ENTRIES,
  });

  /** The runtime of a connection of `tenantId`; throws not_found for an id the tenant does not own. */
  function get(tenantId: string, id: string): Promise<ConnectionRuntime> {
    const entry = cache.peek(id)?.value;
    if (entry && entry.tenantId === tenantId) return entry.value;
    const value = load(deps, tenantId, id);
    // Ids are unique across tenants, so only the owner's load can succeed; another tenant's never displaces it.
    if (!entry) {
      const fresh: Entry = { tenantId, value };
      cache.set(id, fresh);
      value.catch(() => {
        if (cache.peek(id)?.value === fresh) cache.forget(id);
      });
    }
    return value;
  }

  return {
    get,
    /** Forget a connection here (this node's next call reloads it). */
    forget: cache.forget,
    /** Forget a connection here now, and on every node when `q` commits. */
    invalidate: (q: Queryable, id: string): Promise<void> => cache.invalidate(q, id),
    start: cache.start,
    stop: cache.stop,
  };
}

export type RuntimeCache = ReturnType<typeof createRuntimeCache>;

async function load(deps: Deps, tenantId: string, id: string): Promise<ConnectionRuntime> {
  const row = await getConnection(deps.db, tenantId, id);
  if (!row) throw notFound('Connection', id);
  const { manifest } = await connectorFor(deps.registry, row.connector_slug, 'use');
  const runtime: ConnectionRuntime = {
    tenantId,
    id,
    slug: row.connector_slug,
    name: row.name,
    state: row.state,
    stateReason: row.state_reason,
    manifest,
  };
  if (REFUSING_STATES.has(row.state)) return runtime;
  if (!manifest.base_url) {
    throw new ApiError('conflict', `${manifest.name} connections have no HTTP API to proxy requests to.`);
  }
  const auth = authMethodOf(manifest, row.auth_method);
  const config = await resolveRecord(deps.db, deps.vault, tenantId, row.config);
  const oauth = auth.type === 'oauth2';
  const credentials = oauth ? {} : await openConnectionCredentials(deps.db, deps.vault, row);
  const url = baseOf(render(manifest.base_url, { config, credentials }));
  const otherBases = Object.fromEntries(
    Object.entries(manifest.other_base_urls ?? {}).map(([name, template]) => {
      const other = baseOf(render(template, { config, credentials }));
      return [
        name,
        { origin: other.origin, basePath: other.pathname.replace(/\/+$/, ''), baseQuery: other.search.slice(1) },
      ];
    }),
  );
  let fixedAuth: NonNullable<ConnectionRuntime['usable']>['fixedAuth'];
  let tls;
  if (!PER_CALL_AUTH.has(auth.type) && !oauth) {
    const probe = { method: 'GET', url: new URL('http://auth.invalid/'), headers: {} as Record<string, string> };
    ({ tls } = await applyAuth(probe, { method: auth, config, credentials }));
    fixedAuth = { headers: probe.headers, query: [...probe.url.searchParams] };
  }
  runtime.usable = {
    auth,
    config,
    credentials,
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ''),
    baseQuery: url.search.slice(1),
    otherBases,
    ...(fixedAuth ? { fixedAuth } : {}),
    constantHeaders: Object.fromEntries(
      Object.entries(manifest.headers ?? {}).map(([name, value]) => [
        name.toLowerCase(),
        render(value, { config, credentials: {} }),
      ]),
    ),
    ...(oauth ? { oauth: { level: row.level } } : {}),
    dispatcher: deps.outbound.dispatcherFor(tls),
    ...(manifest.rate_limit ? { rateLimit: manifest.rate_limit } : {}),
  };
  return runtime;
}

function baseOf(base: string): URL {
  try {
    const url = new URL(base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    return url;
  } catch {
    throw new ApiError('conflict', `The connection's base URL "${base}" is not an http:// or https:// URL.`);
  }
}
