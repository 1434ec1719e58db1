import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { useSession } from '../../auth.js';
import { AccessDenied, FeatureMissing } from '../../ui/components.js';
import type { RoutingArea } from './areas.js';
import { RouteFormPage } from './form/route-form.js';
import { RoutingHome } from './index.js';
import { RouteDetail } from './route-detail.js';

/**
 * Shown only when the tenant's subscription has the area's feature (seed 000: "Financial Data tab not visible") and
 * the role holds the capability; otherwise a page saying which of the two is missing.
 */
function AreaGuard({ area, capability, children }: { area: RoutingArea; capability: string; children: ReactNode }) {
  const { can, hasFeature } = useSession();
  if (!hasFeature(area.feature)) return <FeatureMissing feature={area.feature} title={area.title} what={area.what} />;
  if (!can(capability)) {
    return (
      <AccessDenied
        capability={capability}
        what={capability === 'manage_routes' ? 'create or change provider routes' : 'view provider routes'}
      />
    );
  }
  return <>{children}</>;
}

/** The console pages of one routing tab: the routes list, a route, and the form that makes or edits one. */
export function routingRoutes(area: RoutingArea): RouteObject[] {
  const base = area.path.slice(1);
  const guarded = (capability: string, page: ReactNode) => (
    <AreaGuard area={area} capability={capability}>
      {page}
    </AreaGuard>
  );
  return [
    { path: base, element: guarded('view_routes', <RoutingHome area={area} />) },
    { path: `${base}/routes/new`, element: guarded('manage_routes', <RouteFormPage area={area} />) },
    { path: `${base}/routes/:name`, element: guarded('view_routes', <RouteDetail area={area} />) },
    { path: `${base}/routes/:name/edit`, element: guarded('manage_routes', <RouteFormPage area={area} />) },
  ];
}
