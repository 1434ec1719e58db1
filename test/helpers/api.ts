import type { FastifyInstance } from 'fastify';
import type { FetchResponse, MaybeOptionalInit } from 'openapi-fetch';
import { expect } from 'vitest';
import { createSwitchyardClient, type ApiResult, type paths, type SwitchyardClientOptions } from '../../sdk/index.js';

/**
 * The SDK as the test client: paths, parameters, bodies and results are typed from openapi.json (sdk/schema.d.ts),
 * so a test that sends a body the API does not declare, or reads a field it does not return, fails to type-check.
 * Requests that the types cannot express (malformed JSON, wrong types on purpose) go through `TestApp.request`.
 */

type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';
type PathsWith<M extends Method> = { [P in keyof paths]: paths[P] extends Record<M, object> ? P : never }[keyof paths];
type Init<P extends keyof paths, M extends Method> = MaybeOptionalInit<paths[P], M>;
type Call<M extends Method> = <P extends PathsWith<M>>(
  url: P,
  ...init: undefined extends Init<P, M> ? [init?: Init<P, M>] : [init: Init<P, M>]
) => Promise<FetchResponse<paths[P][M] & object, object, `${string}/${string}`>>;

/**
 * The SDK client as tests use it. Its calls take the request (`params`, `body`) as the operation declares it and
 * nothing else: the SDK's own signature infers the request's type from the argument, which lets a misspelt or
 * undeclared body field through, and a test that sends one would pass for a reason it does not state.
 */
export type TestClient = {
  GET: Call<'get'>;
  PUT: Call<'put'>;
  POST: Call<'post'>;
  PATCH: Call<'patch'>;
  DELETE: Call<'delete'>;
};

/** The JSON body an operation takes, e.g. `JsonBody<'/v1/connections', 'post'>`. */
export type JsonBody<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

/** The query parameters an operation takes (all optional ones: `{}` is always one), e.g. `QueryParams<'/v1/audit'>`. */
export type QueryParams<P extends keyof paths, M extends keyof paths[P] = 'get' & keyof paths[P]> = NonNullable<
  paths[P][M] extends { parameters: { query?: infer Q } } ? Q : never
>;

/** A `fetch` that hands each request to `app.inject()`: the SDK runs end to end without a port. */
export function injectFetch(app: FastifyInstance) {
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const body = request.body ? await request.text() : undefined;
    const res = await app.inject({
      method: request.method as 'GET',
      url: url.pathname + url.search,
      headers: Object.fromEntries(request.headers),
      ...(body !== undefined ? { payload: body } : {}),
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
    }
    const empty = res.statusCode === 204 || res.rawPayload.length === 0;
    return new Response(empty ? null : res.rawPayload, { status: res.statusCode, headers });
  };
}

/** An SDK client with the test client's narrower signature (the same calls). */
export function testClient(options: SwitchyardClientOptions): TestClient {
  // TypeScript cannot relate the SDK's generic call signature to the narrower one.
  return createSwitchyardClient(options) as unknown as TestClient;
}

/** An SDK client that calls `app` in process, as `token` (none when null), in `tenant` when given (superusers). */
export function injectClient(
  app: FastifyInstance,
  token: string | null,
  options: { tenant?: string } = {},
): TestClient {
  return testClient({
    // Only the path and query reach `app.inject()`; the origin is never dialled.
    baseUrl: 'http://switchyard.test',
    ...(token ? { token } : {}),
    ...(options.tenant ? { tenant: options.tenant } : {}),
    fetch: injectFetch(app),
  });
}

/**
 * Await an SDK call (or take its result), expect its status (a failed call's problem is the assertion message) and
 * return its data.
 *
 * @example
 * const created = await expectData(t.api.POST('/v1/secrets', { body: { name: 'S', value: 'v' } }), 201);
 */
export async function expectData<D>(call: Promise<ApiResult<D>> | ApiResult<D>, status = 200): Promise<D> {
  const { data, error, response } = await call;
  expect(response.status, JSON.stringify(error ?? data)).toBe(status);
  return data as D;
}

/** A connection as the API shows it to the administrator (`GET /v1/connections/{id}`). */
export function getConnection(t: { api: TestClient }, id: string) {
  return expectData(t.api.GET('/v1/connections/{id}', { params: { path: { id } } }));
}
