import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { findAuthMethod } from '../../src/catalog/manifest/auth.js';
import type { Manifest } from '../../src/catalog/manifest/manifest.js';
import { manifestHash } from '../../src/catalog/registry.js';
import { insertCustomConnector } from '../../src/catalog/sql.js';
import { validateManifest } from '../../src/catalog/manifest/validate.js';
import { readJsonPath } from '../../src/core/json-path.js';
import { connectorsDir } from '../../src/core/paths.js';
import type { TokenSet } from '../../src/oauth/protocol.js';
import { createTestApp, type TestApp, type TestResponse } from '../helpers/app.js';
import { auditOf } from '../helpers/fixtures.js';
import { startFakeVendor, type RecordedRequest, type VendorHandler, type VendorReply } from '../helpers/fake-vendor.js';
import { insertOAuthConnection } from '../helpers/oauth-connection.js';

/**
 * A connector's conformance test drives its SHIPPED manifest (connectors/<slug>.yaml) against a loopback fake of the
 * vendor that answers as the vendor documents: the manifest is installed with every vendor URL (base URL, OAuth
 * endpoints, absolute test paths) pointed at the fake, as a custom registry entry that is otherwise the same. The
 * drivers below go through the public API (connections, proxy, inbound sources, /hooks) as a tenant would, so a
 * manifest claim the platform reads wrongly, or a vendor answer the manifest misdescribes, fails here.
 */

export type FakeVendor = Awaited<ReturnType<typeof startFakeVendor>>;

/** Point `https://host[:port]` at the fake, keeping the path; templates in the host go with it. */
const toFake = (url: string, fake: string) => url.replace(/^https?:\/\/[^/]+/, fake);

/** Every string of an auth method that is an absolute URL, rewritten (whatever block it sits in). */
function rewriteUrls(value: unknown, fake: string): unknown {
  if (typeof value === 'string') return /^https?:\/\//.test(value) ? toFake(value, fake) : value;
  if (Array.isArray(value)) return value.map((v) => rewriteUrls(v, fake));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteUrls(v, fake)]));
  }
  return value;
}

/** The shipped manifest, validated as the server loads it. */
export function shippedManifest(slug: string): Manifest {
  const file = `${slug}.yaml`;
  const { manifest, problems } = validateManifest(file, fs.readFileSync(path.join(connectorsDir, file), 'utf8'));
  if (!manifest) throw new Error(`${file} is invalid: ${JSON.stringify(problems)}`);
  return manifest;
}

/** The path of a URL template (`https://host/v1beta` → `/v1beta`), without a trailing slash. */
const pathOf = (url: string) => url.replace(/^https?:\/\/[^/]+/, '').replace(/\/$/, '');

/**
 * A stream's own base URL on the fake. The proxy reaches only what lies under the connection's base URL, and every
 * host lands on the one fake: a stream base whose path already begins with the manifest's base path (GA4: both
 * Google hosts serve /v1beta) keeps its path; one that does not (another host serving /v1 next to a /v3 API) is
 * mounted under the manifest's base path on the fake (`/v3` + `/v1`), so the proxy reaches it by the relative path
 * `/v1/...` and the fake's route keeps the stream's own path as its tail.
 */
function streamBaseAt(streamBase: string, manifestBase: string | undefined, fakeUrl: string): string {
  const own = pathOf(streamBase);
  const top = manifestBase ? pathOf(manifestBase) : '';
  const under = own === top || own.startsWith(`${top}/`);
  return `${fakeUrl}${under ? own : `${top}${own}`}`;
}

