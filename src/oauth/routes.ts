import type { OAuthFlowDeps } from './flows/start.js';
import { oauthClientRoutes } from './clients/routes.js';
import { oauthFlowRoutes } from './flows/routes.js';

/** OAuth's HTTP surface: tenant OAuth apps, and the authorization flows with their callback. */
export function oauthRoutes(deps: OAuthFlowDeps) {
  return [...oauthClientRoutes(deps), ...oauthFlowRoutes(deps)];
}
