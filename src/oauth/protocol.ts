import net from 'node:net';
import * as oauth from 'oauth4webapi';
import { fetch as undiciFetch } from 'undici';
import type { OAuth2Method } from '../catalog/manifest/auth.js';
import { render } from '../connections/templates.js';
import { displayableStrings } from '../core/db/jsonb-text.js';
import { ApiError } from '../core/errors.js';
import type { Cidr } from '../core/net/cidr.js';
import type { Outbound } from '../core/net/http-client.js';
import { classifyRequestError } from '../core/net/request-failure.js';
import { assertUrlAllowed, BlockedAddressError } from '../core/net/ssrf.js';

/**
 * The OAuth 2.0 protocol work (RFC 6749, 7636), done by oauth4webapi: building authorization URLs, token
 * requests with the right client authentication, and reading token responses (revocation, in vendor styles beyond
 * RFC 7009, is revocation.ts). Every request leaves over the SSRF
 * guard; plain http is accepted only for loopback addresses (a local development authorization server).
 */

export type OAuthClientCredentials = { client_id: string; client_secret: string | null };

/** What a token endpoint answered, normalised for storage. */
export type TokenSet = {
  access_token: string;
  refresh_token?: string;
  token_type: string;
  /** Absolute expiry of the access token, when the server said (expires_in). */
  expires_at?: Date;
  /** Scopes granted, when the server said (otherwise those requested are assumed granted). */
  scope?: string[];
  /** Other response fields (e.g. Salesforce's instance_url), copied into the config when the manifest asks. */
  extra: Record<string, unknown>;
};

/** The authorization server refused (an RFC 6749 §5.2 error such as invalid_grant). */
export class OAuthRefusal extends Error {
  constructor(
    readonly error: string,
    readonly description: string | undefined,
    readonly status: number,
  ) {
    super(description ? `${error}: ${description}` : error);
    this.name = 'OAuthRefusal';
  }
}

/** The authorization server could not be reached or answered something that is not OAuth (5xx, HTML, timeout). */
export class OAuthUnavailable extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /**
     * The request may have reached the server, but no answer came back (a timeout, a connection dropped after
     * sending, a gateway's 502 or 504): the server may have acted on it. False when the connection was never
     * opened, or the server itself answered.
     */
    readonly answerLost = false,
  ) {
    super(message);
    this.name = 'OAuthUnavailable';
  }
}

export type Endpoints = {
  authorization_endpoint?: string;
  token_endpoint: string;
};

