import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { SwitchyardError } from '../../api.js';
import { useSession } from '../../auth.js';
import { Badge, ConfirmDialog, ErrorState, formatTime, Loading, Time } from '../../ui/components.js';
import { ExecutionsTable, RecordsChart } from './executions.js';
import { FileSourceSummary } from './imports/file-source.js';
import {
  conflictLabels,
  count,
  deletionLabels,
  directionLabels,
  misfireLabels,
  overlapLabels,
  targetLabel,
  typeLabels,
  type SyncConfig,
} from './labels.js';
import { useConnectionNames, useDeleteSync, useRunSync, useSync, useToggleSync } from './queries.js';
import { StatePanel } from './state-panel.js';
import { OpenConflicts, TwoWaySummary } from './two-way.js';
import './syncs.css';

/** `/syncs/:id`: the configuration, its runs with a chart of records per run, and its per-stream state. */
export function SyncDetail() {
  const { id = '' } = useParams();
  const sync = useSync(id);
  if (sync.isPending) {
    return (
      <section className="page sy-page">
        <Loading what="Loading the sync" />
      </section>
    );
  }
  if (sync.error) {
    const missing = sync.error instanceof SwitchyardError && sync.error.status === 404;
    return (
      <section className="page sy-page" aria-labelledby="sync-title">
        <p className="breadcrumb small">
          <Link to="/syncs">Sync Management</Link>
        </p>
        <h1 id="sync-title">{missing ? 'Sync not found' : 'Sync'}</h1>
        <ErrorState error={sync.error} {...(missing ? {} : { retry: () => void sync.refetch() })} />
      </section>
    );
  }
  return <SyncPage sync={sync.data} />;
}

function SyncPage({ sync: s }: { sync: SyncConfig }) {
  const { can } = useSession();
  const navigate = useNavigate();
  const run = useRunSync();
  const toggle = useToggleSync();
  const [deleting, setDeleting] = useState(false);
  const remove = useDeleteSync(() => void navigate('/syncs', { replace: true }));
  const manage = can('manage_syncs');
  // A file import is made (and made again) in the import wizard: the sync form edits connection sources only.
  const isImport = s.source.kind === 'file';
  return (
    <section className="page sy-page" aria-labelledby="sync-title">
      <p className="breadcrumb small">
        <Link to="/syncs">Sync Management</Link> / {s.name}
      </p>
      <div className="page-header">
        <div>
          <h1 id="sync-title">
            {s.name} <Badge value={s.enabled ? 'enabled' : 'disabled'} />
          </h1>
          {s.description && <p className="muted">{s.description}</p>}
        </div>
        <div className="row">
          {can('run_syncs') && (
            <>
              <button
                type="button"
                className="button button-primary"
                disabled={!s.enabled || run.isPending}
                title={s.enabled ? undefined : 'Enable the sync to run it.'}
                onClick={() => run.mutate({ sync: s, fullRefresh: false })}
              >
                Run
              </button>
              <button
                type="button"
                className="button"
                disabled={!s.enabled || run.isPending}
                onClick={() => run.mutate({ sync: s, fullRefresh: true })}
              >
                {isImport ? 'Run, replacing the records' : 'Run with full refresh'}
              </button>
              {isImport && (
                <button
                  type="button"
                  className="button"
                  disabled={!s.enabled || run.isPending}
                  onClick={() => run.mutate({ sync: s, fullRefresh: false, dryRun: true })}
                >
                  Dry run
                </button>
              )}
            </>
          )}
          {manage && (
            <>
              <button type="button" className="button" disabled={toggle.isPending} onClick={() => toggle.mutate(s)}>
                {s.enabled ? 'Disable' : 'Enable'}
              </button>
              {!isImport && (
                <Link className="button" to={`/syncs/${s.id}/edit`}>
                  Edit
                </Link>
              )}
              <button type="button" className="button button-danger" onClick={() => setDeleting(true)}>
                Delete
              </button>
            </>
          )}
        </div>
      </div>
      {s.running_execution_id && (
        <p className="callout callout-info" role="status">
          Running now: <Link to={`/syncs/executions/${s.running_execution_id}`}>follow the run</Link>.
        </p>
      )}
      <OpenConflicts sync={s} />
      <Summary sync={s} />
      <RecordsChart syncId={s.id} />
      <ExecutionsTable syncId={s.id} />
      <StatePanel sync={s} />
      <ConfirmDialog
        title="Delete the sync"
        open={deleting}
        confirmLabel="Delete sync"
        pending={remove.isPending}
        onConfirm={() => remove.mutate(s)}
        onClose={() => setDeleting(false)}
      >
        <p>
          “{s.name}” stops running. Its runs, their logs and its checkpoints are deleted with it; a run in progress is
          cancelled. The records it already wrote stay where they are.
        </p>
      </ConfirmDialog>
    </section>
  );
}

