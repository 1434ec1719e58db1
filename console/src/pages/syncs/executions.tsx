import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { api, call } from '../../api.js';
import { useSession } from '../../auth.js';
import { syncKeys } from '../../query-keys.js';
import { BarChart } from '../../ui/chart.js';
import { Badge, EmptyState, ErrorState, formatTime, Loading, Time, useCursorPages } from '../../ui/components.js';
import { PagedTable } from '../../ui/table.js';
import { RowButton } from '../webhooks/shared/controls.js';
import { count, duration, isLive, triggerLabels, type Execution } from './labels.js';
import { useCancelExecution } from './queries.js';

const columns = ['Run', 'Status', 'Trigger', 'Processed', 'Created', 'Updated', 'Deleted', 'Failed', 'Duration'];

/** A run's status, and "stuck" beside it when its node stopped heartbeating (seed 000 troubleshooting). */
export function ExecutionStatus({ execution: e }: { execution: Execution }) {
  return (
    <span className="sy-status">
      <Badge value={e.status} />
      {e.stuck && <Badge value="stuck" label="stuck" />}
      {e.cancel_requested && isLive(e.status) && <span className="muted small">cancelling…</span>}
    </span>
  );
}

/** The runs of one sync, newest first, live while one is in progress; Cancel on those that have not ended. */
export function ExecutionsTable({ syncId }: { syncId: string }) {
  const { can } = useSession();
  const pages = useCursorPages();
  const list = useQuery({
    queryKey: syncKeys.executions(syncId, pages.cursor),
    queryFn: () =>
      call(
        api.GET('/v1/syncs/executions', {
          params: { query: { sync_id: syncId, limit: 20, ...(pages.cursor ? { cursor: pages.cursor } : {}) } },
        }),
      ),
    refetchInterval: (q) => (q.state.data?.data.some((e) => isLive(e.status)) ? 1500 : 15_000),
  });
  const cancel = useCancelExecution();
  const mayCancel = can('run_syncs');
  useRefreshWhenRunsEnd(syncId, list.data?.data);
  return (
    <section className="stack" aria-labelledby="executions-title">
      <h2 id="executions-title">Executions</h2>
      <PagedTable
        query={list}
        pages={pages}
        loading="Loading runs"
        empty={<EmptyState title="Not run yet">Run it, or wait for its schedule.</EmptyState>}
        testId="executions-table"
        columns={columns}
        actions={mayCancel ? 'Actions' : undefined}
        row={(e) => (
          <tr key={e.id} data-testid="execution-row">
            <td>
              <Link to={`/syncs/executions/${e.id}`}>{formatTime(e.started_at ?? e.created_at)}</Link>
              <div className="muted small">
                <Time iso={e.started_at ?? e.created_at} />
              </div>
              {e.full_refresh && <div className="muted small">full refresh</div>}
            </td>
            <td>
              <ExecutionStatus execution={e} />
              {e.error && <div className="small sy-error-text">{e.error}</div>}
            </td>
            <td>{triggerLabels[e.trigger]}</td>
            <td>{count(e.records.processed)}</td>
            <td>{count(e.records.created)}</td>
            <td>{count(e.records.updated)}</td>
            <td>{count(e.records.deleted)}</td>
            <td>{count(e.records.failed)}</td>
            <td>{duration(e.duration_ms)}</td>
            {mayCancel && (
              <td>
                {isLive(e.status) && !e.cancel_requested && (
                  <RowButton
                    name={`Cancel the run of ${formatTime(e.started_at ?? e.created_at)}`}
                    onClick={() => cancel.mutate(e)}
                  >
                    Cancel
                  </RowButton>
                )}
              </td>
            )}
          </tr>
        )}
      />
    </section>
  );
}

/**
 * When a run ends (one seen waiting or running has ended, or an ended one appears), the sync and its state are read
 * again: the run moved its checkpoints and its last-run figures.
 */
function useRefreshWhenRunsEnd(syncId: string, executions: Execution[] | undefined) {
  const client = useQueryClient();
  const seen = useRef<Map<string, Execution['status']>>(undefined);
  useEffect(() => {
    if (!executions) return;
    const before = seen.current;
    seen.current = new Map(executions.map((e) => [e.id, e.status]));
    if (!before) return;
    const ended = executions.some((e) => !isLive(e.status) && (before.get(e.id) ?? 'pending') !== e.status);
    if (ended) void client.invalidateQueries({ queryKey: syncKeys.detail(syncId) });
  }, [client, syncId, executions]);
}

/** Records per run over the last 30 runs, oldest on the left: created, updated and failed stacked. */
export function RecordsChart({ syncId }: { syncId: string }) {
  const runs = useQuery({
    queryKey: syncKeys.chart(syncId),
    queryFn: () => call(api.GET('/v1/syncs/executions', { params: { query: { sync_id: syncId, limit: 30 } } })),
    refetchInterval: (q) => (q.state.data?.data.some((e) => isLive(e.status)) ? 3000 : 30_000),
  });
  if (runs.isPending) return <Loading what="Loading the chart" />;
  if (runs.error) return <ErrorState error={runs.error} retry={() => void runs.refetch()} />;
  const ended = [...runs.data.data].reverse();
  if (ended.length === 0) return null;
  const label = (e: Execution) =>
    new Date(e.started_at ?? e.created_at).toLocaleString(undefined, {
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
  return (
    <BarChart
      title="Records per run"
      labels={ended.map(label)}
      series={[
        { name: 'Created', tone: 'good', values: ended.map((e) => e.records.created) },
        { name: 'Updated', tone: 'info', values: ended.map((e) => e.records.updated) },
        { name: 'Failed', tone: 'bad', values: ended.map((e) => e.records.failed) },
      ]}
    />
  );
}
