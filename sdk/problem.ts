import type { Middleware } from 'openapi-fetch';
import type { components } from './schema.js';

/**
 * An RFC 9457 problem: what every failed call returns as `error`. `code` is stable (see `/docs/errors`);
 * `errors` lists field problems for `validation_failed`. Besides the server's codes, the SDK itself uses
 * `unexpected_response` when something other than Switchyard answered (a proxy's HTML error page, an empty body).
 */
export type ProblemDetails = components['schemas']['Problem'];

/** What every SDK call resolves to: `data` on success, `error` (a problem) otherwise, and the raw response. */
export type ApiResult<D> = { data?: D; error?: ProblemDetails; response: Response };

/**
 * A failed call as an exception, for callers that prefer `try`/`catch` to checking `error`. Carries the whole
 * problem, so `err.code` and `err.problem.errors` are at hand.
 *
 * @example
 * try {
 *   await unwrap(client.GET('/v1/users/{id}', { params: { path: { id } } }));
 * } catch (err) {
 *   if (err instanceof SwitchyardError && err.code === 'not_found') return undefined;
 *   throw err;
 * }
 */
export class SwitchyardError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;

  constructor(readonly problem: ProblemDetails) {
    super(`${problem.code}: ${problem.detail}`);
    this.name = 'SwitchyardError';
    this.status = problem.status;
    this.code = problem.code;
    this.requestId = problem.request_id;
  }
}

/**
 * Await an SDK call and return its data, or throw a `SwitchyardError` carrying the problem.
 *
 * @example
 * const me = await unwrap(client.GET('/v1/me'));
 * console.log(me.tenant.slug);
 */
export async function unwrap<D>(call: Promise<ApiResult<D>>): Promise<D> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) {
    throw new SwitchyardError(error ?? unexpectedProblem(response.status, response.statusText, ''));
  }
  return data as D;
}

/**
 * Whether a value has the shape of a problem body (the server's, or one from a proxy that also speaks RFC 9457).
 *
 * @example
 * if (isProblem(body)) console.error(`error ${body.code}: ${body.detail}`);
 */
export function isProblem(value: unknown): value is ProblemDetails {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.status === 'number' && typeof v.detail === 'string';
}

function unexpectedProblem(status: number, statusText: string, body: string): ProblemDetails {
  const excerpt = body.trim().slice(0, 200);
  return {
    type: 'about:blank',
    title: statusText || 'Unexpected response',
    status,
    code: 'unexpected_response',
    detail: `The server answered ${status}${statusText ? ` ${statusText}` : ''} without a problem body${
      excerpt ? `: ${excerpt}` : '.'
    }`,
  };
}

/**
 * Failed responses that are not problem details (a gateway's HTML page, an empty 502) become one, so `error` is
 * always a `ProblemDetails` at run time as the types promise.
 */
export const problemMiddleware: Middleware = {
  async onResponse({ response }) {
    if (response.ok) return undefined;
    const text = await response.clone().text();
    try {
      if (isProblem(JSON.parse(text))) return undefined;
    } catch {
      // not JSON: replaced below
    }
    const problem = unexpectedProblem(response.status, response.statusText, text);
    return new Response(JSON.stringify(problem), {
      status: response.status,
      statusText: response.statusText,
      headers: { 'content-type': 'application/problem+json' },
    });
  },
};
