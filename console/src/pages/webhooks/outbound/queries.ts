import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../../api.js';
import { webhookKeys } from '../../../query-keys.js';

/** Every endpoint: as select options, and each delivery's endpoint URL by id. */
export function useEndpointNames() {
  const endpoints = useQuery({
    queryKey: webhookKeys.endpointNames,
    queryFn: () => call(api.GET('/v1/webhooks/endpoints', { params: { query: { limit: 200 } } })),
  });
  const all = endpoints.data?.data ?? [];
  return {
    options: all.map((e) => ({ value: e.id, label: e.url })),
    urlOf: (id: string) => all.find((e) => e.id === id)?.url ?? id,
  };
}

/** Every event type (subscriptions, filters, publishing). */
export function useEventTypes() {
  return useQuery({
    queryKey: webhookKeys.eventTypeNames,
    queryFn: () => call(api.GET('/v1/event-types', { params: { query: { limit: 200 } } })),
  });
}

/** Every event type as select options. */
export function useEventTypeOptions() {
  const eventTypes = useEventTypes();
  return (eventTypes.data?.data ?? []).map((t) => ({ value: t.name, label: t.name }));
}
