/**
 * The typed Switchyard SDK: a thin `openapi-fetch` client over the types generated from `openapi.json`, so every
 * path, parameter, body and response is checked at compile time and nothing is written by hand. Works in Node,
 * browsers and workers alike (it only needs `fetch`).
 */
import createClient, { type Client } from 'openapi-fetch';
import { problemMiddleware } from './problem.js';
import { proxyCall, type ProxyMethod, type ProxyRequestOptions, type ProxyResult } from './proxy.js';
import type { paths } from './schema.js';

export type { components, operations, paths } from './schema.js';
export { isProblem, SwitchyardError, unwrap, type ApiResult, type ProblemDetails } from './problem.js';
export { listAll, paginate, type Page } from './paginate.js';
export type { ProxyMethod, ProxyRequestOptions, ProxyResult } from './proxy.js';

export type SwitchyardClient = Client<paths> & {
  /**
   * Call a vendor's API through a connection (`ANY /v1/connections/{id}/proxy/<path>`): Switchyard adds the
   * connection's credentials, retries and logs the call. Resolves to the vendor's status, headers and body (`data`,
   * parsed JSON or text), whatever the status; `error` is set only when Switchyard itself refused the call.
   *
   * @example
   * const { status, data, error } = await client.proxy(connectionId, 'GET', '/v1/customers', { query: { limit: 3 } });
   * if (error) console.error(`error ${error.code}: ${error.detail}`);
   * else console.log(status, data);
   */
  proxy<T = unknown>(
    connectionId: string,
    method: ProxyMethod,
    path: string,
    options?: ProxyRequestOptions,
  ): Promise<ProxyResult<T>>;
};

export type SwitchyardClientOptions = {
  /** Where the server listens, e.g. `https://switchyard.example.com` (no `/v1`: paths include it). */
  baseUrl: string;
  /** An API key (`syk_…`) or a session token (`sys_…`), sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Superusers only: act in another tenant, by id or slug (the `Switchyard-Tenant` header). */
  tenant?: string;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** A `fetch` to use instead of the global one (tests route it to an in-process server). */
  fetch?: (request: Request) => Promise<Response>;
};

/**
 * Create a client. Calls resolve to `{ data, error, response }`: `error` is a `ProblemDetails` whenever the call
 * failed, and nothing is thrown except for network failures. Wrap a call in `unwrap()` to get the data or a thrown
 * `SwitchyardError` instead.
 *
 * @example
 * const client = createSwitchyardClient({ baseUrl: 'http://127.0.0.1:4000', token: process.env.SWITCHYARD_TOKEN });
 * const { data, error } = await client.POST('/v1/api-keys', { body: { name: 'ci', role: 'viewer' } });
 * if (error) console.error(`error ${error.code}: ${error.detail}`);
 * else console.log('store it now:', data.token);
 */
export function createSwitchyardClient(options: SwitchyardClientOptions): SwitchyardClient {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.tenant) headers['switchyard-tenant'] = options.tenant;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const client = createClient<paths>({ baseUrl, headers, ...(options.fetch ? { fetch: options.fetch } : {}) });
  client.use(problemMiddleware);
  // Read when called, as openapi-fetch does, so a test that replaces the global fetch is followed.
  const transport = { baseUrl, headers, fetch: (request: Request) => (options.fetch ?? globalThis.fetch)(request) };
  return Object.assign(client, {
    proxy: <T = unknown>(id: string, method: ProxyMethod, path: string, request?: ProxyRequestOptions) =>
      proxyCall<T>(transport, id, method, path, request),
  });
}
