import type { Db } from '../core/db/port.js';
import type { Vault } from '../vault/vault.js';
import type { Registry } from './registry.js';
import { libraryRoutes } from './routes-library.js';
import { registryRoutes } from './routes-registry.js';
import { systemConnectionRoutes } from './routes-system-connection.js';

export type CatalogDeps = {
  db: Db;
  vault: Vault;
  registry: Registry;
  /** The server's public base URL: OAuth redirect URIs shown in connector forms are built on it. */
  publicUrl: string;
};

/**
 * The connector catalogue: the library every tenant browses, and the global registry superusers manage (custom
 * entries, availability and management overrides, retirement, the platform's own credentials).
 */
export function connectorRoutes(deps: CatalogDeps) {
  return [...libraryRoutes(deps), ...registryRoutes(deps), ...systemConnectionRoutes(deps)];
}