/** The manifest's endpoints rendered with the connection's config (e.g. a per-account subdomain). */
export function endpointsOf(method: OAuth2Method, config: Record<string, unknown>): Endpoints {
  const context = { config, credentials: {} };
  return {
    ...(method.authorization_url ? { authorization_endpoint: render(method.authorization_url, context) } : {}),
    token_endpoint: render(method.token_url, context),
  };
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/;

export function createOAuthProtocol(outbound: Outbound, options: { timeoutMs?: number } = {}) {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const dispatcher = outbound.dispatcherFor();

  const requestOptions = (url: string) => ({
    [oauth.customFetch]: ((input: string | URL | Request, init?: RequestInit) =>
      undiciFetch(input as string, {
        ...(init as object),
        dispatcher,
        redirect: 'manual',
      }) as unknown as Promise<Response>) as typeof fetch,
    [oauth.allowInsecureRequests]: LOOPBACK.test(new URL(url).hostname),
    signal: AbortSignal.timeout(timeoutMs),
  });

  function server(endpoints: Endpoints): oauth.AuthorizationServer {
    // No discovery: the manifest names the endpoints. The issuer is only an identifier for oauth4webapi here (ID
    // tokens are dropped before processing, so it is never compared with one).
    return { issuer: new URL(endpoints.token_endpoint).origin, ...endpoints };
  }

  function clientAuth(method: OAuth2Method, client: OAuthClientCredentials): oauth.ClientAuth {
    if (client.client_secret === null) return oauth.None();
    return method.token_endpoint_auth === 'client_secret_basic'
      ? oauth.ClientSecretBasic(client.client_secret)
      : oauth.ClientSecretPost(client.client_secret);
  }

  /** Token endpoint call → normalised token set, with refusals and outages told apart. */
  async function tokenCall(
    endpoints: Endpoints,
    client: OAuthClientCredentials,
    send: (as: oauth.AuthorizationServer, c: oauth.Client) => Promise<Response>,
    process: (as: oauth.AuthorizationServer, c: oauth.Client, res: Response) => Promise<oauth.TokenEndpointResponse>,
  ): Promise<TokenSet> {
    const as = server(endpoints);
    const c: oauth.Client = { client_id: client.client_id };
    let response: Response;
    try {
      response = await send(as, c);
    } catch (error) {
      throw unavailable(error, endpoints.token_endpoint);
    }
    const normalised = await normaliseTokenResponse(response, endpoints.token_endpoint);
    const host = new URL(endpoints.token_endpoint).host;
    // A server error is the vendor's status, whatever its body holds (oauth4webapi would only call a body that is
    // not an OAuth error "not a conform Token Endpoint response").
    if (normalised.status >= 500) throw serverError(`${host} answered ${normalised.status}`, normalised.status);
    try {
      return toTokenSet(await process(as, c, normalised));
    } catch (error) {
      if (error instanceof oauth.ResponseBodyError) {
        throw new OAuthRefusal(error.error, error.error_description, error.status);
      }
      const status = normalised.ok ? '' : ` (${host} answered ${normalised.status})`;
      throw new OAuthUnavailable(
        `the token endpoint's answer was not usable${status}: ${(error as Error).message}`,
        normalised.ok ? undefined : normalised.status,
      );
    }
  }

  return {
    /** PKCE verifier and challenge (S256). */
    async pkce(): Promise<{ verifier: string; challenge: string }> {
      const verifier = oauth.generateRandomCodeVerifier();
      return { verifier, challenge: await oauth.calculatePKCECodeChallenge(verifier) };
    },

    authorizationUrl(
      method: OAuth2Method,
      endpoints: Endpoints,
      p: { clientId: string; redirectUri: string; state: string; scopes: string[]; challenge?: string },
    ): string {
      if (!endpoints.authorization_endpoint) throw new Error('this auth method has no authorization endpoint');
      const url = new URL(endpoints.authorization_endpoint);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('client_id', p.clientId);
      url.searchParams.set('redirect_uri', p.redirectUri);
      url.searchParams.set('state', p.state);
      if (p.scopes.length) url.searchParams.set('scope', p.scopes.join(method.scope_separator));
      if (p.challenge) {
        url.searchParams.set('code_challenge', p.challenge);
        url.searchParams.set('code_challenge_method', 'S256');
      }
      for (const [key, value] of Object.entries(method.authorize_params)) url.searchParams.set(key, value);
      return url.toString();
    },

    /**
     * The callback's query, checked (state, code, error) by oauth4webapi; an authorization error becomes an
     * OAuthRefusal. An RFC 9207 `iss` parameter is dropped first: manifests name endpoints, not the issuer, and the
     * issuer often lives on another host than the token endpoint (Google: accounts.google.com vs
     * oauth2.googleapis.com), so comparing it with the token endpoint's origin would refuse valid answers. The
     * state, bound to one flow and so to one connector, already decides which token endpoint gets the code.
     */
    callbackParameters(endpoints: Endpoints, clientId: string, query: URLSearchParams, state: string): URLSearchParams {
      const params = new URLSearchParams(query);
      params.delete('iss');
      try {
        return oauth.validateAuthResponse(server(endpoints), { client_id: clientId }, params, state);
      } catch (error) {
        if (error instanceof oauth.AuthorizationResponseError) {
          throw new OAuthRefusal(error.error, error.error_description, 400);
        }
        throw new OAuthRefusal('invalid_request', (error as Error).message, 400);
      }
    },

    exchangeCode(
      method: OAuth2Method,
      endpoints: Endpoints,
      client: OAuthClientCredentials,
      p: { parameters: URLSearchParams; redirectUri: string; verifier?: string },
    ): Promise<TokenSet> {
      return tokenCall(
        endpoints,
        client,
        (as, c) =>
          oauth.authorizationCodeGrantRequest(
            as,
            c,
            clientAuth(method, client),
            p.parameters,
            p.redirectUri,
            p.verifier ?? oauth.nopkce,
            { ...requestOptions(endpoints.token_endpoint), additionalParameters: method.token_params },
          ),
        (as, c, res) => oauth.processAuthorizationCodeResponse(as, c, res),
      );
    },

    refresh(
      method: OAuth2Method,
      endpoints: Endpoints,
      client: OAuthClientCredentials,
      refreshToken: string,
    ): Promise<TokenSet> {
      return tokenCall(
        endpoints,
        client,
        (as, c) =>
          oauth.refreshTokenGrantRequest(as, c, clientAuth(method, client), refreshToken, {
            ...requestOptions(endpoints.token_endpoint),
            additionalParameters: method.token_params,
          }),
        (as, c, res) => oauth.processRefreshTokenResponse(as, c, res),
      );
    },

    clientCredentials(
      method: OAuth2Method,
      endpoints: Endpoints,
      client: OAuthClientCredentials,
      scopes: string[],
    ): Promise<TokenSet> {
      const parameters = new URLSearchParams(method.token_params);
      if (scopes.length) parameters.set('scope', scopes.join(method.scope_separator));
      return tokenCall(
        endpoints,
        client,
        (as, c) =>
          oauth.clientCredentialsGrantRequest(
            as,
            c,
            clientAuth(method, client),
            parameters,
            requestOptions(endpoints.token_endpoint),
          ),
        (as, c, res) => oauth.processClientCredentialsResponse(as, c, res),
      );
    },
  };
}

export type OAuthProtocol = ReturnType<typeof createOAuthProtocol>;

/**
 * A request that got no answer. The SSRF guard's refusal is policy, not an outage: 422 `destination_blocked`, as
 * everywhere else. Otherwise an outage, which says whether the request may have reached the server (`answerLost`):
 * only a connection never opened is known not to have.
 */
function unavailable(error: unknown, url: string): OAuthUnavailable | ApiError {
  const failure = classifyRequestError(error, { url });
  if (failure.blocked) return blockedError(failure.blocked, url);
  const host = new URL(url).host;
  const lost = failure.sent;
  if (failure.kind === 'timeout') return new OAuthUnavailable(`${host} did not answer in time`, undefined, lost);
  // fetch wraps network failures in "fetch failed": their code says more; anything else, its own text.
  const reason = failure.kind === 'other' ? failure.detail : (failure.code ?? failure.detail);
  return new OAuthUnavailable(`could not reach ${host}: ${reason}`, undefined, lost);
}

/**
 * An answer with a server error status. 502 and 504 come from a gateway in front of the authorization server (a
 * proxy, a load balancer, a CDN): the request may have reached the server, which may have acted on it — with
 * rotating refresh tokens, consumed the token — before the gateway gave up waiting. For the caller that is an
 * answer lost, as a timeout is. 500 and 503 (and the rest) are the server's own answer: it did not act.
 */
function serverError(message: string, status: number): OAuthUnavailable {
  return new OAuthUnavailable(message, status, status === 502 || status === 504);
}

/**
 * The guard's verdict on the token endpoint before a flow starts, so that a user is not sent to consent for a code
 * Switchyard may not exchange: 422 `destination_blocked`. As for webhook URLs at save time, only an IP literal is
 * judged here (no DNS); a name is resolved and checked when the request is made.
 */
export async function assertTokenEndpointAllowed(endpoints: Endpoints, allow: readonly Cidr[]): Promise<void> {
  let url: URL;
  try {
    url = new URL(endpoints.token_endpoint);
  } catch {
    return; // the exchange reports an unusable URL
  }
  if (net.isIP(url.hostname.replace(/^\[(.*)\]$/, '$1')) === 0) return;
  try {
    await assertUrlAllowed(url, allow);
  } catch (error) {
    if (error instanceof BlockedAddressError) throw blockedError(error, url.href);
  }
}

function blockedError(blocked: BlockedAddressError, url: string): ApiError {
  return new ApiError(
    'destination_blocked',
    `The authorization server's endpoint ${new URL(url).origin} is not allowed: ${blocked.message}.`,
  );
}

/**
 * Vendors stray from RFC 6749 in small ways that oauth4webapi rightly rejects: a missing or vendor-specific
 * `token_type` (Slack's "bot"), an ID token we did not ask to verify (OpenID scopes on Google), optional members
 * sent as null. The JSON is adjusted before processing: token_type defaults to bearer (the original is kept as
 * `vendor_token_type`), null optional members are removed, and `id_token` is dropped: Switchyard uses access and refresh tokens only. An answer that is not JSON is an outage, not a refusal.
 */
async function normaliseTokenResponse(response: Response, url: string): Promise<Response> {
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    // What is read out of the answer (an error description, the scope) ends up in jsonb and text columns, which
    // refuse a lone UTF-16 surrogate escape or a NUL character: a refusal holding one failed with a 500 and was
    // never recorded (core/db/jsonb-text.ts).
    body = JSON.parse(text, displayableStrings) as Record<string, unknown>;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
  } catch {
    if (response.status >= 500 || response.status < 400) {
      throw serverError(`${new URL(url).host} answered ${response.status} without a JSON body`, response.status);
    }
    throw new OAuthRefusal('invalid_request', `${new URL(url).host} answered ${response.status}`, response.status);
  }
  if (response.ok) {
    delete body.id_token;
    // Optional members sent as null (Mailchimp's `"scope": null`) mean absent.
    for (const key of ['scope', 'expires_in', 'refresh_token'] as const) if (body[key] === null) delete body[key];
    const type = typeof body.token_type === 'string' ? body.token_type.toLowerCase() : undefined;
    if (type !== 'bearer' && type !== 'dpop') {
      if (type) body.vendor_token_type = body.token_type;
      body.token_type = 'bearer';
    }
  }
  const headers = new Headers(response.headers);
  headers.set('content-type', 'application/json');
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Response(JSON.stringify(body), { status: response.status, headers });
}

const STANDARD = new Set(['access_token', 'refresh_token', 'token_type', 'expires_in', 'scope', 'id_token']);

function toTokenSet(t: oauth.TokenEndpointResponse): TokenSet {
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(t)) if (!STANDARD.has(key) && value !== undefined) extra[key] = value;
  return {
    access_token: t.access_token,
    ...(t.refresh_token ? { refresh_token: t.refresh_token } : {}),
    token_type: t.token_type,
    // `expires_in: 0` is how Mailchimp says its tokens never expire
    // (https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/): no expiry, not "expired now".
    ...(typeof t.expires_in === 'number' && t.expires_in > 0
      ? { expires_at: new Date(Date.now() + t.expires_in * 1000) }
      : {}),
    ...(typeof t.scope === 'string' ? { scope: t.scope.split(/[\s,]+/).filter(Boolean) } : {}),
    extra,
  };
}
