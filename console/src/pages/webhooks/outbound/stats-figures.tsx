import type { Schemas } from '../../../api.js';
import { BarChart } from '../../../ui/chart.js';
import { Badge, formatTime } from '../../../ui/components.js';
import { DataTable } from '../../../ui/table.js';
import { countOf, duration, percent } from '../shared/format.js';

type Stats = Schemas['WebhookStats'];

export const windows = {
  '24h': { label: 'last 24 hours', ms: 86_400_000 },
  '7d': { label: 'last 7 days', ms: 7 * 86_400_000 },
};

const perEndpointColumns = [
  'Endpoint',
  'Total',
  'Delivered',
  'Failed',
  'Pending',
  'Success rate',
  'Attempt success',
  'Circuit',
  'Avg. / p95 delivery',
  'Retries',
];

/** The window's figures, the endpoints failing now, deliveries over time and the figures per endpoint. */
export function StatsFigures({ stats, window }: { stats: Stats; window: keyof typeof windows }) {
  const o = stats.overall;
  const label = (iso: string) => {
    const d = new Date(iso);
    return window === '24h'
      ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
      : d.toLocaleString(undefined, { weekday: 'short', hour: '2-digit' });
  };
  return (
    <>
      <dl className="metrics" data-testid="stats-metrics">
        <div>
          <dt>Deliveries</dt>
          <dd>{o.total}</dd>
        </div>
        <div>
          <dt>Success rate</dt>
          <dd>{percent(o.success_rate)}</dd>
        </div>
        <div>
          <dt>Attempt success</dt>
          <dd title={`${o.attempts_delivered} of ${o.attempts_delivered + o.attempts_failed} finished attempts`}>
            {percent(o.attempt_success_rate)}
          </dd>
        </div>
        <div>
          <dt>Avg. delivery time</dt>
          <dd>{duration(o.avg_delivery_ms)}</dd>
        </div>
        <div>
          <dt>p95 delivery time</dt>
          <dd>{duration(o.p95_delivery_ms)}</dd>
        </div>
        <div>
          <dt>Retries</dt>
          <dd>{o.retries}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd>{o.failed}</dd>
        </div>
        <div>
          <dt>Pending</dt>
          <dd>{o.pending}</dd>
        </div>
      </dl>
      <FailingNow stats={stats} />
      <BarChart
        title={`Deliveries and failures, ${windows[window].label}`}
        labels={stats.series.map((p) => label(p.start))}
        series={[
          { name: 'Delivered', tone: 'good', values: stats.series.map((p) => p.delivered) },
          { name: 'Failed', tone: 'bad', values: stats.series.map((p) => p.failed) },
        ]}
      />
      {stats.per_endpoint.length > 0 && (
        <DataTable caption={<caption className="wh-caption">Per endpoint</caption>} columns={perEndpointColumns}>
          {stats.per_endpoint.map((e) => (
            <tr key={e.endpoint_id}>
              <td className="wh-url">{e.url}</td>
              <td>{e.total}</td>
              <td>{e.delivered}</td>
              <td>{e.failed}</td>
              <td>{e.pending}</td>
              <td>{percent(e.success_rate)}</td>
              <td>{percent(e.attempt_success_rate)}</td>
              <td>
                <Badge value={circuitTone[e.circuit]} label={e.circuit.replace('_', ' ')} />
              </td>
              <td>
                {duration(e.avg_delivery_ms)} / {duration(e.p95_delivery_ms)}
              </td>
              <td>{e.retries}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}

const circuitTone = { closed: 'active', open: 'failed', half_open: 'maintenance' } as const;

/**
 * Endpoints failing now (their last attempt failed, or their breaker is not closed), with the latest error: what the
 * delivery counters cannot show while retries are still running.
 */
function FailingNow({ stats }: { stats: Stats }) {
  const failing = stats.per_endpoint.filter((e) => e.consecutive_failures > 0 || e.circuit !== 'closed');
  if (failing.length === 0) return null;
  return (
    <section className="stack" aria-labelledby="failing-now-title" data-testid="failing-now">
      <h3 id="failing-now-title" className="wh-subtitle">
        Failing now
      </h3>
      <ul className="stack">
        {failing.map((e) => (
          <li key={e.endpoint_id} data-testid="failing-endpoint">
            <span className="wh-url">{e.url}</span>{' '}
            <Badge value={circuitTone[e.circuit]} label={`circuit ${e.circuit.replace('_', ' ')}`} />{' '}
            <span className="small">
              {countOf(e.consecutive_failures, 'failed attempt', 'failed attempts')} in a row
              {e.failing_since ? ` since ${formatTime(e.failing_since)}` : ''}
              {e.last_failure
                ? `; last: ${e.last_failure.error ?? e.last_failure.outcome} at ${formatTime(e.last_failure.started_at)}`
                : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
