import type { CatalogDeps } from './routes/common.js';
import { libraryRoutes } from './routes/library.js';
import { registryRoutes } from './routes/registry.js';
import { systemConnectionRoutes } from './routes/system-connection.js';

/**
 * The connector catalogue: the library every tenant browses, and the global registry superusers manage (custom
 * entries, availability and management overrides, retirement, the platform's own credentials).
 */
export function connectorRoutes(deps: CatalogDeps) {
  return [...libraryRoutes(deps), ...registryRoutes(deps), ...systemConnectionRoutes(deps)];
}
