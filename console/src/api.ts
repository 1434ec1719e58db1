import type { Middleware } from 'openapi-fetch';
import { createSwitchyardClient, SwitchyardError, type ProblemDetails } from '../../sdk/index.js';
import type { components, paths } from '../../sdk/schema.js';

export type Schemas = components['schemas'];
/** A route's types, for answers that have no named schema (`ApiPaths['/v1/imports/inspect']['post']`). */
export type ApiPaths = paths;
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

/** Field problems of a `validation_failed` answer with their whole path, `body.` dropped (`rules.0.condition`). */
export function fieldProblems(error: unknown): { path: string; message: string }[] {
  if (!(error instanceof SwitchyardError)) return [];
  return (error.problem.errors ?? []).map((e) => ({ path: e.path.replace(/^body\./, ''), message: e.message }));
}

/** The first message at each whole path (`rules.0.actions.1.url`), for forms with repeated parts. */
export function errorsByPath(error: unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of fieldProblems(error)) if (!out.has(p.path)) out.set(p.path, p.message);
  return out;
}

/**
 * The problems inside a field whose value is a document (a JSON Schema), each saying where in it: the API's path
 * below the field is kept (`schema/properties/amount/type` → "At /properties/amount/type: must be …").
 */
export function documentErrors(error: unknown, field: string): string | undefined {
  const inField = fieldProblems(error).filter(
    (p) => p.path === field || p.path.startsWith(`${field}/`) || p.path.startsWith(`${field}.`),
  );
  if (inField.length === 0) return undefined;
  return inField
    .map((p) => {
      const where = p.path.slice(field.length).replaceAll('.', '/');
      return where ? `At ${where}: ${p.message}` : p.message;
    })
    .join(' · ');
}
