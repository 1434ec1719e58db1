import { useState } from 'react';
import { Link } from 'react-router';
import { Badge, ErrorState, Loading } from '../../../ui/components.js';
import { CheckboxField } from '../../webhooks/shared/controls.js';
import { count, isLive, type Execution } from '../labels.js';
import { useExecution } from '../queries.js';
import {
  ErrorsFileLink,
  FirstErrors,
  RunFigures,
  RunProgress,
  undoable,
  UndoButton,
  UndoSummary,
} from './run-parts.js';
import { onErrorShort, type OnError, type TargetKind } from './state.js';

/** Step 6: import, following the run, ending on its result (and Undo, for the record store and tables). */
export function ImportStep({
  checkId,
  stale,
  runId,
  onError,
  targetKind,
  keepsJournal,
  name,
  syncId,
  pending,
  error,
  onImport,
  columns,
}: {
  checkId: string | undefined;
  stale: boolean;
  runId: string | undefined;
  onError: OnError;
  targetKind: TargetKind;
  /** The import keeps its undo journal (Wizard.undoable). */
  keepsJournal: boolean;
  name: string;
  syncId: string | undefined;
  pending: boolean;
  error: unknown;
  onImport: (replace: boolean) => void;
  columns: string[];
}) {
  if (!checkId || stale) {
    return <p className="callout callout-info">Run the dry run for these settings first (the step before).</p>;
  }
  return (
    <div className="stack">
      {!runId && (
        <ImportStart
          checkId={checkId}
          onError={onError}
          targetKind={targetKind}
          pending={pending}
          onImport={onImport}
        />
      )}
      {error ? <ErrorState error={error} /> : null}
      {runId && (
        <ImportResult
          runId={runId}
          checkId={checkId}
          name={name}
          syncId={syncId}
          targetKind={targetKind}
          keepsJournal={keepsJournal}
          columns={columns}
        />
      )}
    </div>
  );
}

function ImportStart({
  checkId,
  onError,
  targetKind,
  pending,
  onImport,
}: {
  checkId: string;
  onError: OnError;
  targetKind: TargetKind;
  pending: boolean;
  onImport: (replace: boolean) => void;
}) {
  const check = useExecution(checkId);
  const [replace, setReplace] = useState(false);
  if (check.isPending) return <Loading what="Reading the dry run" />;
  if (check.error) return <ErrorState error={check.error} retry={() => void check.refetch()} />;
  const c = check.data;
  if (isLive(c.status)) return <p className="callout callout-info">The dry run is still going: wait for it to end.</p>;
  if (c.status === 'failed' && c.records.failed === 0) {
    return (
      <p className="callout callout-error" role="alert">
        The dry run failed ({c.error}); the file cannot be imported with these settings.
      </p>
    );
  }
  if (c.records.failed > 0 && onError !== 'skip') {
    return (
      <p className="callout callout-warn" role="alert" data-testid="import-blocked">
        The dry run rejected {count(c.records.failed)} records, and a bad record is set to “{onErrorShort[onError]}”:
        nothing would be imported. Fix the file, or go back to the target step and choose to skip bad records.
      </p>
    );
  }
  const valid = c.records.processed - c.records.failed;
  return (
    <div className="stack">
      <p>
        {count(valid)} records will be written
        {c.records.failed > 0 && `; the ${count(c.records.failed)} rejected ones are skipped (Partial Success)`}.
      </p>
      {targetKind !== 'connection' && (
        <CheckboxField
          label="Replace: delete the records of the target the file does not have"
          checked={replace}
          onChange={setReplace}
          help="Otherwise records with the same key are updated, and others are left as they are."
        />
      )}
      <div className="row">
        <button type="button" className="button button-primary" disabled={pending} onClick={() => onImport(replace)}>
          {pending ? 'Starting…' : `Import ${count(valid)} records`}
        </button>
      </div>
    </div>
  );
}

const resultText: Partial<Record<Execution['status'], (e: Execution) => string>> = {
  success: (e) => `Imported: ${count(e.records.created)} created, ${count(e.records.updated)} updated.`,
  partial_success: (e) =>
    `Partial Success: ${count(e.records.created + e.records.updated)} imported, ${count(e.records.failed)} rejected.`,
  cancelled: () => 'The import was cancelled; what it wrote before stays (undo it to remove it).',
};

function ImportResult({
  runId,
  checkId,
  name,
  syncId,
  targetKind,
  keepsJournal,
  columns,
}: {
  runId: string;
  checkId: string;
  name: string;
  syncId: string | undefined;
  targetKind: TargetKind;
  keepsJournal: boolean;
  columns: string[];
}) {
  const run = useExecution(runId);
  const check = useExecution(checkId);
  if (run.isPending) return <Loading what="Starting the import" />;
  if (run.error) return <ErrorState error={run.error} retry={() => void run.refetch()} />;
  const e = run.data;
  const text = resultText[e.status]?.(e);
  return (
    <section className="stack" aria-labelledby="import-title" data-testid="import-result">
      <h2 id="import-title" className="sy-section-title">
        Import <Badge value={e.status} />
      </h2>
      {isLive(e.status) ? (
        <RunProgress execution={e} total={check.data?.records.processed} />
      ) : text ? (
        <p className={`callout ${e.status === 'success' ? 'callout-info' : 'callout-warn'}`} role="status">
          {text}
        </p>
      ) : (
        <p className="callout callout-error" role="alert">
          {e.error ?? 'The import failed.'}
        </p>
      )}
      <RunFigures execution={e} />
      <FirstErrors execution={e} columns={columns} />
      <div className="row">
        <ErrorsFileLink execution={e} />
        {undoable(e, targetKind, { kind: 'file', undoable: keepsJournal }) && <UndoButton execution={e} name={name} />}
        <UndoSummary execution={e} />
      </div>
      <p className="row">
        <Link to={`/syncs/executions/${e.id}`}>Open the run</Link>
        {syncId && <Link to={`/syncs/${syncId}`}>Open the import’s sync</Link>}
        <Link to="/syncs/imports">All imports</Link>
      </p>
    </section>
  );
}
