import { Link, useParams } from 'react-router';
import { api, call } from '../../api.js';
import { useSession } from '../../auth.js';
import { fileKeys, storageKeys } from '../../query-keys.js';
import { Badge, ErrorState, Loading, Time } from '../../ui/components.js';
import { useWrite } from '../../ui/mutation.js';
import { DataTable } from '../../ui/table.js';
import { bytes } from '../webhooks/shared/format.js';
import {
  isRunning,
  itemStatus,
  share,
  verificationText,
  type Direction,
  type Transfer,
  type TransferItem,
} from './labels.js';
import { useStorageConnections, useTransfer, useTransferFiles } from './queries.js';
import '../syncs/syncs.css';
import './files.css';

const stateTone: Record<string, string> = {
  pending: 'info',
  running: 'info',
  succeeded: 'good',
  partial: 'warn',
  failed: 'bad',
  cancelled: 'neutral',
  queued: 'info',
  stored: 'good',
  skipped: 'neutral',
};

export const TransferState = ({ state }: { state: string }) => <Badge value={state} color={stateTone[state]} />;

/**
 * `/files/imports/:id` and `/files/exports/:id`: a transfer's progress — bytes and files overall, and each file's
 * bar, state and phase, how it was verified, why it failed or when it retries — polled while it runs. Cancel it
 * while it runs; run its failed files again once it has ended.
 */
export function TransferPage({ direction }: { direction: Direction }) {
  const { id = '' } = useParams();
  const transfer = useTransfer(direction, id);
  const running = !transfer.data || isRunning(transfer.data);
  const files = useTransferFiles(direction, id, running);
  const { nameOf } = useStorageConnections();
  const title = direction === 'import' ? 'Import' : 'Export';
  return (
    <section className="page sy-page fs-page" aria-labelledby="transfer-title">
      <header>
        <p className="breadcrumb">
          <Link to="/files">Files</Link> › <Link to="/files/transfers">Imports and exports</Link> › {title}
        </p>
        <h1 id="transfer-title">
          {title} {transfer.data && <TransferState state={transfer.data.state} />}
        </h1>
      </header>
      {transfer.isPending && <Loading what={`Loading the ${direction}`} />}
      {transfer.error ? <ErrorState error={transfer.error} /> : null}
      {transfer.data && <Overview transfer={transfer.data} connection={nameOf(transfer.data.connection_id)} />}
      {files.error ? <ErrorState error={files.error} /> : null}
      {files.data && <FileRows items={files.data.data} direction={direction} />}
      {files.data?.next_cursor && (
        <p className="muted small">The first 1,000 files are shown; the counts above cover them all.</p>
      )}
    </section>
  );
}

function Overview({ transfer: t, connection }: { transfer: Transfer; connection: string }) {
  const { can } = useSession();
  const plural = t.direction === 'import' ? ('imports' as const) : ('exports' as const);
  const invalidate = [storageKeys.transfers, fileKeys.all];
  const cancel = useWrite({
    run: () => call(api.POST(`/v1/storage/${plural}/{id}/cancel`, { params: { path: { id: t.id } } })),
    success: 'Cancelled: queued files will not start; running ones stop at their next checkpoint.',
    invalidate,
  });
  const retry = useWrite({
    run: () => call(api.POST(`/v1/storage/${plural}/{id}/retry`, { params: { path: { id: t.id } } })),
    success: 'Failed files queued again.',
    invalidate,
  });
  const c = t.counts;
  const ended = !isRunning(t);
  const settled = c.stored + c.skipped + c.failed + c.cancelled;
  return (
    <section className="card stack" aria-label="Progress" data-testid="transfer-overview">
      <p>
        {t.direction === 'import' ? 'From' : 'To'} <strong>{connection}</strong>
        {t.direction === 'import' ? (
          <>
            {' '}
            into <code>{t.folder}</code>
          </>
        ) : (
          <>
            {' '}
            folder <code>{t.remote_folder || '/'}</code>
          </>
        )}{' '}
        · started <Time iso={t.started_at ?? t.created_at} />
        {t.finished_at && (
          <>
            {' '}
            · ended <Time iso={t.finished_at} />
          </>
        )}
      </p>
      <label className="fs-bar">
        <span>
          Bytes: {bytes(c.bytes_done)} of {bytes(c.bytes_total)}
        </span>
        <progress max={1} value={share(c.bytes_done, c.bytes_total, ended)} />
      </label>
      <label className="fs-bar">
        <span data-testid="transfer-files">
          Files: {settled} of {c.files} done — {c.stored} stored, {c.skipped} skipped, {c.failed} failed
          {c.cancelled > 0 && `, ${c.cancelled} cancelled`}
          {c.running > 0 && ` · ${c.running} running`}
          {c.folders_pending > 0 && ` · ${c.folders_pending} folders still to list`}
        </span>
        <progress max={1} value={share(settled, c.files, ended)} />
      </label>
      {can('manage_files') && (
        <div className="row">
          {!ended && (
            <button
              type="button"
              className="button button-danger"
              disabled={cancel.isPending}
              onClick={() => cancel.mutate(undefined)}
            >
              {cancel.isPending ? 'Cancelling…' : 'Cancel'}
            </button>
          )}
          {ended && c.failed + c.cancelled > 0 && (
            <button type="button" className="button" disabled={retry.isPending} onClick={() => retry.mutate(undefined)}>
              {retry.isPending ? 'Queueing…' : 'Retry failed'}
            </button>
          )}
        </div>
      )}
    </section>
  );
}

function FileRows({ items, direction }: { items: TransferItem[]; direction: Direction }) {
  return (
    <DataTable columns={['File', 'Progress', 'State', 'Verification', 'Stored as']} testId="transfer-items">
      {items.map((item) => {
        const done = item.state === 'stored' || item.state === 'skipped';
        return (
          <tr key={item.id} data-testid="transfer-item" data-state={item.state}>
            <td>
              <strong>{item.name}</strong>
              <div className="muted small fs-path">{item.path}</div>
            </td>
            <td className="fs-item-bar">
              <progress
                max={1}
                value={done ? 1 : share(item.bytes_done, item.size, false)}
                aria-label={`Progress of ${item.name}`}
              />
              <div className="muted small">
                {bytes(item.bytes_done)}
                {item.size !== null && ` of ${bytes(item.size)}`}
              </div>
            </td>
            <td>
              <TransferState state={item.state} />{' '}
              <span className="small" data-testid="item-status">
                {itemStatus(item, direction)}
              </span>
              {item.error && (
                <div className="small muted">
                  <code>{item.error.code}</code>
                </div>
              )}
            </td>
            <td className="small" data-testid="item-verification">
              {verificationText(item.verification) ?? <span className="muted">—</span>}
            </td>
            <td className="small">
              {item.file_id ? (
                <Link to={`/files?${new URLSearchParams({ folder: item.folder, file: item.file_id })}`}>
                  {item.folder === '/' ? '' : item.folder}/{item.name}
                </Link>
              ) : (
                <span className="muted">—</span>
              )}
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
