import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { AuthMethod } from '../../catalog/manifest/auth.js';
import type { ClientTls, OutboundRequest } from '../../core/net/http-client.js';
import { render, type TemplateContext } from '../templates.js';
import { signAzureSharedKey } from './azure-shared-key.js';
import { signJwt } from './jwt.js';
import { signSigv4 } from './sigv4.js';

export type AuthInput = {
  method: AuthMethod;
  config: Record<string, unknown>;
  /** Opened credentials, secret references already resolved. */
  credentials: Record<string, string>;
  now?: () => Date;
  /** The body is streamed (its bytes unknown when signing): AWS SigV4 signs it as UNSIGNED-PAYLOAD. */
  streamedBody?: boolean;
};

/**
 * Add authentication to an outbound request, per the connector's auth method. Returns the client certificate to
 * present when the method is mutual TLS. Each strategy only reads the request and writes headers or query
 * parameters; the request body is never changed (HMAC signs it as sent).
 */
export async function applyAuth(req: OutboundRequest, input: AuthInput): Promise<{ tls?: ClientTls }> {
  const { method } = input;
  const ctx: TemplateContext = { config: input.config, credentials: input.credentials };
  switch (method.type) {
    case 'none':
    case 'connection_string':
      return {};
    case 'api_key': {
      const value = render(method.value, ctx);
      if (method.in === 'query') req.url.searchParams.set(method.name, value);
      else req.headers[method.name.toLowerCase()] = value;
      return {};
    }
    case 'basic': {
      const pair = `${render(method.username, ctx)}:${render(method.password, ctx)}`;
      req.headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
      return {};
    }
    case 'bearer':
      req.headers.authorization = `Bearer ${render(method.token, ctx)}`;
      return {};
    case 'oauth2':
      req.headers.authorization = render(method.token, {
        ...ctx,
        vars: { access_token: input.credentials.access_token ?? '' },
      });
      return {};
    case 'jwt': {
      const token = await signJwt(method, ctx, input.now?.() ?? new Date());
      req.headers[method.header.toLowerCase()] = render(method.format, { ...ctx, vars: { jwt: token } });
      return {};
    }
    case 'hmac':
      signHmac(req, method, ctx, input.now?.() ?? new Date());
      return {};
    case 'aws_sigv4': {
      const sessionToken = render(method.session_token, ctx);
      const credentials = {
        accessKeyId: render(method.access_key_id, ctx),
        secretAccessKey: render(method.secret_access_key, ctx),
        ...(sessionToken ? { sessionToken } : {}),
        region: render(method.region, ctx),
        service: render(method.service, ctx),
        contentSha256Header: method.content_sha256_header,
      };
      const payload = input.streamedBody
        ? { kind: 'unsigned' as const }
        : { kind: 'buffered' as const, data: req.body };
      signSigv4(req, credentials, payload, input.now?.() ?? new Date());
      return {};
    }
    case 'azure_shared_key':
      signAzureSharedKey(
        req,
        { account: render(method.account, ctx), key: render(method.key, ctx) },
        input.now?.() ?? new Date(),
      );
      return {};
    case 'azure_sas':
      // The token's own encoding is kept: its signature (`sig`) was computed over the decoded values.
      for (const [name, value] of new URLSearchParams(render(method.token, ctx).trim().replace(/^\?/, '')))
        req.url.searchParams.set(name, value);
      return {};
    case 'custom_headers':
      for (const [name, value] of Object.entries(method.headers))
        req.headers[render(name, ctx).toLowerCase()] = render(value, ctx);
      for (const [name, value] of Object.entries(method.query))
        req.url.searchParams.set(render(name, ctx), render(value, ctx));
      return {};
    case 'mtls': {
      for (const [name, value] of Object.entries(method.headers))
        req.headers[render(name, ctx).toLowerCase()] = render(value, ctx);
      const ca = method.ca ? render(method.ca, ctx) : '';
      return {
        tls: { cert: render(method.certificate, ctx), key: render(method.private_key, ctx), ...(ca ? { ca } : {}) },
      };
    }
  }
}

type HmacMethod = Extract<AuthMethod, { type: 'hmac' }>;

/** Generic request signing: HMAC over a signed-content template of the request as it will be sent. */
function signHmac(req: OutboundRequest, method: HmacMethod, ctx: TemplateContext, now: Date) {
  const format = method.timestamp?.format;
  const timestamp =
    format === 'unix_ms'
      ? String(now.getTime())
      : format === 'iso'
        ? now.toISOString()
        : format === 'http_date'
          ? now.toUTCString()
          : String(Math.floor(now.getTime() / 1000));
  const body = req.body ?? Buffer.alloc(0);
  const vars = {
    method: req.method.toUpperCase(),
    method_lower: req.method.toLowerCase(),
    path: req.url.pathname,
    query: req.url.search.replace(/^\?/, ''),
    timestamp,
    timestamp_lower: timestamp.toLowerCase(),
    nonce: randomBytes(12).toString('hex'),
    body: body.toString('utf8'),
    body_sha256: createHash('sha256').update(body).digest('hex'),
    ...resourceAddress(req.url.pathname),
  };
  const content = render(method.signed_content, { ...ctx, vars });
  const secret = render(method.secret, ctx);
  const key = method.secret_encoding === 'base64' ? Buffer.from(secret, 'base64') : secret;
  const signature = createHmac(method.algorithm, key).update(content).digest(method.encoding);
  const signed = { ...vars, signature, signature_url: encodeURIComponent(signature) };
  req.headers[method.header.toLowerCase()] = render(method.value, { ...ctx, vars: signed });
  if (method.timestamp?.header) req.headers[method.timestamp.header.toLowerCase()] = timestamp;
  for (const [name, value] of Object.entries(method.headers))
    req.headers[name.toLowerCase()] = render(value, { ...ctx, vars });
}

/**
 * A path as Azure Cosmos DB addresses resources (https://learn.microsoft.com/rest/api/cosmos-db/access-control-on-cosmosdb-resources):
 * segments alternate type and id, so a path of an odd number of segments is a feed (its type the last segment, its
 * link the rest: /dbs/d/colls → colls, dbs/d) and an even one an item (its type the second-last, its link the whole
 * path: /dbs/d/colls/c → colls, dbs/d/colls/c). Ids are kept as sent (the link is case-sensitive).
 */
function resourceAddress(pathname: string): { resource_type: string; resource_link: string } {
  const segments = pathname.split('/').filter(Boolean);
  if (segments.length === 0) return { resource_type: '', resource_link: '' };
  const feed = segments.length % 2 === 1;
  return {
    resource_type: (feed ? segments.at(-1) : segments.at(-2)) ?? '',
    resource_link: (feed ? segments.slice(0, -1) : segments).map(decodeSegment).join('/'),
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
