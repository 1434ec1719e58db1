import { generateKeyPair, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  Adapter,
  AdapterPayload,
  ClientMetadata,
  Configuration,
  JWK,
  KoaContextWithOIDC,
  UnknownObject,
} from 'oidc-provider';
import type Provider from 'oidc-provider';

/** A client registered with the test authorization server (static registration, RFC 7591 field names). */
export type OAuthTestClient = {
  client_id: string;
  /** Omit for `token_endpoint_auth_method: 'none'` (a public client). */
  client_secret?: string;
  redirect_uris?: string[];
  /** Defaults to `['authorization_code', 'refresh_token']`. */
  grant_types?: string[];
  /** Space-separated scopes this client may request (of `options.scopes`); unrestricted when omitted. */
  scope?: string;
  /** Defaults to `client_secret_basic` (`none` when there is no secret). */
  token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post' | 'none';
};

export type OAuthServerOptions = {
  /** Access token lifetime in seconds (whole, ≥ 1), for authorization-code and client-credentials tokens. Default 60. */
  accessTokenTtl?: number;
  /** Refresh token lifetime in seconds (whole, ≥ 1). Default 86400. */
  refreshTokenTtl?: number;
  /** Rotate refresh tokens on every use (the old one is then rejected). Default true. */
  rotateRefreshToken?: boolean;
  /** Registered clients. Default: {@link DEFAULT_OAUTH_CLIENTS}. */
  clients?: OAuthTestClient[];
  /** Scopes the server knows. Default `['openid', 'offline_access', 'read', 'write', 'admin']`. */
  scopes?: string[];
};

export type OAuthServerCounts = {
  /** Token-endpoint requests per grant type (successful or not). */
  authorization_code: number;
  refresh_token: number;
  client_credentials: number;
  /** Requests to the RFC 7009 revocation endpoint. */
  revocation: number;
};

export type OAuthServer = {
  issuer: string;
  authorizationUrl: string;
  tokenUrl: string;
  revocationUrl: string;
  introspectionUrl: string;
  /** The clients configured at start (with defaults filled in). */
  clients: OAuthTestClient[];
  /**
   * Drives sign-in and consent over real HTTP (manual redirects, the server's interaction forms and cookies): opens
   * `authorizationUrl`, signs in `account`, grants every requested scope (or denies when `deny: true`) and returns the
   * final redirect to the client's redirect_uri (with code + state, or error=access_denied); with `grant`, only
   * those of the requested scopes are granted (partial consent). Each call is a fresh
   * browser: no session is reused, so every call signs in and consents again.
   */
  approve(authorizationUrl: string, opts: { account: string; deny?: boolean; grant?: string[] }): Promise<URL>;
  counts: OAuthServerCounts;
  /** Server-side revocation of every grant of an account, with all its tokens (the next refresh gets invalid_grant). */
  revokeGrants(account: string): Promise<void>;
  /** Whether a token (access, client-credentials or refresh) is still valid on the server. */
  isActive(token: string): Promise<boolean>;
  /**
   * A protected API on its own loopback port (it is also the resource every token is issued for). Every route needs a
   * valid bearer access token: none → 401 `WWW-Authenticate: Bearer realm="api"`; expired, unknown or revoked → 401
   * `Bearer error="invalid_token"`. GET /me → 200 `{ id, client_id, scopes }` (id: the account, or the client id for a
   * client-credentials token); /scoped/<scope> → 403 `Bearer error="insufficient_scope", scope="<scope>"` unless
   * granted, else 200 `{ ok: true, scope }`; anything else → 200 `{ method, path, account }`.
   */
  api: { url: string; readonly requests: number };
  /** Errors the provider hit while serving (server_error), for diagnosing a failing test. */
  serverErrors: Error[];
  close(): Promise<void>;
};

export const DEFAULT_OAUTH_SCOPES = ['openid', 'offline_access', 'read', 'write', 'admin'];

/** `web-app`: authorization code + refresh token; `service`: client credentials limited to `read write`. */
export const DEFAULT_OAUTH_CLIENTS: OAuthTestClient[] = [
  {
    client_id: 'web-app',
    client_secret: 'web-app-secret',
    redirect_uris: ['http://127.0.0.1/oauth/callback'],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'client_secret_basic',
  },
  {
    client_id: 'service',
    client_secret: 'service-secret',
    grant_types: ['client_credentials'],
    scope: 'read write',
    token_endpoint_auth_method: 'client_secret_basic',
  },
];

