import { Link } from 'react-router';
import { Badge } from '../../ui/components.js';
import type { RoutingArea } from './areas.js';
import { breakerLabels, breakerTone, rateLimitHelp, rateLimitLabels, strategyLabels } from './labels.js';
import { providerName, useRouteHealth } from './queries.js';
import type { Route } from './types.js';

export const routeColumns = ['Route', 'Primary', 'Fallback', 'Strategy', 'On rate limit', 'Health'];

/** One route of the list: its first two providers by name, its strategies, and its providers' health as badges. */
export function RouteRow({ route: r, area }: { route: Route; area: RoutingArea }) {
  const [primary, fallback, ...more] = r.providers;
  return (
    <tr data-testid="route-row">
      <td>
        <Link to={`${area.path}/routes/${encodeURIComponent(r.name)}`}>{r.name}</Link>
        {!r.enabled && <Badge value="disabled" />}
        {r.description && <div className="muted small">{r.description}</div>}
      </td>
      <td data-testid="route-primary">{primary?.name ?? <span className="muted">—</span>}</td>
      <td data-testid="route-fallback">
        {fallback?.name ?? <span className="muted">none</span>}
        {more.length > 0 && <div className="muted small">+{more.length} more</div>}
      </td>
      <td>{strategyLabels[r.strategy]}</td>
      <td>
        <span title={rateLimitHelp[r.on_rate_limit]}>{rateLimitLabels[r.on_rate_limit]}</span>
        <div className="muted small">{rateLimitHelp[r.on_rate_limit]}</div>
      </td>
      <td>
        <HealthBadges route={r} />
      </td>
    </tr>
  );
}

/** Each provider's breaker as a badge, and what keeps one out of service (quota, rate limit). */
function HealthBadges({ route }: { route: Route }) {
  const health = useRouteHealth(route.name);
  const nameOf = providerName(route);
  if (health.isPending) return <span className="muted small">…</span>;
  if (health.error) return <span className="muted small">unavailable</span>;
  return (
    <ul className="rt-badges" data-testid="route-health">
      {health.data.providers.map((p) => (
        <li key={p.connection_id}>
          <span className="small">{nameOf(p.connection_id)}</span>{' '}
          <Badge value={p.breaker.state} label={breakerLabels[p.breaker.state]} color={breakerTone[p.breaker.state]} />
          {p.quota && <Badge value="quota" label="quota exhausted" color="warn" />}
          {p.rate_limited_until && <Badge value="limited" label="rate limited" color="warn" />}
          {p.sticky && <Badge value="sticky" color="info" />}
        </li>
      ))}
      {health.data.queue_length > 0 && (
        <li>
          <Badge value="queued" label={`${health.data.queue_length} queued`} color="info" />
        </li>
      )}
    </ul>
  );
}
