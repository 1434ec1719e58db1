import type { Middleware } from 'openapi-fetch';
import { createSwitchyardClient, SwitchyardError, type ProblemDetails } from '../../sdk/index.js';
import type { components } from '../../sdk/schema.js';

export type Schemas = components['schemas'];
export { SwitchyardError, type ProblemDetails };

const CSRF_COOKIE = 'switchyard_csrf';

/** The CSRF token sign-in set in a readable cookie; cookie-authenticated writes echo it in `X-CSRF-Token`. */
export function csrfToken(): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === CSRF_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** True when a session cookie pair is present (the session cookie itself is httpOnly; the CSRF one is not). */
export const hasSession = (): boolean => csrfToken() !== undefined;

const csrf: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const token = csrfToken();
      if (token) request.headers.set('x-csrf-token', token);
    }
    return request;
  },
};

/** The console talks to the API of the server that serves it, with the session cookie, through the typed SDK. */
export const api = createSwitchyardClient({ baseUrl: window.location.origin });
api.use(csrf);

/**
 * Await an SDK call and return its data, or throw a `SwitchyardError` carrying the API's problem details, which
 * TanStack Query hands to the page as `error`.
 */
export async function call<D>(request: Promise<{ data?: D; error?: unknown; response: Response }>): Promise<D> {
  const { data, error, response } = await request;
  if (error !== undefined) throw new SwitchyardError(error as ProblemDetails);
  if (response.status === 204) return undefined as D;
  return data as D;
}

/** A sentence for any error a page may meet: the API's own detail when it sent one. */
export function errorMessage(error: unknown): string {
  if (error instanceof SwitchyardError) return error.problem.detail || error.problem.title;
  if (error instanceof TypeError) return 'The server could not be reached. Check that Switchyard is running.';
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

/** Field problems of a `validation_failed` answer, keyed by the last segment of their path (`body.name` → `name`). */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof SwitchyardError)) return {};
  const out: Record<string, string> = {};
  for (const e of error.problem.errors ?? []) {
    const key = e.path.split(/[./]/).filter(Boolean).pop() ?? e.path;
    out[key] ??= e.message;
  }
  return out;
}
