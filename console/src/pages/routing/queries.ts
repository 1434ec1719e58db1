import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, call } from '../../api.js';
import { routeKeys } from '../../query-keys.js';
import { useWrite } from '../../ui/mutation.js';
import type { CallOutcome, Capability, Explanation, QueryAnswer, Route, RouteInput } from './types.js';

const byName = (name: string) => ({ params: { path: { name } } });

/** A route's name and capability are fixed once made: an update sends everything else. */
function patchOf(body: RouteInput) {
  const { name: _name, capability: _capability, ...rest } = body;
  return rest;
}

/** A route's provider's connection name, by connection id (attempts and fusion reports name only the id). */
export const providerName = (route: Route) => (connectionId: string) =>
  route.providers.find((p) => p.connection_id === connectionId)?.name ?? connectionId;

/** Every capability (standard model) with whether the tenant's subscription enables it. */
export function useCapabilities() {
  return useQuery({
    queryKey: routeKeys.capabilities,
    queryFn: async () => {
      const answer = await call(api.GET('/v1/capabilities'));
      // The query and record schemas are JSON Schema documents (typed as open objects by the API).
      return { data: answer.data as Capability[] };
    },
    staleTime: 5 * 60_000,
  });
}

/** Every route of the tenant (a tenant has a handful: one or two per capability). */
export function useRoutes() {
  return useQuery({
    queryKey: routeKeys.list,
    queryFn: async () => {
      const all: Route[] = [];
      let cursor: string | undefined;
      do {
        const page = await call(
          api.GET('/v1/routes', { params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } } }),
        );
        all.push(...page.data);
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      return all;
    },
  });
}

/** A route by name; `enabled: false` for a form creating one (there is nothing to read yet). */
export function useRoute(name: string, enabled = true) {
  return useQuery({
    queryKey: routeKeys.detail(name),
    queryFn: () => call(api.GET('/v1/routes/{name}', byName(name))),
    enabled,
  });
}

/** Breaker, quota and rate-limit state of each provider: it moves on its own, so it is read again every 10 s. */
export function useRouteHealth(name: string) {
  return useQuery({
    queryKey: routeKeys.health(name),
    queryFn: () => call(api.GET('/v1/routes/{name}/health', byName(name))),
    refetchInterval: 10_000,
  });
}

export function useRouteStats(name: string, hours: number) {
  return useQuery({
    queryKey: routeKeys.stats(name, hours),
    queryFn: () => call(api.GET('/v1/routes/{name}/stats', { params: { path: { name }, query: { hours } } })),
    refetchInterval: 30_000,
  });
}

export function useRouteCalls(name: string, outcome: CallOutcome | '', cursor: string | undefined) {
  return useQuery({
    queryKey: routeKeys.calls(name, outcome, cursor),
    queryFn: () =>
      call(
        api.GET('/v1/routes/{name}/calls', {
          params: {
            path: { name },
            query: {
              limit: 25,
              ...(cursor ? { cursor } : {}),
              ...(outcome ? { outcome } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  });
}

/** Create a route, or update the one named `existing`; the caller says where to go once saved. */
export function useSaveRoute(existing: string | undefined) {
  return useWrite({
    run: (body: RouteInput) =>
      existing
        ? call(api.PATCH('/v1/routes/{name}', { ...byName(existing), body: patchOf(body) }))
        : call(api.POST('/v1/routes', { body })),
    success: (route) => (existing ? `Route “${route.name}” saved.` : `Route “${route.name}” created.`),
    invalidate: [routeKeys.all],
    quietErrors: true,
  });
}

export function useDeleteRoute(onDeleted: () => void) {
  return useWrite({
    run: (route: Route) => call(api.DELETE('/v1/routes/{name}', byName(route.name))),
    success: (_, route) => `Route “${route.name}” deleted.`,
    invalidate: [routeKeys.list],
    onSuccess: onDeleted,
  });
}

/** Close a provider's breaker and clear its rate-limit mark (audited). */
export function useResetProvider(routeName: string) {
  return useWrite({
    run: (provider: { connection_id: string; name: string }) =>
      call(
        api.POST('/v1/routes/{name}/providers/{connection_id}/reset', {
          params: { path: { name: routeName, connection_id: provider.connection_id } },
        }),
      ),
    success: (_, provider) => `${provider.name}: breaker closed and limit mark cleared.`,
    invalidate: [routeKeys.detail(routeName)],
  });
}

/** Run a query through the route (a real call to the providers); the call log and health change with it. */
export function useRunQuery(routeName: string) {
  return useWrite({
    run: async (query: Record<string, unknown>) =>
      // Without dry_run the answer is a RouteAnswer (dry_run answers an explanation); its record follows the capability.
      (await call(
        api.POST('/v1/routes/{name}/query', { ...byName(routeName), body: { query, dry_run: false } }),
      )) as QueryAnswer,
    invalidate: [routeKeys.detail(routeName)],
    quietErrors: true,
  });
}

/** Which provider would answer this query now, and why (nothing is called). */
export function useExplainQuery(routeName: string) {
  return useWrite({
    run: (query: Record<string, unknown>): Promise<Explanation> =>
      call(api.POST('/v1/routes/{name}/explain', { ...byName(routeName), body: { query } })),
    quietErrors: true,
  });
}
