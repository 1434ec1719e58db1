import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../../../api.js';
import { useSession } from '../../../auth.js';
import { webhookKeys } from '../../../query-keys.js';
import { Dialog, ErrorState, formatTime, JsonBlock, Loading } from '../../../ui/components.js';
import { useWrite } from '../../../ui/mutation.js';
import { DataTable } from '../../../ui/table.js';
import { DetailHeader } from '../shared/detail-header.js';
import { duration } from '../shared/format.js';
import { AttemptDetail, AttemptOutcome } from './attempt-detail.js';

/** A delivery's detail in a wide dialog, open while `id` is set. */
export function DeliveryDialog({ id, url, onClose }: { id: string | undefined; url: string; onClose: () => void }) {
  return (
    <Dialog title="Delivery" open={id !== undefined} onClose={onClose} wide>
      {id && <DeliveryDetail id={id} url={url} />}
    </Dialog>
  );
}

/** A delivery: its state, retry now, every attempt (one opened at a time) and the event's payload. */
function DeliveryDetail({ id, url }: { id: string; url: string }) {
  const { can } = useSession();
  const [attemptId, setAttemptId] = useState<string>();
  const detail = useQuery({
    queryKey: webhookKeys.delivery(id),
    queryFn: () => call(api.GET('/v1/webhooks/deliveries/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'pending' || status === 'dispatched' ? 2000 : false;
    },
  });
  const retry = useWrite({
    run: () => call(api.POST('/v1/webhooks/deliveries/{id}/retry', { params: { path: { id } } })),
    success: 'Delivery queued for another attempt now.',
    invalidate: [webhookKeys.all],
  });
  if (detail.isPending) return <Loading what="Loading the delivery" />;
  if (detail.error) return <ErrorState error={detail.error} retry={() => void detail.refetch()} />;
  const d = detail.data;
  return (
    <div className="stack" data-testid="delivery-detail">
      <DetailHeader
        status={d.status}
        action={
          can('retry_failed_delivery') && {
            label: 'Retry now',
            pendingLabel: 'Retrying…',
            pending: retry.isPending,
            blocked: d.status === 'dispatched' ? 'An attempt is in flight' : undefined,
            onRun: () => retry.mutate(undefined),
          }
        }
      />
      <dl className="details">
        <dt>Delivery</dt>
        <dd>
          <code>{d.id}</code>
        </dd>
        <dt>Endpoint</dt>
        <dd className="wh-url">{url || d.endpoint_id}</dd>
        <dt>Event</dt>
        <dd>
          <code>{d.event_type}</code> · <code>{d.event_id}</code>
        </dd>
        <dt>Created</dt>
        <dd>{formatTime(d.created_at)}</dd>
        <dt>Delivered</dt>
        <dd>{formatTime(d.delivered_at)}</dd>
        {d.next_attempt_at && (
          <>
            <dt>Next attempt</dt>
            <dd>
              {formatTime(d.next_attempt_at)} ({d.next_trigger})
            </dd>
          </>
        )}
        {d.last_error && (
          <>
            <dt>Last error</dt>
            <dd>{d.last_error}</dd>
          </>
        )}
        {d.skip_reason && (
          <>
            <dt>Skipped because</dt>
            <dd>{d.skip_reason}</dd>
          </>
        )}
      </dl>
      <h3>Attempts ({d.attempts.length})</h3>
      {d.attempts.length === 0 ? (
        <p className="muted">
          No attempt yet{d.next_attempt_at ? `; the first is due ${formatTime(d.next_attempt_at)}` : ''}.
        </p>
      ) : (
        <DataTable
          testId="attempts-table"
          columns={['#', 'Started', 'Trigger', 'Outcome', 'Status', 'Latency']}
          actions="Details"
        >
          {d.attempts.map((a) => (
            <tr key={a.id} data-testid="attempt-row" className={a.id === attemptId ? 'wh-selected' : undefined}>
              <td>{a.attempt_number}</td>
              <td>{formatTime(a.started_at)}</td>
              <td>{a.trigger}</td>
              <td>
                <AttemptOutcome outcome={a.outcome} />
              </td>
              <td>{a.status_code ?? '—'}</td>
              <td>{duration(a.duration_ms)}</td>
              <td>
                <button
                  type="button"
                  className="button button-small"
                  aria-expanded={a.id === attemptId}
                  onClick={() => setAttemptId(a.id === attemptId ? undefined : a.id)}
                >
                  {a.id === attemptId ? 'Hide' : `Attempt ${a.attempt_number}`}
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {attemptId && <AttemptDetail deliveryId={id} attemptId={attemptId} />}
      <h3>Payload</h3>
      <JsonBlock value={d.event.data} label="Event payload" />
    </div>
  );
}
