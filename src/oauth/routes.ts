import type { OAuthFlowDeps } from './flows-start.js';
import { oauthClientRoutes } from './routes-clients.js';
import { oauthFlowRoutes } from './routes-flows.js';

/** OAuth's HTTP surface: tenant OAuth apps, and the authorization flows with their callback. */
export function oauthRoutes(deps: OAuthFlowDeps) {
  return [...oauthClientRoutes(deps), ...oauthFlowRoutes(deps)];
}
