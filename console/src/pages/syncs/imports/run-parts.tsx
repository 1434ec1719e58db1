import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../../../api.js';
import { syncKeys } from '../../../query-keys.js';
import { ConfirmDialog, ErrorState, Loading, Time } from '../../../ui/components.js';
import { useWrite } from '../../../ui/mutation.js';
import { DataTable } from '../../../ui/table.js';
import { count, isLive, type Execution } from '../labels.js';
import { cellText, splitReason } from './state.js';

export type ImportRunMode = 'check' | 'import';

const runBody = { check: { dry_run: true }, import: {} } as const;

/** Start an import's dry run (checks every record, writes nothing) or the import itself. */
export function useRunImport(onStarted?: (execution: Execution) => void) {
  return useWrite({
    run: ({ syncId, mode }: { syncId: string; name: string; mode: ImportRunMode }) =>
      call(api.POST('/v1/syncs/{id}/run', { params: { path: { id: syncId } }, body: runBody[mode] })),
    success: (result, { name, mode }) =>
      result.outcome === 'started'
        ? `${mode === 'check' ? 'Dry run' : 'Import'} of “${name}” started.`
        : `“${name}” is running; this run waits behind it.`,
    invalidate: [syncKeys.all],
    onSuccess: (result) => onStarted?.(result.execution),
  });
}

/** The rejected records of a run, as CSV with a reason column: a link, the session cookie authenticates it. */
export function ErrorsFileLink({ execution, small }: { execution: Execution; small?: boolean }) {
  if (execution.records.failed === 0) return null;
  return (
    <a
      className={small ? 'button button-small' : 'button'}
      href={`/v1/syncs/executions/${encodeURIComponent(execution.id)}/errors-file`}
      download={`errors-${execution.id}.csv`}
    >
      Download errors file
      <span className="visually-hidden"> of the run {execution.id}</span>
    </a>
  );
}

/** Targets an import keeps what it changed in: the record store, and database tables. */
const undoableTargets = new Set(['record_store', 'postgres', 'mysql', 'sqlite']);

/**
 * Whether an import run can be undone now: it wrote into the record store or a table (not replacing the table, as
 * a full refresh does), kept its undo journal (an import may be set not to), ended (a cancelled one too: what it
 * wrote before it stopped can go), and was not undone yet.
 */
export const undoable = (e: Execution, targetKind: string, source?: { kind: string; undoable?: boolean }) =>
  !e.dry_run &&
  source?.undoable !== false &&
  undoableTargets.has(targetKind) &&
  !(e.full_refresh && targetKind !== 'record_store') &&
  !isLive(e.status) &&
  e.undo === null;

/** "Undo", asking first what it will do; the counts the API answers are said in the notice and kept on the run. */
export function UndoButton({ execution: e, name, small }: { execution: Execution; name: string; small?: boolean }) {
  const [asking, setAsking] = useState(false);
  const undo = useWrite({
    run: () => call(api.POST('/v1/syncs/executions/{id}/undo', { params: { path: { id: e.id } } })),
    success: (done) =>
      done.undo
        ? `Import “${name}” undone: ${count(done.undo.removed)} removed, ${count(done.undo.restored)} restored, ${count(done.undo.kept)} kept.`
        : `Import “${name}” undone.`,
    invalidate: [syncKeys.all],
    onSuccess: () => setAsking(false),
  });
  return (
    <>
      <button
        type="button"
        className={small ? 'button button-small button-danger' : 'button button-danger'}
        aria-label={small ? `Undo the import ${name}` : undefined}
        onClick={() => setAsking(true)}
      >
        Undo
      </button>
      <ConfirmDialog
        title="Undo the import"
        open={asking}
        confirmLabel="Undo import"
        pending={undo.isPending}
        onConfirm={() => undo.mutate(undefined)}
        onClose={() => setAsking(false)}
      >
        <p>
          The {count(e.records.created)} records “{name}” created are removed, and the {count(e.records.updated)} it
          changed get back what they held before
          {e.records.deleted > 0 ? `; the ${count(e.records.deleted)} it deleted (its file lacked them) come back` : ''}
          . Records changed since the import are left as they are.
        </p>
        <p className="muted small">An import is undone once; it cannot be redone (import the file again instead).</p>
      </ConfirmDialog>
    </>
  );
}

