import { Link, useParams } from 'react-router';
import { SwitchyardError } from '../../api.js';
import { useSession } from '../../auth.js';
import { ErrorState, formatTime, Loading } from '../../ui/components.js';
import { DataTable } from '../../ui/table.js';
import { Badge } from '../../ui/components.js';
import { ExecutionLog, RejectedRecords } from './execution-log.js';
import { ExecutionStatus } from './executions.js';
import { ErrorsFileLink, undoable, UndoButton, UndoSummary } from './imports/run-parts.js';
import { count, duration, isLive, triggerLabels, type Execution } from './labels.js';
import { useCancelExecution, useExecution, useSync } from './queries.js';
import { TwoWayCountsTable } from './two-way.js';
import './syncs.css';

/** `/syncs/executions/:id`: one run's counts, per-stream progress (live while it runs), its log and rejections. */
export function ExecutionDetail() {
  const { id = '' } = useParams();
  const execution = useExecution(id);
  if (execution.isPending) {
    return (
      <section className="page sy-page">
        <Loading what="Loading the run" />
      </section>
    );
  }
  if (execution.error) {
    const missing = execution.error instanceof SwitchyardError && execution.error.status === 404;
    return (
      <section className="page sy-page" aria-labelledby="execution-title">
        <p className="breadcrumb small">
          <Link to="/syncs">Sync Management</Link>
        </p>
        <h1 id="execution-title">{missing ? 'Run not found' : 'Sync run'}</h1>
        <ErrorState error={execution.error} {...(missing ? {} : { retry: () => void execution.refetch() })} />
      </section>
    );
  }
  return <ExecutionPage execution={execution.data} />;
}

function ExecutionPage({ execution: e }: { execution: Execution }) {
  const { can } = useSession();
  const sync = useSync(e.sync_id);
  const cancel = useCancelExecution();
  const name = sync.data?.name ?? e.sync_id;
  const started = formatTime(e.started_at ?? e.created_at);
  return (
    <section className="page sy-page" aria-labelledby="execution-title">
      <p className="breadcrumb small">
        <Link to="/syncs">Sync Management</Link> / <Link to={`/syncs/${e.sync_id}`}>{name}</Link> / run
      </p>
      <div className="page-header">
        <div>
          <h1 id="execution-title">
            Run of {started} <ExecutionStatus execution={e} />
          </h1>
          <p className="muted">
            {triggerLabels[e.trigger]}
            {e.full_refresh && ' · full refresh'}
            {e.dry_run && ' · dry run: checked every record, wrote nothing'}
            {e.attempts > 1 && ` · attempt ${e.attempts}`}
            {e.streams.length > 0 && ` · streams ${e.streams.join(', ')}`}
          </p>
        </div>
        {can('run_syncs') && isLive(e.status) && (
          <button
            type="button"
            className="button button-danger"
            disabled={cancel.isPending || e.cancel_requested}
            onClick={() => cancel.mutate(e)}
          >
            {e.cancel_requested ? 'Cancelling…' : 'Cancel run'}
          </button>
        )}
      </div>
      {e.stuck && (
        <div className="callout callout-warn" role="alert" data-testid="execution-stuck">
          <strong>Stuck in Running.</strong> The server running it has not reported for longer than its lease
          {e.heartbeat_at && ` (last heard ${formatTime(e.heartbeat_at)})`}. Another server resumes it from its last
          checkpoint or fails it, by policy; you can also cancel it and run the sync again.
        </div>
      )}
      {e.error && (
        <div className="callout callout-error" role="alert">
          <strong>{e.error}</strong>
          {e.error_code && (
            <p className="small muted">
              Error code <code>{e.error_code}</code>
            </p>
          )}
        </div>
      )}
      <dl className="metrics card" data-testid="execution-counts">
        <div>
          <dt>Processed</dt>
          <dd>{count(e.records.processed)}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{count(e.records.created)}</dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>{count(e.records.updated)}</dd>
        </div>
        <div>
          <dt>Deleted</dt>
          <dd>{count(e.records.deleted)}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd>{count(e.records.failed)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{duration(e.duration_ms)}</dd>
        </div>
      </dl>
      {sync.data?.source.kind === 'file' && (
        <div className="row" data-testid="import-actions">
          <ErrorsFileLink execution={e} />
          {can('run_syncs') && undoable(e, sync.data.target.kind, sync.data.source) && (
            <UndoButton execution={e} name={name} />
          )}
          <UndoSummary execution={e} />
        </div>
      )}
      <StreamProgress execution={e} />
      <TwoWayCountsTable execution={e} />
      <ExecutionLog id={e.id} />
      <RejectedRecords id={e.id} failed={e.records.failed} />
    </section>
  );
}

function StreamProgress({ execution: e }: { execution: Execution }) {
  const streams = Object.entries(e.stream_progress);
  return (
    <section className="stack" aria-labelledby="progress-title">
      <h2 id="progress-title">Streams</h2>
      {streams.length === 0 ? (
        <p className="muted">{isLive(e.status) ? 'Waiting to start…' : 'No stream was read.'}</p>
      ) : (
        <DataTable
          columns={['Stream', 'Status', 'Processed', 'Created', 'Updated', 'Deleted', 'Failed', 'Time']}
          testId="stream-progress"
        >
          {streams.map(([name, p]) => (
            <tr key={name}>
              <td>
                <code>{name}</code>
                {p.error && <div className="small sy-error-text">{p.error}</div>}
              </td>
              <td>
                <Badge value={p.status} />
              </td>
              <td>{count(p.processed)}</td>
              <td>{count(p.created)}</td>
              <td>{count(p.updated)}</td>
              <td>{count(p.deleted)}</td>
              <td>{count(p.failed)}</td>
              <td>
                {p.started_at
                  ? duration((p.finished_at ? Date.parse(p.finished_at) : Date.now()) - Date.parse(p.started_at))
                  : '—'}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
