import { Link } from 'react-router';
import { Badge, Time } from '../../ui/components.js';
import { RowActions, RowButton } from '../webhooks/shared/controls.js';
import { count, scheduleLabel, targetLabel, typeLabels, type SyncConfig } from './labels.js';

export const syncColumns = ['Name', 'Source → target', 'Schedule', 'Last run', 'Next run', 'State'] as const;

/** What a row's buttons do; each is absent for roles that cannot take it. */
export type SyncActions = {
  run?: ((sync: SyncConfig, fullRefresh: boolean) => void) | undefined;
  toggle?: ((sync: SyncConfig) => void) | undefined;
  remove?: ((sync: SyncConfig) => void) | undefined;
  edit?: boolean | undefined;
};

export function SyncRow({
  sync: s,
  nameOf,
  actions,
}: {
  sync: SyncConfig;
  nameOf: (id: string) => string;
  actions: SyncActions;
}) {
  const last = s.last_run;
  return (
    <tr data-testid="sync-row">
      <td>
        <Link to={`/syncs/${s.id}`}>{s.name}</Link>
        <div className="muted small">
          {typeLabels[s.type]} · {s.direction}
        </div>
        {(s.open_conflicts ?? 0) > 0 && (
          <Link className="small" to={`/syncs/conflicts?sync=${s.id}`} data-testid="sync-open-conflicts">
            <Badge value="conflicts" color="warn" label={`${count(s.open_conflicts ?? 0)} open conflicts`} />
          </Link>
        )}
      </td>
      <td className="small">
        {s.source.kind === 'file' ? `File ${s.source.file_id}` : nameOf(s.source.connection_id)}:{' '}
        {s.source.streams.map((st) => st.name).join(', ')}
        <div className="muted">→ {targetLabel(s.target, nameOf)}</div>
      </td>
      <td className="small">
        <code>{scheduleLabel(s.schedule)}</code>
      </td>
      <td>
        {s.running_execution_id ? (
          <Link to={`/syncs/executions/${s.running_execution_id}`}>
            <Badge value="running" />
          </Link>
        ) : last ? (
          <>
            <Link to={`/syncs/executions/${last.id}`}>
              <Badge value={last.status} />
            </Link>
            <div className="muted small">
              <Time iso={last.finished_at ?? last.started_at} /> · {count(last.records_processed)} records
            </div>
          </>
        ) : (
          <span className="muted">never run</span>
        )}
      </td>
      <td>{s.enabled && s.next_run_at ? <Time iso={s.next_run_at} /> : <span className="muted">—</span>}</td>
      <td>
        <Badge value={s.enabled ? 'enabled' : 'disabled'} />
      </td>
      {(actions.run || actions.toggle || actions.remove || actions.edit) && (
        <td>
          <RowActions>
            {actions.run && (
              <>
                <RowButton name={`Run ${s.name}`} disabled={!s.enabled} onClick={() => actions.run?.(s, false)}>
                  Run
                </RowButton>
                <RowButton
                  name={`Run ${s.name} with full refresh`}
                  disabled={!s.enabled}
                  onClick={() => actions.run?.(s, true)}
                >
                  Full refresh
                </RowButton>
              </>
            )}
            {actions.toggle && (
              <RowButton name={`${s.enabled ? 'Disable' : 'Enable'} ${s.name}`} onClick={() => actions.toggle?.(s)}>
                {s.enabled ? 'Disable' : 'Enable'}
              </RowButton>
            )}
            {actions.edit && (
              <Link className="button button-small" to={`/syncs/${s.id}/edit`} aria-label={`Edit ${s.name}`}>
                Edit
              </Link>
            )}
            {actions.remove && (
              <RowButton name={`Delete ${s.name}`} onClick={() => actions.remove?.(s)}>
                Delete
              </RowButton>
            )}
          </RowActions>
        </td>
      )}
    </tr>
  );
}