export function UndoSummary({ execution: e }: { execution: Execution }) {
  if (!e.undo) return null;
  return (
    <span className="small" data-testid="undo-summary">
      Undone <Time iso={e.undo.at} />: {count(e.undo.removed)} removed, {count(e.undo.restored)} restored,{' '}
      {count(e.undo.kept)} kept
    </span>
  );
}

/**
 * The first records a run rejected, each where it was: its record and line in the file, the field at fault, the
 * reason, and the record's values with the faulty one marked.
 */
export function FirstErrors({
  execution: e,
  columns,
  limit = 20,
}: {
  execution: Execution;
  columns: string[];
  limit?: number;
}) {
  const rejected = useQuery({
    queryKey: [...syncKeys.rejected(e.id), 'first', limit, e.records.failed],
    queryFn: () =>
      call(api.GET('/v1/syncs/executions/{id}/rejected', { params: { path: { id: e.id }, query: { limit } } })),
    enabled: e.records.failed > 0,
  });
  if (e.records.failed === 0) return null;
  if (rejected.isPending) return <Loading what="Loading the first errors" />;
  if (rejected.error) return <ErrorState error={rejected.error} retry={() => void rejected.refetch()} />;
  const rows = rejected.data.data.map((r) => ({
    id: r.id,
    ...splitReason(r.reason),
    values: (r.record && typeof r.record === 'object' ? r.record : {}) as Record<string, unknown>,
  }));
  return (
    <div className="stack">
      <DataTable
        columns={['Record', 'Line', 'Field', 'Reason', ...columns]}
        testId="first-errors"
        className="im-errors"
      >
        {rows.map((r) => (
          <tr key={r.id} data-testid="first-error">
            <td>{r.number ?? '—'}</td>
            <td>{r.line ?? '—'}</td>
            <td>{r.field ? <code>{r.field}</code> : '—'}</td>
            <td className="sy-error-text">{r.message}</td>
            {columns.map((c) =>
              c === r.field ? (
                <td key={c} className="im-bad-cell">
                  <mark>{cellText(r.values[c])}</mark>
                  <span className="visually-hidden"> (the value at fault)</span>
                </td>
              ) : (
                <td key={c}>{cellText(r.values[c])}</td>
              ),
            )}
          </tr>
        ))}
      </DataTable>
      {e.records.failed > rows.length && (
        <p className="muted small">
          The first {count(rows.length)} of {count(e.records.failed)} rejected records; the errors file has them all.
        </p>
      )}
    </div>
  );
}

/** A run's figures as the import steps show them: read, valid, written and rejected. */
export function RunFigures({ execution: e }: { execution: Execution }) {
  const valid = e.records.processed - e.records.failed;
  return (
    <dl className="metrics card" data-testid={e.dry_run ? 'check-counts' : 'import-counts'}>
      <div>
        <dt>Records read</dt>
        <dd>{count(e.records.processed)}</dd>
      </div>
      {e.dry_run ? (
        <div>
          <dt>Valid</dt>
          <dd>{count(valid)}</dd>
        </div>
      ) : (
        <>
          <div>
            <dt>Created</dt>
            <dd>{count(e.records.created)}</dd>
          </div>
          <div>
            <dt>Updated</dt>
            <dd>{count(e.records.updated)}</dd>
          </div>
        </>
      )}
      <div>
        <dt>Rejected</dt>
        <dd>{count(e.records.failed)}</dd>
      </div>
    </dl>
  );
}

/** How far a run is: against the records the dry run counted when known, else the records read so far. */
export function RunProgress({ execution: e, total }: { execution: Execution; total?: number | undefined }) {
  const done = e.records.processed;
  const known = total !== undefined && total > 0;
  return (
    <div className="im-progress" data-testid="run-progress" aria-live="polite">
      <label>
        {e.dry_run ? 'Checking' : 'Importing'}{' '}
        {known ? <progress max={total} value={Math.min(done, total)} /> : <progress />}
      </label>
      <span className="muted small">
        {known ? `${count(done)} of ${count(total)} records` : `${count(done)} records so far`}
        {e.status === 'pending' && ' · waiting for a worker'}
      </span>
    </div>
  );
}
