import { Link } from 'react-router';
import { Badge, ErrorState, Loading } from '../../../ui/components.js';
import { count, isLive } from '../labels.js';
import { useExecution } from '../queries.js';
import { ErrorsFileLink, FirstErrors, RunFigures, RunProgress } from './run-parts.js';

/** Step 5: save the import and check every record of the file without writing anything. */
export function CheckStep({
  checkId,
  stale,
  pending,
  error,
  columns,
  onCheck,
}: {
  checkId: string | undefined;
  /** The settings changed since the dry run shown. */
  stale: boolean;
  pending: boolean;
  error: unknown;
  columns: string[];
  onCheck: () => void;
}) {
  return (
    <div className="stack">
      <p className="muted">
        The dry run reads the whole file as the import will — types, required fields, allowed values, patterns, unique
        keys and the new-column policy — and writes nothing.
      </p>
      {stale && checkId && (
        <p className="callout callout-warn" role="status">
          The settings changed since this dry run; run it again before importing.
        </p>
      )}
      <div className="row">
        <button type="button" className="button button-primary" disabled={pending} onClick={onCheck}>
          {pending ? 'Starting…' : checkId ? 'Run the dry run again' : 'Run the dry run'}
        </button>
      </div>
      {error ? <ErrorState error={error} /> : null}
      {checkId && <CheckResult id={checkId} columns={columns} />}
    </div>
  );
}

function CheckResult({ id, columns }: { id: string; columns: string[] }) {
  const run = useExecution(id);
  if (run.isPending) return <Loading what="Starting the dry run" />;
  if (run.error) return <ErrorState error={run.error} retry={() => void run.refetch()} />;
  const e = run.data;
  return (
    <section className="stack" aria-labelledby="check-title" data-testid="check-result">
      <h2 id="check-title" className="sy-section-title">
        Dry run <Badge value={e.status} />
      </h2>
      {isLive(e.status) ? (
        <RunProgress execution={e} />
      ) : e.status === 'success' ? (
        <p className="callout callout-info" role="status">
          Every record fits: {count(e.records.processed)} records are ready to import.
        </p>
      ) : e.records.failed > 0 ? (
        <p className="callout callout-warn" role="status">
          {count(e.records.failed)} of {count(e.records.processed)} records break the import’s rules. Fix them in the
          file (the errors file lists each with the reason), or skip them when importing.
        </p>
      ) : (
        e.error && (
          <p className="callout callout-error" role="alert">
            {e.error}
          </p>
        )
      )}
      <RunFigures execution={e} />
      <FirstErrors execution={e} columns={columns} />
      <div className="row">
        <ErrorsFileLink execution={e} />
        <Link to={`/syncs/executions/${e.id}`}>Open the run’s log</Link>
      </div>
    </section>
  );
}
