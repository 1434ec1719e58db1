import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, call } from '../../../api.js';
import { useSession } from '../../../auth.js';
import { syncKeys } from '../../../query-keys.js';
import { BarChart } from '../../../ui/chart.js';
import { Badge, EmptyState, Time, useCursorPages } from '../../../ui/components.js';
import { PagedTable } from '../../../ui/table.js';
import { RowActions, RowButton } from '../../webhooks/shared/controls.js';
import { fileContentUrl } from '../../files/upload.js';
import { count, isLive, type Execution } from '../labels.js';
import '../syncs.css';
import './imports.css';
import { ErrorsFileLink, undoable, UndoButton, UndoSummary, useRunImport } from './run-parts.js';
import type { FileImport } from './state.js';

const columns = ['Import', 'File', 'Last check', 'Last import'];

/**
 * `/syncs/imports`: every file import with its latest dry run and import run, a chart of valid and rejected records
 * per import, and what can be done with each: check or import again, download its errors file, undo its import.
 */
export function ImportsHistory() {
  const { can } = useSession();
  const pages = useCursorPages();
  const [params] = useSearchParams();
  const current = params.get('sync');
  const list = useQuery({
    queryKey: syncKeys.imports(pages.cursor),
    queryFn: () =>
      call(
        api.GET('/v1/imports', { params: { query: { limit: 25, ...(pages.cursor ? { cursor: pages.cursor } : {}) } } }),
      ),
    refetchInterval: (q) =>
      q.state.data?.data.some((i) => [i.last_check, i.last_import].some((e) => e && isLive(e.status))) ? 1500 : 15_000,
  });
  const run = useRunImport();
  const mayRun = can('run_syncs');
  const mayStart = can('manage_syncs') && can('manage_files') && can('run_syncs');
  return (
    <section className="page sy-page" aria-labelledby="imports-title">
      <header className="page-header">
        <div>
          <h1 id="imports-title">Imports</h1>
          <p className="muted">
            Files imported into the record store, a table or a connection: each checked as a dry run before it writes,
            and each import undoable.
          </p>
        </div>
        {mayStart && (
          <Link className="button button-primary" to="/syncs/imports/new">
            Import a file
          </Link>
        )}
      </header>
      {list.data && list.data.data.length > 0 && <ImportsChart imports={list.data.data} />}
      <PagedTable
        query={list}
        pages={pages}
        loading="Loading imports"
        empty={
          <EmptyState title="No imports yet">
            {mayStart ? 'Use “Import a file” to upload one and check it before it writes.' : undefined}
          </EmptyState>
        }
        testId="imports-table"
        columns={columns}
        actions={mayRun ? 'Actions' : undefined}
        row={(item) => (
          <ImportRow
            key={item.sync.id}
            item={item}
            current={item.sync.id === current}
            run={mayRun ? (mode) => run.mutate({ syncId: item.sync.id, name: item.sync.name, mode }) : undefined}
            pending={run.isPending}
          />
        )}
      />
    </section>
  );
}

function RunCell({ execution: e, check }: { execution: Execution | null; check: boolean }) {
  if (!e) return <span className="muted">{check ? 'Not checked' : 'Not imported yet'}</span>;
  return (
    <div className="im-cell">
      <span>
        <Badge value={e.status} />{' '}
        <Link to={`/syncs/executions/${e.id}`}>{<Time iso={e.started_at ?? e.created_at} />}</Link>
      </span>
      <span className="small" data-testid={check ? 'check-figures' : 'import-figures'}>
        {check
          ? `${count(e.records.processed - e.records.failed)} valid, ${count(e.records.failed)} rejected`
          : `${count(e.records.created)} created, ${count(e.records.updated)} updated, ${count(e.records.failed)} rejected`}
      </span>
      {e.error && e.records.failed === 0 && <span className="small sy-error-text">{e.error}</span>}
      <UndoSummary execution={e} />
    </div>
  );
}

function ImportRow({
  item,
  current,
  run,
  pending,
}: {
  item: FileImport;
  current: boolean;
  run: ((mode: 'check' | 'import') => void) | undefined;
  pending: boolean;
}) {
  const { sync, file, last_check: check, last_import: last } = item;
  const live = [check, last].some((e) => e && isLive(e.status));
  const withErrors = [last, check].find((e) => e && e.records.failed > 0) ?? null;
  return (
    <tr data-testid="import-row" className={current ? 'im-row-current' : undefined} aria-current={current || undefined}>
      <td>
        <Link to={`/syncs/${sync.id}`}>{sync.name}</Link>
        <div className="muted small">{targetText(sync.target.kind, sync.source.streams[0]?.name ?? '')}</div>
      </td>
      <td>
        {file ? (
          <>
            <a href={fileContentUrl(file.id)} download={file.name}>
              {file.name}
            </a>
            <div className="muted small">{file.folder}</div>
          </>
        ) : (
          <span className="muted">deleted</span>
        )}
      </td>
      <td>
        <RunCell execution={check} check />
      </td>
      <td>
        <RunCell execution={last} check={false} />
      </td>
      {run && (
        <td>
          <RowActions>
            <RowButton name={`Dry run ${sync.name}`} disabled={pending || live || !file} onClick={() => run('check')}>
              Dry run
            </RowButton>
            <RowButton
              name={`Run again ${sync.name}`}
              disabled={pending || live || !file}
              onClick={() => run('import')}
            >
              Run again
            </RowButton>
            {withErrors && <ErrorsFileLink execution={withErrors} small />}
            {last && undoable(last, sync.target.kind, sync.source) && (
              <UndoButton execution={last} name={sync.name} small />
            )}
          </RowActions>
        </td>
      )}
    </tr>
  );
}

const targetText = (kind: string, model: string) =>
  kind === 'record_store'
    ? `→ record store, model ${model}`
    : kind === 'postgres'
      ? `→ table ${model}`
      : `→ stream ${model}`;

/** Valid and rejected records of each import's latest run (its import, else its dry run), oldest on the left. */
function ImportsChart({ imports }: { imports: FileImport[] }) {
  const shown = [...imports].reverse().filter((i) => i.last_import ?? i.last_check);
  if (shown.length === 0) return null;
  const latest = (i: FileImport) => (i.last_import ?? i.last_check) as Execution;
  return (
    <BarChart
      title="Valid and rejected records per import (latest run)"
      labels={shown.map((i) => (i.sync.name.length > 18 ? `${i.sync.name.slice(0, 17)}…` : i.sync.name))}
      series={[
        {
          name: 'Valid',
          tone: 'good',
          values: shown.map((i) => latest(i).records.processed - latest(i).records.failed),
        },
        { name: 'Rejected', tone: 'bad', values: shown.map((i) => latest(i).records.failed) },
      ]}
    />
  );
}