// oidc-provider prints a warning when it is imported on a Node.js release line older than the one it targets; that
// notice (and only oidc-provider's own) is dropped while the module loads. Everything else it would warn about at run
// time is configured away below (own adapter, own keys, own interactions, every "you SHOULD change" default).
let providerModule: Promise<typeof Provider> | undefined;
function loadProvider(): Promise<typeof Provider> {
  providerModule ??= (async () => {
    const { warn, info } = console;
    const quiet =
      (log: (...args: unknown[]) => void) =>
      (...args: unknown[]) => {
        if (typeof args[0] === 'string' && args[0].includes('oidc-provider')) return;
        log(...args);
      };
    console.warn = quiet(warn);
    console.info = quiet(info);
    try {
      return (await import('oidc-provider')).default;
    } finally {
      console.warn = warn;
      console.info = info;
    }
  })();
  return providerModule;
}

// One RS256 signing key per process (ID tokens are signed; access tokens are opaque).
let signingKey: Promise<JWK> | undefined;
function loadSigningKey(): Promise<JWK> {
  signingKey ??= new Promise<JWK>((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (err, _publicKey, privateKey) => {
      if (err) return reject(err);
      resolve({ ...(privateKey.export({ format: 'jwk' }) as JWK), kid: 'test-rs256', alg: 'RS256', use: 'sig' });
    }),
  );
  return signingKey;
}

type StoredEntry = { model: string; payload: AdapterPayload; expiresAt: number | undefined };

