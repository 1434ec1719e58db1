import type { OAuth2Method, Revocation } from '../../catalog/manifest/auth.js';
import { matchesRule } from '../../connections/responses.js';
import { render, type TemplateContext } from '../../connections/templates.js';
import { displayableText } from '../../core/db/jsonb-text.js';
import type { Outbound, OutboundRequest } from '../../core/net/http-client.js';
import { classifyRequestError } from '../../core/net/request-failure.js';
import type { OAuthClientCredentials } from '../protocol.js';

/**
 * One revocation request, in the style the manifest declares (`revocation`, or the older `revocation_url` +
 * `revocation_auth`, read as the same block). A token counts as revoked only when the vendor's answer matches the
 * manifest's `success` rule; anything else is reported with what the vendor answered.
 */

/** The manifest's revocation block with every default settled; `tokens: 'all'` is the older form's behaviour. */
export type RevocationPlan = Omit<Revocation, 'token' | 'client_auth'> & {
  tokens: 'refresh' | 'access' | 'all';
  client_auth: 'client_secret_post' | 'client_secret_basic' | 'client_secret_authorization' | 'none';
};

/** One grant's tokens, as stored. */
export type GrantTokens = { access_token: string; refresh_token?: string | undefined };

export type TokenToRevoke = { token: string; hint: 'access_token' | 'refresh_token' };

export type RevocationAttempt =
  { confirmed: true } | { confirmed: false; failure: 'refused' | 'unreachable' | 'blocked'; detail: string };

/** Styles that carry no request body, whose client authentication is none by default. */
const BODILESS = new Set(['bearer', 'query']);

/** The revocation a method declares, older fields included; undefined when the vendor offers none. */
export function revocationOf(method: OAuth2Method): RevocationPlan | undefined {
  const r = method.revocation;
  if (r) {
    const { token, client_auth, ...rest } = r;
    return {
      ...rest,
      tokens: token,
      client_auth: client_auth ?? (BODILESS.has(r.style) ? 'none' : 'client_secret_post'),
      ends_grant: r.ends_grant || method.revocation_ends_grant,
    };
  }
  if (!method.revocation_url) return undefined;
  // The older form: RFC 7009 for both tokens of a grant, or (revocation_auth: bearer) the access token as the
  // bearer of an RPC, which is what the manifests using it (Dropbox, Slack) describe.
  const auth = method.revocation_auth;
  const bearer = auth === 'bearer';
  return {
    style: bearer ? 'bearer' : 'rfc7009',
    url: method.revocation_url,
    method: 'POST',
    tokens: bearer ? 'access' : 'all',
    param: 'token',
    client_auth: auth === 'bearer' ? 'none' : auth,
    body: {},
    success: { status: [200] },
    ends_grant: method.revocation_ends_grant,
  };
}

/** Revoking one token ends the whole grant of the client and user (Google): replaced tokens are then kept. */
export function revocationEndsGrant(method: OAuth2Method): boolean {
  return revocationOf(method)?.ends_grant ?? method.revocation_ends_grant;
}

/**
 * The requests a grant needs: the refresh token (the access token when there is none), the access token, or
 * (older form) both, refresh first. A style sending no token (`param: null`) needs one request per grant.
 */