/** The shipped manifest with its vendor URLs on the fake (validated again: what is installed must be valid). */
export function manifestAt(shipped: Manifest, fakeUrl: string): Manifest {
  const rewritten = {
    ...shipped,
    streams: shipped.streams.map((s) =>
      s.base_url ? { ...s, base_url: streamBaseAt(s.base_url, shipped.base_url, fakeUrl) } : s,
    ),
    // The fake speaks plain HTTP: a config URL the manifest requires to be https (^https://) may name it.
    config: shipped.config.map((f) => (f.pattern === '^https://' ? { ...f, pattern: '^https?://' } : f)),
    auth: rewriteUrls(shipped.auth, fakeUrl),
    ...(shipped.base_url ? { base_url: toFake(shipped.base_url, fakeUrl) } : {}),
    ...(shipped.other_base_urls
      ? {
          other_base_urls: Object.fromEntries(
            Object.entries(shipped.other_base_urls).map(([name, url]) => [name, toFake(url, fakeUrl)]),
          ),
        }
      : {}),
    ...(shipped.test?.kind === 'http' && /^https?:\/\//.test(shipped.test.request.path)
      ? {
          test: {
            ...shipped.test,
            request: { ...shipped.test.request, path: toFake(shipped.test.request.path, fakeUrl) },
          },
        }
      : {}),
  };
  const { manifest, problems } = validateManifest(`${shipped.slug}.yaml`, JSON.stringify(rewritten));
  if (!manifest) throw new Error(`${shipped.slug} rewritten for the fake is invalid: ${JSON.stringify(problems)}`);
  return manifest;
}

const render = (text: string, config: Record<string, unknown>) =>
  text.replace(/\{\{\s*config\.([A-Za-z0-9_]+)\s*\}\}/g, (_, key: string) => String(config[key] ?? ''));

export type ConnectInput = {
  auth_method?: string;
  credentials?: Record<string, string>;
  config?: Record<string, string | number | boolean>;
};

