import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { SwitchyardError } from '../../api.js';
import { useSession } from '../../auth.js';
import { Badge, ConfirmDialog, ErrorState, Loading } from '../../ui/components.js';
import type { RoutingArea } from './areas.js';
import { CallLog } from './calls.js';
import { HealthPanel } from './health.js';
import { pickLabels, positionLabel, rateLimitHelp, rateLimitLabels, strategyHelp, strategyLabels } from './labels.js';
import { providerName, useCapabilities, useDeleteRoute, useRoute } from './queries.js';
import './routing.css';
import { TryIt } from './try-it.js';
import type { Capability, Route } from './types.js';

/** `<tab>/routes/:name`: a route's configuration, its providers' health, its call log and a "Try it" panel. */
export function RouteDetail({ area }: { area: RoutingArea }) {
  const { name = '' } = useParams();
  const route = useRoute(name);
  const capabilities = useCapabilities();
  if (route.isPending || capabilities.isPending) {
    return (
      <section className="page rt-page">
        <Loading what="Loading the route" />
      </section>
    );
  }
  const error = route.error ?? capabilities.error;
  if (error || !route.data) {
    const missing = error instanceof SwitchyardError && error.status === 404;
    return (
      <section className="page rt-page" aria-labelledby="route-title">
        <p className="breadcrumb small">
          <Link to={area.path}>{area.title}</Link>
        </p>
        <h1 id="route-title">{missing ? 'Route not found' : name}</h1>
        <ErrorState error={error} {...(missing ? {} : { retry: () => void route.refetch() })} />
      </section>
    );
  }
  const capability = capabilities.data?.data.find((c) => c.name === route.data.capability);
  return <RoutePage area={area} route={route.data} capability={capability} />;
}

function RoutePage({ area, route: r, capability }: { area: RoutingArea; route: Route; capability?: Capability }) {
  const { can } = useSession();
  const navigate = useNavigate();
  const [deleting, setDeleting] = useState(false);
  const remove = useDeleteRoute(() => void navigate(area.path, { replace: true }));
  return (
    <section className="page rt-page" aria-labelledby="route-title">
      <p className="breadcrumb small">
        <Link to={area.path}>{area.title}</Link> / {r.name}
      </p>
      <div className="page-header">
        <div>
          <h1 id="route-title">
            {r.name} {!r.enabled && <Badge value="disabled" />}
          </h1>
          <p className="muted">
            {capability?.title ?? r.capability} <code className="small">{r.capability}</code>
            {r.description && ` · ${r.description}`}
          </p>
        </div>
        {can('manage_routes') && (
          <div className="row">
            <Link className="button" to={`${area.path}/routes/${encodeURIComponent(r.name)}/edit`}>
              Edit
            </Link>
            <button type="button" className="button button-danger" onClick={() => setDeleting(true)}>
              Delete
            </button>
          </div>
        )}
      </div>
      <Summary route={r} />
      <HealthPanel route={r} />
      <CallLog route={r} />
      {capability && <TryIt route={r} capability={capability} />}
      <ConfirmDialog
        title="Delete the route"
        open={deleting}
        confirmLabel="Delete route"
        pending={remove.isPending}
        onConfirm={() => remove.mutate(r)}
        onClose={() => setDeleting(false)}
      >
        <p>
          Calls to “{r.name}” will answer 404 from now on. Its call log and statistics are deleted with it; the
          connections it routes to stay.
        </p>
      </ConfirmDialog>
    </section>
  );
}

function Summary({ route: r }: { route: Route }) {
  const fusion = Object.entries(r.fusion?.fields ?? {});
  const nameOf = providerName(r);
  return (
    <section className="card" aria-labelledby="route-summary-title" data-testid="route-summary">
      <h2 id="route-summary-title" className="rt-section-title">
        Configuration
      </h2>
      <dl className="details">
        <dt>Providers</dt>
        <dd>
          <ol className="rt-order">
            {r.providers.map((p, i) => (
              <li key={p.connection_id}>
                <span className="rt-position">{positionLabel(i)}</span>{' '}
                <Link to={`/connections/${p.connection_id}`}>{p.name}</Link>{' '}
                <span className="muted small">({p.connector})</span>
                {r.strategy === 'loadbalance' && <span className="muted small"> · weight {p.weight}</span>}
                {!p.redistributable && <Badge value="licence" label="not redistributable" color="warn" />}
                {r.sticky?.connection_id === p.connection_id && (
                  <Badge value="sticky" label="serving since its primary failed" color="info" />
                )}
              </li>
            ))}
          </ol>
        </dd>
        <dt>Strategy</dt>
        <dd>
          {strategyLabels[r.strategy]}
          <div className="muted small">{strategyHelp[r.strategy]}</div>
          {r.strategy === 'conditional' &&
            (r.conditions ?? []).map((c, i) => (
              <div key={i} className="small">
                When <code>{JSON.stringify(c.when)}</code> → {c.use.map(nameOf).join(', ')}
              </div>
            ))}
        </dd>
        <dt>On rate limit</dt>
        <dd>
          {rateLimitLabels[r.on_rate_limit]}
          {r.on_rate_limit === 'queue' && r.queue && `, for up to ${r.queue.max_wait_seconds} s`}
          <div className="muted small">{rateLimitHelp[r.on_rate_limit]}</div>
        </dd>
        {r.retry && (
          <>
            <dt>Retries</dt>
            <dd>
              {r.retry.attempts} per provider, waiting at most {r.retry.max_wait_ms} ms
              {r.retry.honour_retry_after ? ' (honouring Retry-After)' : ''}, within {r.retry.budget_percent}% of recent
              traffic
            </dd>
          </>
        )}
        {r.breaker && (
          <>
            <dt>Circuit breaker</dt>
            <dd>
              Opens after {r.breaker.consecutive_failures} failures in a row, or a failure rate of{' '}
              {Math.round(r.breaker.failure_rate * 100)}% over {r.breaker.window_seconds} s (at least{' '}
              {r.breaker.min_requests} calls); probes again after {r.breaker.cooldown_seconds} s
            </dd>
          </>
        )}
        {r.strategy === 'fusion' && (
          <>
            <dt>Fusion rules</dt>
            <dd data-testid="fusion-summary">
              {fusion.length === 0
                ? 'Priority order for every field'
                : fusion.map(([field, rule]) => (
                    <div key={field} className="small">
                      <code>{field === '*' ? 'every other field' : field}</code>: {pickLabels[rule.pick]}
                      {rule.tolerance !== undefined && ` within ${rule.tolerance * 100}%`}
                      {rule.order && rule.order.length > 0 && `, ${rule.order.map(nameOf).join(' › ')}`}
                      {rule.recency_field && `, newest by ${rule.recency_field}`}
                    </div>
                  ))}
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
