import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../../api.js';
import { webhookKeys } from '../../../query-keys.js';
import { Badge, ErrorState, formatTime, JsonBlock, Loading } from '../../../ui/components.js';
import { duration } from '../shared/format.js';
import { HeaderList } from '../shared/header-list.js';

/**
 * An attempt's outcome. `interrupted`: the process sending it stopped before the response was recorded, so the
 * receiver may or may not have got it (the delivery is sent again with the same webhook-id).
 */
export function AttemptOutcome({ outcome }: { outcome: string }) {
  if (outcome === 'interrupted') return <Badge value="maintenance" label="interrupted — outcome unknown" />;
  if (outcome === 'in_flight') return <Badge value="testing" label="in flight" />;
  return <Badge value={outcome} />;
}

/**
 * One attempt: the request URL, the response's status, headers and body. An attempt still in flight is read again
 * every two seconds until its response is recorded.
 */
export function AttemptDetail({ deliveryId, attemptId }: { deliveryId: string; attemptId: string }) {
  const attempt = useQuery({
    queryKey: webhookKeys.attempt(deliveryId, attemptId),
    queryFn: () =>
      call(
        api.GET('/v1/webhooks/deliveries/{id}/attempts/{attemptId}', {
          params: { path: { id: deliveryId, attemptId } },
        }),
      ),
    refetchInterval: (query) => (query.state.data?.outcome === 'in_flight' ? 2000 : false),
  });
  if (attempt.isPending) return <Loading what="Loading the attempt" />;
  if (attempt.error) return <ErrorState error={attempt.error} />;
  const a = attempt.data;
  return (
    <section className="card stack" aria-label={`Attempt ${a.attempt_number}`} data-testid="attempt-detail">
      <h4 className="wh-subtitle">Attempt {a.attempt_number}</h4>
      <dl className="details">
        <dt>Outcome</dt>
        <dd>
          <AttemptOutcome outcome={a.outcome} />
        </dd>
        <dt>Response status</dt>
        <dd>{a.status_code ?? 'no response'}</dd>
        <dt>Latency</dt>
        <dd>{duration(a.duration_ms)}</dd>
        <dt>Started</dt>
        <dd>{formatTime(a.started_at)}</dd>
        <dt>Request URL</dt>
        <dd className="wh-url">{a.request_url}</dd>
        {a.error && (
          <>
            <dt>Error</dt>
            <dd>{a.error}</dd>
          </>
        )}
      </dl>
      <h5 className="wh-subtitle">Response headers</h5>
      <HeaderList headers={a.response_headers} label="Response headers" />
      <h5 className="wh-subtitle">Response body{a.response_truncated && ' (first 64 KiB)'}</h5>
      {a.response_body ? (
        <JsonBlock value={a.response_body} label="Response body" />
      ) : (
        <p className="muted small">Empty.</p>
      )}
    </section>
  );
}
