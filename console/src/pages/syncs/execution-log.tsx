import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api, call } from '../../api.js';
import { syncKeys } from '../../query-keys.js';
import { Badge, EmptyState, ErrorState, JsonBlock, Loading } from '../../ui/components.js';
import { DataTable } from '../../ui/table.js';
import { CheckboxField } from '../webhooks/shared/controls.js';
import { useExecutionLog } from './queries.js';

const levelTone: Record<string, string> = { error: 'failed', warn: 'paused', info: 'pending', debug: 'inactive' };

/** A run's log, oldest first; while the run goes on, new lines are appended and (unless unticked) scrolled to. */
export function ExecutionLog({ id }: { id: string }) {
  const log = useExecutionLog(id);
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLDivElement>(null);
  const lines = log.data?.entries.length ?? 0;
  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, follow]);
  return (
    <section className="stack" aria-labelledby="log-title">
      <div className="page-header">
        <h2 id="log-title">Log</h2>
        {log.data && !log.data.finished && (
          <CheckboxField label="Follow the log" checked={follow} onChange={setFollow} />
        )}
      </div>
      {log.isPending ? (
        <Loading what="Loading the log" />
      ) : log.error ? (
        <ErrorState error={log.error} retry={() => void log.refetch()} />
      ) : log.data.entries.length === 0 ? (
        <p className="muted">{log.data.finished ? 'This run wrote no log.' : 'Nothing logged yet…'}</p>
      ) : (
        <div className="sy-log" ref={box} tabIndex={0} role="log" aria-label="Run log" data-testid="execution-log">
          <ol>
            {log.data.entries.map((l) => (
              <li key={l.id}>
                <time dateTime={l.at} className="muted">
                  {new Date(l.at).toLocaleTimeString()}
                </time>{' '}
                <Badge value={levelTone[l.level] ?? 'inactive'} label={l.level} />{' '}
                {l.stream && <code className="sy-log-stream">{l.stream}</code>} <span>{l.message}</span>
              </li>
            ))}
          </ol>
        </div>
      )}
      {log.data && !log.data.finished && (
        <p className="muted small">Following the run: new lines appear as it writes them.</p>
      )}
    </section>
  );
}

/** The records the run rejected (a mapping or the target refused them), with the reasons; more on request. */
export function RejectedRecords({ id, failed }: { id: string; failed: number }) {
  const rejected = useInfiniteQuery({
    queryKey: [...syncKeys.rejected(id), failed],
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/v1/syncs/executions/{id}/rejected', {
          params: { path: { id }, query: { limit: 50, ...(pageParam ? { after: pageParam } : {}) } },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_after ?? undefined,
  });
  const rows = rejected.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <section className="stack" aria-labelledby="rejected-title">
      <h2 id="rejected-title">Rejected records</h2>
      {rejected.isPending ? (
        <Loading what="Loading rejected records" />
      ) : rejected.error ? (
        <ErrorState error={rejected.error} retry={() => void rejected.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title="No record was rejected" />
      ) : (
        <>
          <DataTable columns={['Stream', 'Key', 'Reason', 'Record']} testId="rejected-records">
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <code>{r.stream}</code>
                </td>
                <td>{r.record_key ? <code>{r.record_key}</code> : <span className="muted">—</span>}</td>
                <td className="sy-error-text">{r.reason}</td>
                <td>
                  <details>
                    <summary>Show record</summary>
                    <JsonBlock value={r.record} label={`Rejected record ${r.record_key ?? r.id}`} />
                  </details>
                </td>
              </tr>
            ))}
          </DataTable>
          {rejected.hasNextPage && (
            <button
              type="button"
              className="button"
              disabled={rejected.isFetchingNextPage}
              onClick={() => void rejected.fetchNextPage()}
            >
              {rejected.isFetchingNextPage ? 'Loading…' : 'Show more'}
            </button>
          )}
        </>
      )}
    </section>
  );
}
