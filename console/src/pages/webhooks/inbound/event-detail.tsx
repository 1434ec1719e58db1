import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../../api.js';
import { useSession } from '../../../auth.js';
import { inboundKeys } from '../../../query-keys.js';
import { Badge, ErrorState, formatTime, JsonBlock, Loading } from '../../../ui/components.js';
import { DataTable } from '../../../ui/table.js';
import { bytes } from '../shared/format.js';
import { DetailHeader } from '../shared/detail-header.js';
import { HeaderList } from '../shared/header-list.js';
import { replayableStatuses, useReplayEvent } from './queries.js';

/** One received request: what happened to it, what its rules did, its payload and headers. */
export function EventDetail({ id }: { id: string }) {
  const { can } = useSession();
  const event = useQuery({
    queryKey: inboundKeys.event(id),
    queryFn: () =>
      call(api.GET('/v1/inbound/events/{id}', { params: { path: { id }, query: { include_body: 'true' } } })),
    refetchInterval: (query) => (query.state.data?.status === 'received' ? 2000 : false),
  });
  const replay = useReplayEvent();
  if (event.isPending) return <Loading what="Loading the event" />;
  if (event.error) return <ErrorState error={event.error} retry={() => void event.refetch()} />;
  const e = event.data;
  return (
    <div className="stack" data-testid="event-detail">
      <DetailHeader
        status={e.status}
        action={
          can('manage_inbound') &&
          replayableStatuses.has(e.status) && {
            label: 'Replay event',
            pendingLabel: 'Replaying…',
            pending: replay.isPending,
            onRun: () => replay.mutate(id),
          }
        }
      />
      <dl className="details">
        <dt>Event</dt>
        <dd>
          <code>{e.id}</code>
        </dd>
        <dt>Source</dt>
        <dd>{e.source_name}</dd>
        <dt>Type</dt>
        <dd>{e.event_type ?? '—'}</dd>
        <dt>Received</dt>
        <dd>{formatTime(e.received_at)}</dd>
        <dt>Processed</dt>
        <dd>{formatTime(e.processed_at)}</dd>
        <dt>From</dt>
        <dd>{e.remote_address ?? '—'}</dd>
        <dt>Delivery id</dt>
        <dd>{e.dedup_key ?? '—'}</dd>
        {e.duplicate_of && (
          <>
            <dt>Duplicate of</dt>
            <dd>
              <code>{e.duplicate_of}</code>
            </dd>
          </>
        )}
        <dt>Attempts / replays</dt>
        <dd>
          {e.attempts} / {e.replays}
        </dd>
        {(e.rejection ?? e.error) && (
          <>
            <dt>{e.rejection ? 'Rejected because' : 'Error'}</dt>
            <dd>{e.rejection ?? e.error}</dd>
          </>
        )}
        <dt>Matched rules</dt>
        <dd>{e.matched_rules.length ? e.matched_rules.join(', ') : 'none'}</dd>
      </dl>
      {e.results.length > 0 && (
        <DataTable
          caption={<caption className="wh-caption">Rule actions</caption>}
          columns={['Rule', 'Action', 'Outcome', 'Detail']}
        >
          {e.results.map((r, i) => (
            <tr key={`${r.rule}-${r.action}-${i}`}>
              <td>{r.rule}</td>
              <td>{r.type}</td>
              <td>
                <Badge
                  value={r.ok ? 'processed' : 'failed'}
                  label={r.ok ? 'ok' : r.retryable ? 'retrying' : 'failed'}
                />
              </td>
              <td className="small">
                {r.event_id && (
                  <>
                    event <code>{r.event_id}</code>{' '}
                  </>
                )}
                {r.status !== null && <>HTTP {r.status} </>}
                {r.error}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <h3>Payload</h3>
      {e.body === null ? (
        <p className="muted">{e.status === 'rejected' ? 'A rejected request’s body is not kept.' : 'Empty body.'}</p>
      ) : e.body_encoding === 'base64' ? (
        <>
          <p className="muted small">Binary body ({bytes(e.body_size)}), shown as base64.</p>
          <pre className="code" tabIndex={0} aria-label="Payload (base64)">
            {e.body}
          </pre>
        </>
      ) : (
        <JsonBlock value={e.body} label="Payload" testId="event-payload" />
      )}
      <h3>Headers</h3>
      <HeaderList headers={e.headers} label="Request headers" />
    </div>
  );
}