/** In-memory storage for one server; unlike the provider's own it never evicts and can be searched by account. */
function memoryAdapterFactory(store: Map<string, StoredEntry>) {
  const live = (key: string): StoredEntry | undefined => {
    const entry = store.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry;
  };
  return (model: string): Adapter => {
    const key = (id: string) => `${model}:${id}`;
    const findBy = (field: 'uid' | 'userCode', value: string) => {
      for (const [k, entry] of store) {
        if (entry.model === model && entry.payload[field] === value) return live(k)?.payload;
      }
      return undefined;
    };
    return {
      async upsert(id, payload, expiresIn) {
        store.set(key(id), {
          model,
          payload: structuredClone(payload),
          expiresAt: typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : undefined,
        });
      },
      async find(id) {
        const entry = live(key(id));
        return entry ? structuredClone(entry.payload) : undefined;
      },
      async findByUid(uid) {
        const payload = findBy('uid', uid);
        return payload ? structuredClone(payload) : undefined;
      },
      async findByUserCode(userCode) {
        const payload = findBy('userCode', userCode);
        return payload ? structuredClone(payload) : undefined;
      },
      async consume(id) {
        const entry = live(key(id));
        if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        store.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        for (const [k, entry] of store) {
          if (entry.model === model && entry.payload.grantId === grantId) store.delete(k);
        }
      },
    };
  };
}

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function page(title: string, prompt: string, body: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body data-prompt="${prompt}">${body}</body></html>`;
}

function isTokenCount(value: unknown): value is Exclude<keyof OAuthServerCounts, 'revocation'> {
  return value === 'authorization_code' || value === 'refresh_token' || value === 'client_credentials';
}

/** Starts a real OAuth 2.0 authorization server (oidc-provider) and a protected API, both on 127.0.0.1. */
export async function startOAuthServer(options: OAuthServerOptions = {}): Promise<OAuthServer> {
  const accessTokenTtl = options.accessTokenTtl ?? 60;
  const refreshTokenTtl = options.refreshTokenTtl ?? 86_400;
  const scopes = options.scopes ?? DEFAULT_OAUTH_SCOPES;
  const clients: OAuthTestClient[] = (options.clients ?? DEFAULT_OAUTH_CLIENTS).map((c) => ({
    ...c,
    grant_types: c.grant_types ?? ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: c.token_endpoint_auth_method ?? (c.client_secret ? 'client_secret_basic' : 'none'),
  }));

  const [ProviderClass, key] = await Promise.all([loadProvider(), loadSigningKey()]);

  // Both servers listen first: the issuer and the resource identifier need their ports.
  let providerHandler: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const asServer = http.createServer((req, res) => providerHandler(req, res));
  let apiHandler: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const apiServer = http.createServer((req, res) => apiHandler(req, res));
  const [issuer, apiUrl] = await Promise.all([listen(asServer), listen(apiServer)]);
  const resource = `${apiUrl}/`;

  const store = new Map<string, StoredEntry>();
  const counts: OAuthServerCounts = { authorization_code: 0, refresh_token: 0, client_credentials: 0, revocation: 0 };
  const serverErrors: Error[] = [];
  let apiRequests = 0;

  const clientMetadata: ClientMetadata[] = clients.map((c) => {
    const grantTypes = c.grant_types ?? [];
    const metadata: ClientMetadata = {
      client_id: c.client_id,
      grant_types: grantTypes,
      redirect_uris: c.redirect_uris ?? [],
      response_types: grantTypes.includes('authorization_code') ? ['code'] : [],
      token_endpoint_auth_method: c.token_endpoint_auth_method,
    };
    if (c.client_secret !== undefined) metadata.client_secret = c.client_secret;
    if (c.scope !== undefined) metadata.scope = c.scope;
    return metadata;
  });

  const configuration: Configuration = {
    adapter: memoryAdapterFactory(store),
    clients: clientMetadata,
    jwks: { keys: [key] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes,
    clockTolerance: 0,
    pkce: { required: () => true },
    rotateRefreshToken: options.rotateRefreshToken ?? true,
    // Every client allowed the refresh_token grant gets a refresh token from the authorization code (and every
    // refresh), whether or not it asked for offline_access; tokens never end with a browser session.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: () => false,
    async findAccount(_ctx, sub) {
      return { accountId: sub, claims: () => ({ sub }) };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: {
      AccessToken: () => accessTokenTtl,
      ClientCredentials: () => accessTokenTtl,
      RefreshToken: () => refreshTokenTtl,
      AuthorizationCode: () => 60,
      IdToken: () => 3600,
      Interaction: () => 600,
      Session: () => 3600,
      Grant: () => Math.max(refreshTokenTtl, 3600),
    },
    clientBasedCORS: () => false,
    renderError(ctx, out) {
      ctx.type = 'json';
      ctx.body = out;
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId,
      },
      introspection: {
        enabled: true,
        allowedPolicy: (ctx, client, token) =>
          client.clientAuthMethod !== 'none' || token.clientId === ctx.oidc.client?.clientId,
      },
      // Every token is issued for the API below (no `resource` parameter needed), carrying the granted scopes;
      // without a resource the provider would issue userinfo-only tokens holding only OpenID Connect scopes.
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: scopes.join(' '), accessTokenFormat: 'opaque' }),
      },
    },
  };

  const provider = new ProviderClass(issuer, configuration);
  provider.on('server_error', (_ctx: unknown, err: Error) => serverErrors.push(err));
  // Koa reports errors no middleware handled here instead of printing them.
  (provider as unknown as NodeJS.EventEmitter).on('error', (err: Error) => serverErrors.push(err));

  // RFC 8414 metadata at its own well-known path too (the provider serves only OpenID Connect discovery).
  provider.use(async (ctx, next) => {
    if (ctx.path === '/.well-known/oauth-authorization-server') ctx.path = '/.well-known/openid-configuration';
    await next();
  });

  // Counts token and revocation requests by what the provider parsed, once it has answered.
  provider.use(async (ctx, next) => {
    await next();
    const oidc = (ctx as unknown as Partial<KoaContextWithOIDC>).oidc;
    if (oidc?.route === 'token') {
      const grantType = (oidc.params as UnknownObject | undefined)?.grant_type;
      if (isTokenCount(grantType)) counts[grantType] += 1;
    } else if (oidc?.route === 'revocation') {
      counts.revocation += 1;
    }
  });

  // The sign-in and consent pages: plain HTML forms, as a browser would see them.
  provider.use(async (ctx, next) => {
    const match = /^\/interaction\/([\w-]+)(?:\/(login|confirm|abort))?$/.exec(ctx.path);
    if (!match) return next();
    const [, uid, action] = match;
    ctx.set('cache-control', 'no-store');
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (details.uid !== uid) return ctx.throw(400, 'interaction mismatch');
    const prompt = details.prompt.name;

    if (ctx.method === 'GET' && !action) {
      ctx.type = 'html';
      const base = `/interaction/${uid}`;
      if (prompt === 'login') {
        ctx.body = page(
          'Sign in',
          'login',
          `<form method="post" action="${base}/login" id="login"><input name="account" autofocus>` +
            `<button type="submit">Sign in</button></form>`,
        );
      } else if (prompt === 'consent') {
        const requested = String(details.params.scope ?? '');
        ctx.body = page(
          'Authorize',
          'consent',
          `<p>${escapeHtml(String(details.params.client_id))} asks for: ${escapeHtml(requested)}</p>` +
            `<form method="post" action="${base}/confirm" id="approve"><button type="submit">Allow</button></form>` +
            `<form method="post" action="${base}/abort" id="deny"><button type="submit">Deny</button></form>`,
        );
      } else {
        return ctx.throw(501, `prompt ${prompt} not supported`);
      }
      return;
    }
    if (ctx.method !== 'POST' || !action) return ctx.throw(405);
    const form = new URLSearchParams(await readBody(ctx.req));

    if (action === 'abort') {
      await provider.interactionFinished(
        ctx.req,
        ctx.res,
        { error: 'access_denied', error_description: 'End-User denied the authorization request' },
        { mergeWithLastSubmission: false },
      );
    } else if (action === 'login') {
      const account = form.get('account')?.trim();
      if (prompt !== 'login' || !account) return ctx.throw(400, 'sign-in expected');
      await provider.interactionFinished(
        ctx.req,
        ctx.res,
        { login: { accountId: account } },
        {
          mergeWithLastSubmission: false,
        },
      );
    } else {
      if (prompt !== 'consent' || !details.session?.accountId) return ctx.throw(400, 'consent expected');
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: details.session.accountId, clientId: String(details.params.client_id) });
      if (!grant) return ctx.throw(400, 'grant not found');
      const missing = details.prompt.details as {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      // Partial consent (`approve(…, { grant })`): the scopes left out are rejected, so the provider does not ask again.
      const only = form.get('grant')?.split(' ');
      for (const [indicator, requested] of Object.entries(missing.missingResourceScopes ?? {})) {
        const granted = only ? requested.filter((scope) => only.includes(scope)) : requested;
        grant.addResourceScope(indicator, granted.join(' '));
        const rejected = requested.filter((scope) => !granted.includes(scope));
        if (rejected.length) grant.rejectResourceScope(indicator, rejected.join(' '));
      }
      const grantId = await grant.save();
      await provider.interactionFinished(ctx.req, ctx.res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }
    ctx.respond = false;
  });

  providerHandler = provider.callback();

  async function findAccessToken(value: string) {
    const token = (await provider.AccessToken.find(value)) ?? (await provider.ClientCredentials.find(value));
    if (!token || token.isExpired) return undefined;
    const audience = Array.isArray(token.aud) ? token.aud : [token.aud];
    if (!audience.includes(resource)) return undefined;
    return token;
  }

  apiHandler = (req, res) => {
    apiRequests += 1;
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
      res.end(JSON.stringify(body));
    };
    void (async () => {
      await readBody(req);
      const path = new URL(req.url ?? '/', apiUrl).pathname;
      const bearer = /^Bearer +([^\s]+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (!bearer) return reply(401, { error: 'unauthorized' }, { 'www-authenticate': 'Bearer realm="api"' });
      const token = await findAccessToken(bearer);
      if (!token) {
        return reply(
          401,
          { error: 'invalid_token' },
          {
            'www-authenticate':
              'Bearer realm="api", error="invalid_token", error_description="The access token is invalid or has expired"',
          },
        );
      }
      const granted = token.scope ? token.scope.split(' ') : [];
      const account = 'accountId' in token && token.accountId ? token.accountId : token.clientId;
      if (req.method === 'GET' && path === '/me') {
        return reply(200, { id: account, client_id: token.clientId, scopes: granted });
      }
      const scoped = /^\/scoped\/([^/]+)$/.exec(path)?.[1];
      if (scoped !== undefined) {
        const needed = decodeURIComponent(scoped);
        if (!granted.includes(needed)) {
          return reply(
            403,
            { error: 'insufficient_scope' },
            { 'www-authenticate': `Bearer realm="api", error="insufficient_scope", scope="${needed}"` },
          );
        }
        return reply(200, { ok: true, scope: needed });
      }
      return reply(200, { method: req.method, path, account });
    })().catch((err: unknown) => {
      serverErrors.push(err instanceof Error ? err : new Error(String(err)));
      if (!res.headersSent) reply(500, { error: 'server_error' });
    });
  };

  async function approve(
    authorizationUrl: string,
    opts: { account: string; deny?: boolean; grant?: string[] },
  ): Promise<URL> {
    const origin = new URL(issuer).origin;
    let url = new URL(authorizationUrl);
    if (url.origin !== origin) throw new Error('approve: the authorization URL is not on this server');
    const jar = new Map<string, { value: string; path: string }>();
    const cookieHeader = (target: URL) =>
      [...jar]
        .filter(([, c]) => target.pathname === c.path || target.pathname.startsWith(c.path.replace(/\/?$/, '/')))
        .map(([name, c]) => `${name}=${c.value}`)
        .join('; ');
    const keepCookies = (res: Response) => {
      for (const line of res.headers.getSetCookie()) {
        const [pair = '', ...attributes] = line.split(';').map((s) => s.trim());
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq);
        const value = pair.slice(eq + 1);
        let path = '/';
        let expired = value === '';
        for (const attribute of attributes) {
          const [k = '', v = ''] = attribute.split('=');
          if (k.toLowerCase() === 'path') path = v;
          if (k.toLowerCase() === 'expires' && Date.parse(v) <= Date.now()) expired = true;
          if (k.toLowerCase() === 'max-age' && Number(v) <= 0) expired = true;
        }
        if (expired) jar.delete(name);
        else jar.set(name, { value, path });
      }
    };
    let init: RequestInit = { method: 'GET' };
    for (let hop = 0; hop < 20; hop += 1) {
      const res = await fetch(url, {
        ...init,
        redirect: 'manual',
        headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader(url) },
      });
      keepCookies(res);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.arrayBuffer();
        const next = new URL(location, url);
        if (next.origin !== origin) return next;
        url = next;
        init = { method: 'GET' };
        continue;
      }
      const body = await res.text();
      const prompt = /data-prompt="(\w+)"/.exec(body)?.[1];
      const formAction = (id: string) => new RegExp(`<form method="post" action="([^"]+)" id="${id}">`).exec(body)?.[1];
      const action =
        prompt === 'login'
          ? formAction('login')
          : prompt === 'consent'
            ? formAction(opts.deny ? 'deny' : 'approve')
            : undefined;
      if (res.status !== 200 || !action) {
        throw new Error(`approve: unexpected ${res.status} at ${url.pathname}: ${body.slice(0, 300)}`);
      }
      url = new URL(action, url);
      init = {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body:
          prompt === 'login'
            ? new URLSearchParams({ account: opts.account }).toString()
            : opts.grant
              ? new URLSearchParams({ grant: opts.grant.join(' ') }).toString()
              : '',
      };
    }
    throw new Error('approve: too many redirects');
  }

  async function revokeGrants(account: string): Promise<void> {
    const grantIds = new Set<string>();
    for (const [k, entry] of store) {
      if (entry.model === 'Grant' && entry.payload.accountId === account) grantIds.add(k.slice('Grant:'.length));
    }
    for (const [k, entry] of store) {
      const grantId = entry.model === 'Grant' ? k.slice('Grant:'.length) : entry.payload.grantId;
      if (grantId !== undefined && grantIds.has(grantId)) store.delete(k);
    }
  }

  async function isActive(token: string): Promise<boolean> {
    const found =
      (await provider.AccessToken.find(token)) ??
      (await provider.ClientCredentials.find(token)) ??
      (await provider.RefreshToken.find(token));
    if (!found || found.isExpired) return false;
    return !('consumed' in found && found.consumed);
  }

  const closeServer = (server: http.Server) =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });

  return {
    issuer,
    authorizationUrl: provider.urlFor('authorization'),
    tokenUrl: provider.urlFor('token'),
    revocationUrl: provider.urlFor('revocation'),
    introspectionUrl: provider.urlFor('introspection'),
    clients,
    approve,
    counts,
    revokeGrants,
    isActive,
    api: {
      url: apiUrl,
      get requests() {
        return apiRequests;
      },
    },
    serverErrors,
    close: async () => {
      await Promise.all([closeServer(asServer), closeServer(apiServer)]);
    },
  };
}
