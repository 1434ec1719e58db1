import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../../../api.js';
import { useSession } from '../../../auth.js';
import { webhookKeys } from '../../../query-keys.js';
import { Dialog, useCursorPages } from '../../../ui/components.js';
import { PagedTable } from '../../../ui/table.js';
import { useRefreshWith } from '../shared/refresh-with.js';
import { FilterBar, FilterSelect, FilterText, LogEmptyState, optionsOf, useLogFilters } from '../shared/log-filters.js';
import { anyTime, rangeQuery, TimeRangeFilter, type TimeRange } from '../shared/time-range.js';
import { DeliveryDialog } from './delivery-detail.js';
import { deliveryColumns, DeliveryRow } from './delivery-row.js';
import { useEndpointNames, useEventTypeOptions } from './queries.js';
import { ReplayDeliveriesForm } from './replay-deliveries.js';

type DeliveryFilters = { endpoint: string; eventType: string; status: string; range: TimeRange; q: string };
const noFilters: DeliveryFilters = { endpoint: '', eventType: '', status: '', range: anyTime, q: '' };
const deliveryStatuses = ['pending', 'dispatched', 'delivered', 'failed', 'skipped'] as const;

/** Every delivery, newest first, with filters, search, a detail per delivery and range replays. */
export function DeliveryLog() {
  const { can } = useSession();
  const pages = useCursorPages();
  const log = useLogFilters(noFilters, 'q', pages);
  const { filters } = log;
  const [selected, setSelected] = useState<string>();
  const [replaying, setReplaying] = useState(false);
  const endpoints = useEndpointNames();
  const eventTypes = useEventTypeOptions();
  const list = useQuery({
    queryKey: webhookKeys.deliveriesPage(filters, pages.cursor),
    queryFn: () =>
      call(
        api.GET('/v1/webhooks/deliveries', {
          params: {
            query: {
              limit: 25,
              ...(pages.cursor ? { cursor: pages.cursor } : {}),
              ...(filters.endpoint ? { endpoint_id: filters.endpoint } : {}),
              ...(filters.eventType ? { event_type: filters.eventType } : {}),
              ...(filters.status ? { status: filters.status } : {}),
              ...(filters.q ? { q: filters.q } : {}),
              ...rangeQuery(filters.range),
            },
          },
        }),
      ),
    // While something is on its way, keep the log current.
    refetchInterval: (query) =>
      query.state.data?.data.some((d) => d.status === 'pending' || d.status === 'dispatched') ? 5000 : false,
  });
  // A delivery that settled changes its endpoint's health and the statistics above the log.
  useRefreshWith(list.data, [webhookKeys.endpoints, webhookKeys.statsAll]);
  const selectedEndpoint = list.data?.data.find((d) => d.id === selected)?.endpoint_id ?? '';
  return (
    <section className="stack" aria-labelledby="deliveries-title">
      <div className="page-header">
        <h2 id="deliveries-title">Delivery log</h2>
        <div className="row">
          <button type="button" className="button" onClick={() => void list.refetch()} disabled={list.isFetching}>
            {list.isFetching ? 'Refreshing…' : 'Refresh'}
          </button>
          {can('manage_webhooks') && (
            <button type="button" className="button" onClick={() => setReplaying(true)}>
              Replay a range…
            </button>
          )}
        </div>
      </div>
      <FilterBar label="Filter deliveries" submitLabel="Search" state={log}>
        <FilterSelect state={log} name="endpoint" label="Endpoint" empty="All endpoints" options={endpoints.options} />
        <FilterSelect state={log} name="eventType" label="Event type" empty="All types" options={eventTypes} />
        <FilterSelect
          state={log}
          name="status"
          label="Status"
          empty="Any status"
          options={optionsOf(deliveryStatuses)}
        />
        <TimeRangeFilter value={filters.range} onChange={(range) => log.update({ range })} />
        <FilterText label="Search" placeholder="Event or delivery id" state={log} />
      </FilterBar>
      <PagedTable
        query={list}
        pages={pages}
        loading="Loading deliveries"
        empty={
          <LogEmptyState filtered={log.filtered} noun="deliveries" title="No deliveries yet">
            Deliveries appear here once an event is published to a type an enabled endpoint subscribes to.
          </LogEmptyState>
        }
        testId="deliveries-table"
        columns={deliveryColumns}
        actions="Details"
        row={(d) => (
          <DeliveryRow key={d.id} delivery={d} url={endpoints.urlOf(d.endpoint_id)} onOpen={() => setSelected(d.id)} />
        )}
      />
      <DeliveryDialog
        id={selected}
        url={selected ? endpoints.urlOf(selectedEndpoint) : ''}
        onClose={() => setSelected(undefined)}
      />
      {can('manage_webhooks') && (
        <Dialog title="Replay deliveries" open={replaying} onClose={() => setReplaying(false)}>
          {replaying && <ReplayDeliveriesForm onClose={() => setReplaying(false)} />}
        </Dialog>
      )}
    </section>
  );
}
