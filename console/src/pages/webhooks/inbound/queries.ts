import { useQuery } from '@tanstack/react-query';
import { api, call, type Schemas } from '../../../api.js';
import { useSession } from '../../../auth.js';
import { connectionKeys, inboundKeys } from '../../../query-keys.js';
import { useWrite } from '../../../ui/mutation.js';

export type InboundEvent = Schemas['InboundEvent'];

/** The statuses an event can be run through its rules again from. */
export const replayableStatuses = new Set<InboundEvent['status']>(['received', 'processed', 'failed']);

/** Every source as select options (the log's filter, the range replay). */
export function useSourceOptions() {
  const sources = useQuery({
    queryKey: inboundKeys.sourceNames,
    queryFn: () => call(api.GET('/v1/inbound/sources', { params: { query: { limit: 200 } } })),
  });
  return (sources.data?.data ?? []).map((s) => ({ value: s.id, label: s.name }));
}

/** The connections a source can belong to, for roles that may list them. */
export function useConnections() {
  const { can } = useSession();
  return useQuery({
    queryKey: connectionKeys.picker,
    queryFn: () => call(api.GET('/v1/connections', { params: { query: { limit: 200, sort: 'name' } } })),
    enabled: can('list_connections'),
  });
}

/** Run one event through its source's rules again; `variables` is the id of the event being replayed. */
export function useReplayEvent() {
  return useWrite({
    run: (id: string) => call(api.POST('/v1/inbound/events/{id}/replay', { params: { path: { id } } })),
    success: 'Event queued to run through its source’s rules again.',
    invalidate: [inboundKeys.events],
  });
}