function Summary({ sync: s }: { sync: SyncConfig }) {
  const { nameOf } = useConnectionNames();
  const fields = s.mappings.fields;
  return (
    <section className="card" aria-labelledby="summary-title" data-testid="sync-summary">
      <h2 id="summary-title" className="sy-section-title">
        Configuration
      </h2>
      <dl className="details">
        <dt>Source</dt>
        <dd>
          {s.source.kind === 'file' ? (
            <FileSourceSummary syncId={s.id} source={s.source} />
          ) : (
            <>
              <Link to={`/connections/${s.source.connection_id}`}>{nameOf(s.source.connection_id)}</Link>
              {s.source.kind === 'record_store' && ' (its records in the record store)'}
            </>
          )}
        </dd>
        <dt>Streams</dt>
        <dd>
          {s.source.streams.map((st) => (
            <div key={st.name}>
              <code>{st.name}</code>
              {st.target && st.target !== st.name && (
                <>
                  {' '}
                  → <code>{st.target}</code>
                </>
              )}
              {st.cursor_field && <span className="muted small"> · cursor {st.cursor_field}</span>}
            </div>
          ))}
        </dd>
        <dt>Target</dt>
        <dd>{targetLabel(s.target, nameOf)}</dd>
        <dt>Type</dt>
        <dd>{typeLabels[s.type]}</dd>
        <dt>Direction</dt>
        <dd>
          {directionLabels[s.direction]}
          {s.direction === 'bidirectional' && ` · conflicts: ${conflictLabels[s.conflict_policy]}`}
        </dd>
        <dt>Schedule</dt>
        <dd>
          {s.schedule ? (
            <>
              <code>{s.schedule.cron}</code> in {s.schedule.timezone}
              <div className="muted small">
                {misfireLabels[s.schedule.misfire]} · while running: {overlapLabels[s.schedule.overlap].toLowerCase()}
              </div>
            </>
          ) : (
            'None: runs by hand, webhook rule or event'
          )}
          {s.trigger_event_types.length > 0 && (
            <div className="small">On events: {s.trigger_event_types.join(', ')}</div>
          )}
        </dd>
        <dt>Next run</dt>
        <dd>
          {s.enabled && s.next_run_at ? (
            <>
              {formatTime(s.next_run_at)} (<Time iso={s.next_run_at} />)
            </>
          ) : (
            <span className="muted">—</span>
          )}
        </dd>
        {s.direction === 'bidirectional' && s.two_way ? (
          <TwoWaySummary twoWay={s.two_way} />
        ) : (
          <>
            <dt>Mappings</dt>
            <dd>
              {s.mappings.select === 'all' ? 'Every source field' : 'Only mapped fields'}
              {fields.length > 0 && `, ${count(fields.length)} mapped: ${fields.map((f) => f.to).join(', ')}`}
            </dd>
            <dt>Deletions</dt>
            <dd>
              {deletionLabels[s.deletion.mode]}; stops above {Math.round(s.deletion.max_delete_share * 100)}% of the
              target
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