export async function startConformance(slug: string) {
  const shipped = shippedManifest(slug);
  const vendor = await startFakeVendor();
  const manifest = manifestAt(shipped, vendor.url);
  const t: TestApp = await createTestApp();
  // Replace the built-in entry with the rewritten one under the same slug (capabilities, presets and families key
  // off the slug), as a superuser's custom entry.
  await t.db.transaction(async (tx) => {
    await tx.query('delete from connectors where slug = $1', [slug]);
    await insertCustomConnector(tx, manifest, manifestHash(manifest));
    await t.built.registry.invalidate(tx);
  });

  /** The fake's route (`METHOD /path`) a request to `relative` under the base URL reaches. */
  const routeOf = (method: string, relative: string, config: Record<string, unknown> = {}) => {
    const rendered = render(relative, config);
    if (/^https?:\/\//.test(rendered)) return `${method} ${new URL(rendered).pathname}`;
    const base = new URL(render(manifest.base_url ?? '', config)).pathname.replace(/\/$/, '');
    return `${method} ${base}${rendered}`;
  };

  const requestsTo = (route: string) => {
    const [method, pathname] = route.split(' ');
    return vendor.requests.filter((r) => r.method === method && r.url.split('?')[0] === pathname);
  };

  let routes = 0;

  /** The test call a connection using `authMethod` makes: the method's own, or the manifest's. */
  const testOf = (authMethod?: string) => findAuthMethod(manifest.auth, authMethod)?.test ?? manifest.test;

  return {
    t,
    vendor,
    shipped,
    manifest,
    slug,
    routeOf,
    requestsTo,

    /**
     * Create a connection (tested: the manifest's test call reaches the fake, which gives `reply`). Answers the API
     * response and the request the vendor received.
     */
    async testCall(
      input: ConnectInput & { reply: VendorReply },
    ): Promise<{ res: TestResponse; sent: RecordedRequest }> {
      const test = testOf(input.auth_method);
      if (test?.kind !== 'http') throw new Error(`${slug} has no HTTP test call`);
      const route = routeOf(test.request.method, test.request.path, input.config);
      vendor.on(route, input.reply);
      const before = requestsTo(route).length;
      const res = await this.connect(input);
      const sent = requestsTo(route)[before];
      expect(sent, `the test call did not reach ${route}`).toBeDefined();
      return { res, sent: sent as RecordedRequest };
    },

    /**
     * Test an existing connection again (an OAuth connection has no create-time test): the test call its method
     * makes reaches the fake, which gives `reply`. Answers the API response and the request the vendor received.
     */
    async retest(
      connectionId: string,
      reply: VendorReply | VendorHandler,
      options: { auth_method?: string; config?: Record<string, unknown> } = {},
    ): Promise<{ res: TestResponse; sent: RecordedRequest }> {
      const test = testOf(options.auth_method);
      if (test?.kind !== 'http') throw new Error(`${slug} has no HTTP test call`);
      const route = routeOf(test.request.method, test.request.path, options.config);
      vendor.on(route, reply);
      const before = requestsTo(route).length;
      const res = await t.request({ method: 'POST', url: `/v1/connections/${connectionId}/test` });
      const sent = requestsTo(route)[before];
      expect(sent, `the test call did not reach ${route}`).toBeDefined();
      return { res, sent: sent as RecordedRequest };
    },

    connect(input: ConnectInput & { validate?: boolean }): Promise<TestResponse> {
      return t.request({
        method: 'POST',
        url: '/v1/connections',
        body: {
          connector: slug,
          ...(input.auth_method ? { auth_method: input.auth_method } : {}),
          ...(input.credentials ? { credentials: input.credentials } : {}),
          ...(input.config ? { config: input.config } : {}),
          validate: input.validate ?? true,
        },
      });
    },

    /** GET through the proxy; `relative` is under the connector's base URL. */
    proxyGet(connectionId: string, relative: string, query: Record<string, string> = {}): Promise<TestResponse> {
      const qs = new URLSearchParams(query).toString();
      return t.request({
        url: `/v1/connections/${connectionId}/proxy${relative}${qs ? `?${qs}` : ''}`,
      });
    },

    /**
     * The vendor's rate-limit signal through the proxy: the first answer is `limited`, the next `ok`. Answers the
     * proxy's response and how many times the vendor was asked.
     */
    async rateLimited(
      connectionId: string,
      relative: string,
      replies: { limited: VendorReply; ok: VendorReply },
      config: Record<string, unknown> = {},
    ): Promise<{ res: TestResponse; attempts: number }> {
      // `config` renders a templated base URL (a company domain) to find the fake's route.
      const route = routeOf('GET', relative, config);
      let calls = 0;
      vendor.on(route, () => (++calls === 1 ? replies.limited : replies.ok));
      const res = await this.proxyGet(connectionId, relative);
      return { res, attempts: calls };
    },

    /**
     * One page of a stream through the proxy, read as the stream declares (its method, body, constant params and
     * headers, its own base URL, pagination — its own or the manifest's), with the page size and, when given, the
     * cursor (in the query, or merged into the JSON body for pagination `in: body`); a child stream is read
     * for `parent` (the parent record's field goes in the path or its query parameter). Answers the records at
     * `results_path` (each checked to carry every primary-key field; a child's added field excepted), the next cursor
     * the pagination's `cursor_path` reads (undefined without one) and what the vendor received.
     */
    async streamPage(
      connectionId: string,
      streamName: string,
      reply: VendorReply,
      options: {
        limit?: number;
        cursor?: string;
        parent?: Record<string, string>;
        config?: Record<string, string>;
        /**
         * How the test reads the records when the manifest cannot point at them (e.g. the entries of an object keyed
         * by date): the vendor-specific reading stays in the test, which should say why.
         */
        records?: (body: unknown) => Record<string, unknown>[];
        /** Query parameters a sync adds for what it was asked to read (a symbol, a date range). */
        query?: Record<string, string>;
        /** Values for the `{name}` placeholders of the stream's path a sync fills (a ticker, a date range). */
        pathParams?: Record<string, string>;
      } = {},
    ) {
      const stream = manifest.streams.find((s) => s.name === streamName);
      if (!stream?.path) throw new Error(`${slug} has no stream ${streamName} with a path`);
      const p = stream.pagination ?? manifest.pagination;
      const paged = p !== undefined && p.style !== 'none';
      const query: Record<string, string> = { ...stream.params, ...options.query };
      // Paging parameters go where the pagination says: query parameters, or fields merged into the POST body (an
      // offset or page number as a JSON number, a page token as a string).
      const paging: Record<string, string | number> = {};
      if (paged && p.limit_param)
        paging[p.limit_param] = options.limit ?? stream.rate_limit?.page_size ?? p.max_limit ?? 10;
      if (options.cursor !== undefined && paged && p.cursor_param) {
        const numeric = (p.style === 'offset' || p.style === 'page') && /^\d+$/.test(options.cursor);
        paging[p.cursor_param] = numeric ? Number(options.cursor) : options.cursor;
      }
      const inBody = paged && p.in === 'body';
      if (!inBody) for (const [k, v] of Object.entries(paging)) query[k] = String(v);
      const sendBody = inBody ? { ...(stream.body ?? {}), ...paging } : stream.body;
      const parentValue = stream.parent ? options.parent?.[stream.parent.field] : undefined;
      if (stream.parent && parentValue === undefined) throw new Error(`${streamName} is read for a parent record`);
      if (stream.parent?.param && parentValue !== undefined) query[stream.parent.param] = parentValue;
      const ownPath = stream.path
        .replace(/\{\{\s*parent\.([A-Za-z0-9_]+)\s*\}\}/g, (_, k: string) =>
          encodeURIComponent(options.parent?.[k] ?? ''),
        )
        .replace(/(?<!\{)\{([A-Za-z0-9_]+)\}(?!\})/g, (whole, k: string) =>
          options.pathParams?.[k] !== undefined ? encodeURIComponent(options.pathParams[k]) : whole,
        );
      // A path may carry query parameters of its own (a second parent field): they go with the others.
      const [withoutQuery = '', pathQuery] = ownPath.split('?');
      for (const [k, v] of new URLSearchParams(pathQuery ?? '')) query[k] = v;
      // A stream on another host (its own base URL, on the fake under the manifest's base path: manifestAt) is
      // reached through the proxy by its path relative to the connection's base URL.
      const relative = stream.base_url
        ? `${pathOf(render(stream.base_url, options.config ?? {})).slice(
            pathOf(render(manifest.base_url ?? '', options.config ?? {})).length,
          )}${withoutQuery}`
        : withoutQuery;
      const route = routeOf(stream.method, relative, options.config);
      vendor.on(route, reply);
      const before = requestsTo(route).length;
      // Each value rendered before encoding (an encoded template would not read as one).
      const qs = new URLSearchParams(
        Object.entries(query).map(([k, v]): [string, string] => [k, render(v, options.config ?? {})]),
      );
      const headers = Object.fromEntries(
        Object.entries(stream.headers ?? {}).map(([k, v]) => [k, render(v, options.config ?? {})]),
      );
      const res = await t.request({
        method: stream.method,
        url: `/v1/connections/${connectionId}/proxy${render(relative, options.config ?? {})}${qs.size ? `?${qs}` : ''}`,
        ...(sendBody !== undefined ? { body: sendBody } : {}),
        ...(Object.keys(headers).length ? { headers } : {}),
      });
      expect(res.statusCode, res.body).toBe(200);
      const body = JSON.parse(res.body) as unknown;
      const records = (
        options.records ? options.records(body) : p?.results_path ? readJsonPath(body, p.results_path) : body
      ) as Record<string, unknown>[];
      expect(Array.isArray(records), `${p?.results_path ?? '$'} is not a list`).toBe(true);
      const keyed = stream.primary_key.filter((k) => k !== stream.parent?.as);
      for (const r of records) {
        for (const k of keyed) expect(r, `a ${streamName} record without ${k}`).toHaveProperty(k);
      }
      const nextCursor = paged && p.cursor_path ? readJsonPath(body, p.cursor_path) : undefined;
      const sent = requestsTo(route)[before] as RecordedRequest;
      return {
        res,
        records,
        nextCursor,
        sent,
        query: new URL(sent.url, vendor.url).searchParams,
        /** The JSON body the vendor received (undefined for a listing without one). */
        body: sent.body.length ? (JSON.parse(sent.body.toString()) as Record<string, unknown>) : undefined,
        stream,
        pagination: p,
      };
    },

    /**
     * A capability (capabilities/<name>.yaml) served by this connector: a provider route of the one connection
     * (strategy single, on_rate_limit strict, no retries unless `route` says) in a tenant with every routing
     * feature, queried with `query` while the fake answers `reply` at the capability's path. Answers the route's
     * response and the request the vendor received (undefined when none reached it).
     */
    async routed(
      connectionId: string,
      capability: string,
      query: Record<string, unknown>,
      reply: VendorReply | VendorHandler,
      route: Record<string, unknown> = {},
    ): Promise<{ res: TestResponse; sent: RecordedRequest | undefined }> {
      const request = manifest.capabilities?.[capability]?.request;
      if (!request) throw new Error(`${slug} does not serve ${capability}`);
      const features = await t.request({
        method: 'PATCH',
        url: `/v1/tenants/${t.tenantId}`,
        body: { features: ['financial_data', 'provider_routing'] },
      });
      expect(features.statusCode, features.body).toBe(200);
      const created = await t.request({
        method: 'POST',
        url: '/v1/routes',
        body: {
          name: `conformance-${capability.replace('.', '-')}-${++routes}`,
          capability,
          strategy: 'single',
          on_rate_limit: 'strict',
          retry: { attempts: 0 },
          providers: [{ connection_id: connectionId }],
          ...route,
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      // The fake's route: the capability's path with the query's values in it, as the router renders it.
      const relative = request.path.replace(/\{\{\s*query\.([a-z][a-z0-9_]*)\s*\}\}/g, (_, k: string) =>
        encodeURIComponent(String(query[k] ?? '')),
      );
      const at = routeOf(request.method, relative);
      vendor.on(at, reply);
      const before = requestsTo(at).length;
      const res = await t.request({
        method: 'POST',
        url: `/v1/routes/${created.data.name as string}/query`,
        body: { query },
      });
      return { res, sent: requestsTo(at)[before] };
    },

    /**
     * An OAuth connection with tokens the fake issued (no browser step), using the tenant's own OAuth app
     * (`client`), as the callback would store it.
     */
    async oauthConnection(
      tokens: TokenSet,
      client = { client_id: 'conformance-client', client_secret: 'conformance-secret' },
      config: Record<string, unknown> = {},
    ) {
      const res = await t.request({ method: 'PUT', url: `/v1/oauth/clients/${slug}`, body: client });
      expect(res.statusCode, res.body).toBeLessThan(300);
      const id = await insertOAuthConnection(
        { db: t.db, vault: t.built.vault },
        { tenantId: t.tenantId, slug, name: `${manifest.name} (OAuth)`, tokens, config },
      );
      return { id, client };
    },

    /**
     * Make a connection's OAuth token an hour old, as it is mid-life: the platform reads a token it issued moments
     * ago that the vendor calls expired as missing consent, so a test of how an expired token's answer maps ages it.
     */
    async ageToken(connectionId: string) {
      await t.db.query(
        `update connection_credentials set updated_at = now() - interval '1 hour', refreshed_at = now() - interval '1 hour'
          where connection_id = $1`,
        [connectionId],
      );
    },

    /** Disconnect; answers the response and the revocation the audit entry records. */
    async disconnect(connectionId: string) {
      const res = await t.request({ method: 'DELETE', url: `/v1/connections/${connectionId}` });
      expect(res.statusCode, res.body).toBe(204);
      const [entry] = await auditOf(t, res);
      return { res, revocation: (entry?.diff as { revocation?: Record<string, unknown> }).revocation };
    },

    /**
     * The inbound source the platform makes for a connection of this connector (its webhook preset, unless `extra`
     * gives other source fields such as a `verification`).
     */
    async inboundSource(connectionId: string, secret: string, extra: Record<string, unknown> = {}) {
      const res = await t.request({
        method: 'POST',
        url: '/v1/inbound/sources',
        // `extra` overrides what the connection implies, e.g. an explicit `verification`.
        body: { name: `${manifest.name} webhooks`, connection_id: connectionId, secret, ...extra },
      });
      const url = (res.data.source as { url?: string } | undefined)?.url;
      return { res, path: url ? new URL(url).pathname : undefined };
    },

    /**
     * Deliver a webhook as the vendor would (no Switchyard credentials); JSON unless `contentType` says otherwise
     * (null: no Content-Type, as a vendor posting headers only sends).
     */
    deliver(
      hookPath: string,
      body: string,
      headers: Record<string, string>,
      options: { contentType?: string | null } = {},
    ): Promise<TestResponse> {
      const contentType = options.contentType === undefined ? 'application/json' : options.contentType;
      return t.request({
        method: 'POST',
        url: hookPath,
        token: null,
        body,
        headers: { ...(contentType === null ? {} : { 'content-type': contentType }), ...headers },
      });
    },

    async close() {
      await t.close();
      await vendor.close();
    },
  };
}

export type Conformance = Awaited<ReturnType<typeof startConformance>>;
