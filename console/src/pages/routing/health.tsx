import { useState } from 'react';
import { useSession } from '../../auth.js';
import { BarChart } from '../../ui/chart.js';
import { Badge, ErrorState, formatTime, Loading, SelectField, Time } from '../../ui/components.js';
import { DataTable } from '../../ui/table.js';
import { duration } from '../webhooks/shared/format.js';
import { RowButton } from '../webhooks/shared/controls.js';
import { breakerLabels, breakerTone } from './labels.js';
import { providerName, useResetProvider, useRouteHealth, useRouteStats } from './queries.js';
import type { ProviderHealth, Route, RouteStats } from './types.js';

const columns = ['Provider', 'Circuit breaker', 'Quota', 'Rate limit', 'Serving', 'Calls', 'Latency (p50 / p95)'];

/**
 * Each provider's state as the router sees it now (breaker, daily quota, rate limit, sticky failover), the queue, and
 * calls per hour by outcome. Reset closes a provider's breaker and clears its quota mark (manage_routes).
 */
export function HealthPanel({ route }: { route: Route }) {
  const { can } = useSession();
  const [hours, setHours] = useState(24);
  const health = useRouteHealth(route.name);
  const stats = useRouteStats(route.name, hours);
  const reset = useResetProvider(route.name);
  const manage = can('manage_routes');
  const nameOf = providerName(route);
  return (
    <section className="card stack" aria-labelledby="health-title" data-testid="route-health-panel">
      <h2 id="health-title" className="rt-section-title">
        Provider health
      </h2>
      {health.isPending ? (
        <Loading what="Loading provider health" />
      ) : health.error ? (
        <ErrorState error={health.error} retry={() => void health.refetch()} />
      ) : (
        <>
          <dl className="metrics">
            <div>
              <dt>Queued requests</dt>
              <dd data-testid="queue-length">{health.data.queue_length}</dd>
            </div>
            <div>
              <dt>Calls in the last hour</dt>
              <dd data-testid="calls-last-hour">{health.data.calls_last_hour}</dd>
            </div>
          </dl>
          <DataTable columns={columns} actions={manage ? 'Actions' : undefined} testId="provider-health">
            {health.data.providers.map((p) => (
              <tr key={p.connection_id} data-testid="provider-health-row">
                <td>
                  {nameOf(p.connection_id)}
                  <div className="muted small">{p.connector}</div>
                </td>
                <td>
                  <BreakerCell provider={p} />
                </td>
                <td>
                  {p.quota ? (
                    <>
                      <Badge value="quota" label="exhausted" color="warn" />
                      <div className="small">
                        until <Time iso={p.quota.exhausted_until} />
                      </div>
                      <div className="muted small">{p.quota.reason}</div>
                    </>
                  ) : (
                    <span className="muted">left</span>
                  )}
                </td>
                <td>
                  {p.rate_limited_until ? (
                    <span className="small">
                      limited until <Time iso={p.rate_limited_until} />
                    </span>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  {p.sticky ? <Badge value="sticky" color="info" /> : <span className="muted">—</span>}
                  {!p.eligible && <div className="muted small">{p.why}</div>}
                </td>
                <ProviderStatsCells stats={stats.data} connectionId={p.connection_id} />
                {manage && (
                  <td>
                    <RowButton
                      name={`Reset ${nameOf(p.connection_id)}`}
                      disabled={reset.isPending || (p.breaker.state === 'closed' && !p.quota && !p.rate_limited_until)}
                      onClick={() => reset.mutate({ connection_id: p.connection_id, name: nameOf(p.connection_id) })}
                    >
                      Reset
                    </RowButton>
                  </td>
                )}
              </tr>
            ))}
          </DataTable>
        </>
      )}
      <div className="row">
        <SelectField
          label="Chart period"
          value={hours}
          onChange={(v) => setHours(Number(v))}
          options={[
            { value: 24, label: 'Last 24 hours' },
            { value: 72, label: 'Last 3 days' },
            { value: 168, label: 'Last 7 days' },
          ]}
        />
      </div>
      {stats.isPending ? (
        <Loading what="Loading statistics" />
      ) : stats.error ? (
        <ErrorState error={stats.error} retry={() => void stats.refetch()} />
      ) : (
        <CallsChart stats={stats.data} hours={hours} />
      )}
    </section>
  );
}

function BreakerCell({ provider: p }: { provider: ProviderHealth }) {
  const state = p.breaker.state;
  return (
    <>
      <Badge value={state} label={breakerLabels[state]} color={breakerTone[state]} />
      {state !== 'closed' && p.breaker.opened_at && (
        <div className="muted small">opened {formatTime(p.breaker.opened_at)}</div>
      )}
      {p.last_failure && <div className="muted small rt-reason">{p.last_failure}</div>}
      {state === 'open' && p.breaker.probe_at && (
        <div className="small">
          probe <Time iso={p.breaker.probe_at} />
        </div>
      )}
    </>
  );
}

function ProviderStatsCells({ stats, connectionId }: { stats: RouteStats | undefined; connectionId: string }) {
  const s = stats?.providers.find((p) => p.connection_id === connectionId);
  if (!s)
    return (
      <>
        <td className="muted">—</td>
        <td className="muted">—</td>
      </>
    );
  return (
    <>
      <td>
        {s.calls}
        <div className="muted small">
          {s.ok} ok · {s.failed} failed · {s.rate_limited} limited
        </div>
      </td>
      <td>
        {duration(s.p50_ms)} / {duration(s.p95_ms)}
      </td>
    </>
  );
}

type Bucket = RouteStats['buckets'][number];
const HOUR = 3_600_000;

/** One bucket per hour of the period, oldest first: the API answers only the hours that had calls. */
function hourly(stats: RouteStats, hours: number, now: number): Bucket[] {
  const byHour = new Map(stats.buckets.map((b) => [Math.floor(Date.parse(b.at) / HOUR), b]));
  const last = Math.floor(now / HOUR);
  return Array.from({ length: hours }, (_, i) => {
    const hour = last - hours + 1 + i;
    const at = new Date(hour * HOUR).toISOString();
    return byHour.get(hour) ?? { at, ok: 0, fallback: 0, fused: 0, failed: 0, rate_limited: 0, queued: 0 };
  });
}

/** Calls per hour over the period, stacked by outcome, oldest on the left. */
function CallsChart({ stats, hours }: { stats: RouteStats; hours: number }) {
  const buckets = hourly(stats, hours, Date.now());
  const label = (iso: string) =>
    new Date(iso).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit' });
  return (
    <BarChart
      title="Calls per hour by outcome"
      labels={buckets.map((b) => label(b.at))}
      series={[
        { name: 'Answered (first choice or fused)', tone: 'good', values: buckets.map((b) => b.ok + b.fused) },
        { name: 'From a fallback', tone: 'info', values: buckets.map((b) => b.fallback) },
        { name: 'Rate limited', tone: 'warn', values: buckets.map((b) => b.rate_limited) },
        { name: 'Queued', tone: 'neutral', values: buckets.map((b) => b.queued) },
        { name: 'Failed', tone: 'bad', values: buckets.map((b) => b.failed) },
      ]}
    />
  );
}
