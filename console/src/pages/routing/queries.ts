import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { csrfToken, SwitchyardError, type ProblemDetails } from '../../api.js';
import { routeKeys } from '../../query-keys.js';
import { useWrite } from '../../ui/mutation.js';
import type {
  Capability,
  Explanation,
  Page,
  QueryAnswer,
  Route,
  RouteCall,
  RouteHealth,
  RouteInput,
  RouteStats,
} from './types.js';

/** A call to the routing API with the session cookie (and the CSRF token on writes); a problem is thrown. */
async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const token = csrfToken();
  if (method !== 'GET' && token) headers['x-csrf-token'] = token;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const problem = (parsed ?? {}) as Partial<ProblemDetails>;
    throw new SwitchyardError({
      type: problem.type ?? 'about:blank',
      title: problem.title ?? response.statusText,
      status: problem.status ?? response.status,
      detail: problem.detail ?? response.statusText,
      code: problem.code ?? 'unexpected_response',
      ...problem,
    } as ProblemDetails);
  }
  return parsed as T;
}

const routePath = (name: string) => `/v1/routes/${encodeURIComponent(name)}`;

/** A route's name and capability are fixed once made: an update sends everything else. */
function patchOf(body: RouteInput): Omit<RouteInput, 'name' | 'capability'> {
  const { name: _name, capability: _capability, ...rest } = body;
  return rest;
}

/** A route's provider's connection name, by connection id (the health and query answers name only the id). */
export const providerName = (route: Route) => (connectionId: string) =>
  route.providers.find((p) => p.connection_id === connectionId)?.name ?? connectionId;

/** Every capability (standard model) with whether the tenant's subscription enables it. */
export function useCapabilities() {
  return useQuery({
    queryKey: routeKeys.capabilities,
    queryFn: () => request<{ data: Capability[] }>('GET', '/v1/capabilities'),
    staleTime: 5 * 60_000,
  });
}

/** Every route of the tenant (a tenant has a handful: one or two per capability). */
export function useRoutes() {
  return useQuery({
    queryKey: routeKeys.list,
    queryFn: async () => {
      const all: Route[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<Route> = await request('GET', `/v1/routes?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
        all.push(...page.data);
        cursor = page.next_cursor;
      } while (cursor);
      return all;
    },
  });
}

/** A route by name; `enabled: false` for a form creating one (there is nothing to read yet). */
export function useRoute(name: string, enabled = true) {
  return useQuery({
    queryKey: routeKeys.detail(name),
    queryFn: () => request<Route>('GET', routePath(name)),
    enabled,
  });
}

/** Breaker, quota and rate-limit state of each provider: it moves on its own, so it is read again every 10 s. */
export function useRouteHealth(name: string) {
  return useQuery({
    queryKey: routeKeys.health(name),
    queryFn: () => request<RouteHealth>('GET', `${routePath(name)}/health`),
    refetchInterval: 10_000,
  });
}

export function useRouteStats(name: string, hours: number) {
  return useQuery({
    queryKey: routeKeys.stats(name, hours),
    queryFn: () => request<RouteStats>('GET', `${routePath(name)}/stats?hours=${hours}`),
    refetchInterval: 30_000,
  });
}

export function useRouteCalls(name: string, outcome: string, cursor: string | undefined) {
  const params = new URLSearchParams({ limit: '25' });
  if (outcome) params.set('outcome', outcome);
  if (cursor) params.set('cursor', cursor);
  return useQuery({
    queryKey: routeKeys.calls(name, outcome, cursor),
    queryFn: () => request<Page<RouteCall>>('GET', `${routePath(name)}/calls?${params.toString()}`),
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  });
}

/** Create a route, or update the one named `existing`; the caller says where to go once saved. */
export function useSaveRoute(existing: string | undefined) {
  return useWrite({
    run: (body: RouteInput) =>
      existing
        ? request<Route>('PATCH', routePath(existing), patchOf(body))
        : request<Route>('POST', '/v1/routes', body),
    success: (route) => (existing ? `Route “${route.name}” saved.` : `Route “${route.name}” created.`),
    invalidate: [routeKeys.all],
    quietErrors: true,
  });
}

export function useDeleteRoute(onDeleted: () => void) {
  return useWrite({
    run: (route: Route) => request<void>('DELETE', routePath(route.name)),
    success: (_, route) => `Route “${route.name}” deleted.`,
    invalidate: [routeKeys.list],
    onSuccess: onDeleted,
  });
}

/** Close a provider's breaker and clear its quota mark (audited). */
export function useResetProvider(routeName: string) {
  return useWrite({
    run: (provider: { connection_id: string; name: string }) =>
      request<unknown>('POST', `${routePath(routeName)}/providers/${encodeURIComponent(provider.connection_id)}/reset`),
    success: (_, provider) => `${provider.name}: breaker closed and quota mark cleared.`,
    invalidate: [routeKeys.detail(routeName)],
  });
}

/** Run a query through the route (a real call to the providers); the call log and health change with it. */
export function useRunQuery(routeName: string) {
  return useWrite({
    run: (query: Record<string, unknown>) =>
      request<QueryAnswer>('POST', `${routePath(routeName)}/query`, { query, dry_run: false }),
    invalidate: [routeKeys.detail(routeName)],
    quietErrors: true,
  });
}

/** Which provider would answer this query now, and why (nothing is called). */
export function useExplainQuery(routeName: string) {
  return useWrite({
    run: (query: Record<string, unknown>) => request<Explanation>('POST', `${routePath(routeName)}/explain`, { query }),
    quietErrors: true,
  });
}
