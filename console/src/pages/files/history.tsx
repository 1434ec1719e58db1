import { Link } from 'react-router';
import { BarChart } from '../../ui/chart.js';
import { EmptyState, Time, useCursorPages } from '../../ui/components.js';
import { PagedTable } from '../../ui/table.js';
import { bytes } from '../webhooks/shared/format.js';
import type { Direction, Transfer } from './labels.js';
import { useStorageConnections, useTransferHistory } from './queries.js';
import { TransferState } from './transfer-page.js';
import '../syncs/syncs.css';
import './files.css';

/**
 * `/files/transfers`: the history of imports from and exports to cloud storage — each with its connection, when,
 * state, files stored, skipped and failed, and bytes — leading to its files' outcomes, with a chart of the outcome
 * mix per import.
 */
export function TransferHistory() {
  return (
    <section className="page sy-page fs-page" aria-labelledby="transfers-title">
      <header>
        <h1 id="transfers-title">Imports and exports</h1>
        <p className="muted">
          Files brought in from cloud storage and written out to it. Open one for each file’s outcome.
        </p>
      </header>
      <HistoryTable direction="import" />
      <HistoryTable direction="export" />
    </section>
  );
}

function HistoryTable({ direction }: { direction: Direction }) {
  const pages = useCursorPages();
  const list = useTransferHistory(direction, pages.cursor);
  const { nameOf } = useStorageConnections();
  const title = direction === 'import' ? 'Imports' : 'Exports';
  const shown = [...(list.data?.data ?? [])].reverse();
  return (
    <section className="stack" aria-labelledby={`${direction}-history-title`}>
      <h2 id={`${direction}-history-title`} className="sy-section-title">
        {title}
      </h2>
      {shown.length > 1 && (
        <BarChart
          title={`Files per ${direction}, oldest first`}
          labels={shown.map((t) => shortTime(t.created_at))}
          series={[
            { name: 'stored', tone: 'good', values: shown.map((t) => t.counts.stored) },
            { name: 'skipped', tone: 'neutral', values: shown.map((t) => t.counts.skipped) },
            { name: 'failed', tone: 'bad', values: shown.map((t) => t.counts.failed) },
          ]}
        />
      )}
      <PagedTable
        query={list}
        pages={pages}
        loading={`Loading ${direction}s`}
        empty={
          <EmptyState title={`No ${direction}s yet`}>
            {direction === 'import'
              ? 'Import from cloud brings files from a drive or bucket into the store.'
              : 'Select files in the store and choose Export to cloud.'}
          </EmptyState>
        }
        testId={`${direction}-history`}
        columns={[direction === 'import' ? 'From' : 'To', 'When', 'State', 'Files', 'Bytes', 'Folder']}
        row={(t: Transfer) => (
          <tr key={t.id} data-testid="transfer-row">
            <td>
              <Link to={`/files/${direction}s/${t.id}`}>{nameOf(t.connection_id)}</Link>
            </td>
            <td>
              <Time iso={t.created_at} />
            </td>
            <td>
              <TransferState state={t.state} />
            </td>
            <td data-testid="transfer-counts">
              {t.counts.stored} stored, {t.counts.skipped} skipped, {t.counts.failed} failed
            </td>
            <td>
              {bytes(t.counts.bytes_done)}
              {t.counts.bytes_total !== t.counts.bytes_done && ` of ${bytes(t.counts.bytes_total)}`}
            </td>
            <td>
              <code>{direction === 'import' ? t.folder : t.remote_folder || '/'}</code>
            </td>
          </tr>
        )}
      />
    </section>
  );
}

const shortTime = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