export function tokensOf(plan: RevocationPlan, grant: GrantTokens): TokenToRevoke[] {
  const refresh = grant.refresh_token ? [{ token: grant.refresh_token, hint: 'refresh_token' as const }] : [];
  const access = [{ token: grant.access_token, hint: 'access_token' as const }];
  if (plan.tokens === 'all') return [...refresh, ...access];
  if (plan.tokens === 'access') return access;
  return refresh.length ? refresh : access;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/;

/** Build the request for one token: its URL, headers and body as the style says. */
export function revocationRequest(
  plan: RevocationPlan,
  client: OAuthClientCredentials,
  config: Record<string, unknown>,
  token: TokenToRevoke,
): OutboundRequest {
  const ctx: TemplateContext = { config, credentials: {}, client: { client_id: client.client_id } };
  const url = new URL(render(plan.url, ctx));
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'Switchyard' };
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(plan.body)) fields[key] = render(value, ctx);
  if (plan.style === 'rfc7009') {
    fields[plan.param ?? 'token'] = token.token;
    fields.token_type_hint = token.hint;
  } else if (plan.param && plan.style !== 'bearer') fields[plan.param] = token.token;
  if (plan.style === 'bearer') headers.authorization = `Bearer ${token.token}`;
  if (plan.client_auth === 'client_secret_basic' && client.client_secret !== null) {
    // RFC 6749 §2.3.1: each part form-encoded before base64.
    const pair = `${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  } else if (plan.client_auth === 'client_secret_authorization' && client.client_secret !== null) {
    headers.authorization = `${plan.authorization_prefix ?? ''}${client.client_secret}`;
  } else if (plan.client_auth === 'client_secret_post' && !BODILESS.has(plan.style)) {
    fields.client_id ??= client.client_id;
    if (client.client_secret !== null) fields.client_secret ??= client.client_secret;
  }
  if (plan.style === 'query') {
    for (const [key, value] of Object.entries(fields)) url.searchParams.set(key, value);
    return { method: plan.method, url, headers };
  }
  if (plan.style === 'bearer') return { method: plan.method, url, headers };
  if (plan.style === 'json') {
    headers['content-type'] = 'application/json';
    return { method: plan.method, url, headers, body: Buffer.from(JSON.stringify(fields)) };
  }
  headers['content-type'] = 'application/x-www-form-urlencoded';
  return { method: plan.method, url, headers, body: Buffer.from(new URLSearchParams(fields).toString()) };
}

/** Send one revocation and judge the answer by the manifest's success rule. */
export async function sendRevocation(
  outbound: Outbound,
  plan: RevocationPlan,
  client: OAuthClientCredentials,
  config: Record<string, unknown>,
  token: TokenToRevoke,
  timeoutMs: number,
): Promise<RevocationAttempt> {
  let req: OutboundRequest;
  try {
    req = revocationRequest(plan, client, config, token);
  } catch {
    return { confirmed: false, failure: 'refused', detail: 'the revocation URL is not a valid URL' };
  }
  const host = req.url.host;
  if (req.url.protocol !== 'https:' && !(req.url.protocol === 'http:' && LOOPBACK.test(req.url.hostname))) {
    // As for every OAuth endpoint: plain http only to a local development server.
    return { confirmed: false, failure: 'blocked', detail: `the revocation endpoint ${host} is not https` };
  }
  let res: Awaited<ReturnType<Outbound['send']>>;
  try {
    res = await outbound.send(req, { timeoutMs });
  } catch (error) {
    const failure = classifyRequestError(error, { url: req.url, timeoutMs });
    if (failure.kind === 'blocked') {
      return { confirmed: false, failure: 'blocked', detail: `${host} is not allowed: ${failure.message}` };
    }
    return {
      confirmed: false,
      failure: 'unreachable',
      detail:
        failure.kind === 'timeout' ? `${host} did not answer in time` : `could not reach ${host}: ${failure.detail}`,
    };
  }
  const text = res.body.toString('utf8');
  const response = { status: res.status, headers: res.headers, text, json: parseJson(text) };
  if (matchesRule(response, plan.success)) return { confirmed: true };
  // The detail goes into the audit entry's jsonb, which refuses a lone surrogate escape or a NUL the vendor sent.
  const detail = displayableText(`${host} answered ${res.status}${describeAnswer(response.json, text, token.token)}`);
  return { confirmed: false, failure: res.status >= 500 ? 'unreachable' : 'refused', detail };
}

/** What the vendor said, briefly: an OAuth or vendor error field, else the start of the body; never the token. */
function describeAnswer(json: unknown, text: string, token: string): string {
  const body = json && typeof json === 'object' ? (json as Record<string, unknown>) : undefined;
  const error = body?.error ?? body?.error_summary;
  const description = body?.error_description ?? body?.message;
  const said =
    typeof error === 'string'
      ? typeof description === 'string'
        ? `${error}: ${description}`
        : error
      : typeof description === 'string'
        ? description
        : text.trim().slice(0, 200);
  return said ? `: ${said.split(token).join('[token]')}` : '';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
