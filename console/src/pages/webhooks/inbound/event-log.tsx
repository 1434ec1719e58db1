import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../../../api.js';
import { useSession } from '../../../auth.js';
import { inboundKeys } from '../../../query-keys.js';
import { Dialog, useCursorPages } from '../../../ui/components.js';
import { PagedTable } from '../../../ui/table.js';
import { AutoRefreshControls, useAutoRefresh } from '../shared/auto-refresh.js';
import { useRefreshWith } from '../shared/refresh-with.js';
import { FilterBar, FilterSelect, FilterText, LogEmptyState, optionsOf, useLogFilters } from '../shared/log-filters.js';
import { anyTime, rangeQuery, TimeRangeFilter, type TimeRange } from '../shared/time-range.js';
import { EventDetail } from './event-detail.js';
import { eventColumns, EventRow } from './event-row.js';
import { useReplayEvent, useSourceOptions } from './queries.js';
import { ReplayEventsForm } from './replay-events.js';

type EventFilters = { source: string; status: string; type: string; range: TimeRange };
const noFilters: EventFilters = { source: '', status: '', type: '', range: anyTime };
const eventStatuses = ['received', 'processed', 'failed', 'duplicate', 'rejected'] as const;

/** Every request the sources received, newest first, refreshed live, with filters and replays. */
export function EventLog() {
  const { can } = useSession();
  const manage = can('manage_inbound');
  const pages = useCursorPages();
  const refresh = useAutoRefresh(15);
  const sources = useSourceOptions();
  const log = useLogFilters(noFilters, 'type', pages);
  const { filters } = log;
  const [selected, setSelected] = useState<string>();
  const [replayingRange, setReplayingRange] = useState(false);
  const list = useQuery({
    queryKey: inboundKeys.eventsPage(filters, pages.cursor),
    queryFn: () =>
      call(
        api.GET('/v1/inbound/events', {
          params: {
            query: {
              limit: 25,
              ...(pages.cursor ? { cursor: pages.cursor } : {}),
              ...(filters.source ? { source_id: filters.source } : {}),
              ...(filters.status ? { status: filters.status } : {}),
              ...(filters.type ? { type: filters.type } : {}),
              ...rangeQuery(filters.range),
            },
          },
        }),
      ),
    refetchInterval: refresh.interval,
  });
  // A new row (a rejected request, an event its rules ran) changes its source's counters beside the log.
  useRefreshWith(list.data, [inboundKeys.sources]);
  const replay = useReplayEvent();
  return (
    <section className="stack" aria-labelledby="events-title">
      <div className="page-header">
        <h2 id="events-title">Event log</h2>
        {manage && (
          <button type="button" className="button" onClick={() => setReplayingRange(true)}>
            Replay a range…
          </button>
        )}
      </div>
      <AutoRefreshControls
        state={refresh}
        onRefresh={() => void list.refetch()}
        fetching={list.isFetching}
        updatedAt={list.dataUpdatedAt}
      />
      <FilterBar label="Filter events" submitLabel="Apply" state={log}>
        <FilterSelect state={log} name="source" label="Source" empty="All sources" options={sources} />
        <FilterSelect state={log} name="status" label="Status" empty="Any status" options={optionsOf(eventStatuses)} />
        <FilterText label="Event type" placeholder="Exact, or a prefix: invoice.*" state={log} />
        <TimeRangeFilter value={filters.range} onChange={(range) => log.update({ range })} />
      </FilterBar>
      <PagedTable
        query={list}
        pages={pages}
        loading="Loading events"
        empty={
          <LogEmptyState filtered={log.filtered} noun="events" title="No events received yet">
            Give a source’s URL to the vendor; each request it sends appears here within seconds.
          </LogEmptyState>
        }
        testId="events-table"
        columns={eventColumns}
        actions="Actions"
        row={(e) => (
          <EventRow
            key={e.id}
            event={e}
            onOpen={() => setSelected(e.id)}
            onReplay={manage ? () => replay.mutate(e.id) : undefined}
            replaying={replay.isPending && replay.variables === e.id}
          />
        )}
      />
      <Dialog title="Inbound event" open={selected !== undefined} onClose={() => setSelected(undefined)} wide>
        {selected && <EventDetail id={selected} />}
      </Dialog>
      {manage && (
        <Dialog title="Replay events" open={replayingRange} onClose={() => setReplayingRange(false)}>
          {replayingRange && <ReplayEventsForm onClose={() => setReplayingRange(false)} />}
        </Dialog>
      )}
    </section>
  );
}
