import { Link } from 'react-router';
import { useSession } from '../../auth.js';
import { Badge, EmptyState, ErrorState, Loading } from '../../ui/components.js';
import { DataTable } from '../../ui/table.js';
import type { RoutingArea } from './areas.js';
import { useCapabilities, useRoutes } from './queries.js';
import { routeColumns, RouteRow } from './route-row.js';
import './routing.css';
import type { Capability, Route } from './types.js';

/**
 * `/financial-data` and `/provider-routing`: seed 000's Financial Data tab, generalised. One section per capability
 * of the tab's feature, each listing its routes: primary and fallback provider, strategy, rate-limit strategy, health.
 */
export function RoutingHome({ area }: { area: RoutingArea }) {
  const capabilities = useCapabilities();
  const routes = useRoutes();
  return (
    <section className="page rt-page" aria-labelledby="routing-title">
      <header className="page-header">
        <div>
          <h1 id="routing-title">{area.title}</h1>
          <p className="muted">{area.intro}</p>
        </div>
      </header>
      {capabilities.isPending || routes.isPending ? (
        <Loading what="Loading routes" />
      ) : capabilities.error ? (
        <ErrorState error={capabilities.error} retry={() => void capabilities.refetch()} />
      ) : routes.error ? (
        <ErrorState error={routes.error} retry={() => void routes.refetch()} />
      ) : (
        <CapabilityList
          area={area}
          capabilities={capabilities.data.data.filter((c) => c.feature === area.feature && c.enabled)}
          routes={routes.data}
        />
      )}
    </section>
  );
}

function CapabilityList({
  area,
  capabilities,
  routes,
}: {
  area: RoutingArea;
  capabilities: Capability[];
  routes: Route[];
}) {
  if (capabilities.length === 0) {
    return <EmptyState title="No capability to route here">The catalogue has none for this subscription.</EmptyState>;
  }
  return (
    <>
      {capabilities.map((c) => (
        <CapabilitySection
          key={c.name}
          area={area}
          capability={c}
          routes={routes.filter((r) => r.capability === c.name)}
        />
      ))}
    </>
  );
}

function CapabilitySection({
  area,
  capability: c,
  routes,
}: {
  area: RoutingArea;
  capability: Capability;
  routes: Route[];
}) {
  const { can } = useSession();
  const id = `cap-${c.name.replaceAll('.', '-')}`;
  return (
    <section className="card stack" aria-labelledby={id} data-testid={`capability-${c.name}`}>
      <div className="page-header">
        <div>
          <h2 id={id} className="rt-section-title">
            {c.title} <code className="small">{c.name}</code>
          </h2>
          <p className="muted small">{c.description}</p>
          <p className="small rt-providers">
            Providers:{' '}
            {c.providers.map((p) => (
              <span key={p.connector} className="rt-provider">
                {p.name}
                {p.availability !== 'active' && <Badge value={p.availability} />}
                {!p.redistributable && <Badge value="licence" label="not redistributable" color="warn" />}
              </span>
            ))}
          </p>
        </div>
        {can('manage_routes') && (
          <Link
            className="button button-primary"
            to={`${area.path}/routes/new?capability=${encodeURIComponent(c.name)}`}
            aria-label={`New route for ${c.title}`}
          >
            New route
          </Link>
        )}
      </div>
      {routes.length === 0 ? (
        <EmptyState title={`No route for ${c.title} yet`}>
          {can('manage_routes')
            ? 'Set up a primary and a fallback provider so that rate limits or outages on one do not interrupt data access.'
            : 'Someone with the manage_routes capability can create one.'}
        </EmptyState>
      ) : (
        <DataTable columns={routeColumns} testId={`routes-${c.name}`}>
          {routes.map((r) => (
            <RouteRow key={r.id} route={r} area={area} />
          ))}
        </DataTable>
      )}
    </section>
  );
}
