import type { OAuthFlowDeps } from './flows/start.js';
import { oauthClientRoutes } from './clients/routes.js';
import { oauthFlowRoutes } from './flows/routes.js';
import { importRoutes } from './import-route.js';

/** OAuth's HTTP surface: tenant OAuth apps, the authorization flows with their callback, and imported tokens. */
export function oauthRoutes(deps: OAuthFlowDeps) {
  return [...oauthClientRoutes(deps), ...oauthFlowRoutes(deps), ...importRoutes(deps)];
}
