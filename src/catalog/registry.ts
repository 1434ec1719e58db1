import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../core/db/port.js';
import { connectorsDir } from '../core/paths.js';
import type { Manifest } from './manifest/manifest.js';
import { getConnectorRow, listConnectorRows, upsertBuiltinConnectors, type ConnectorRow } from './sql.js';
import { loadManifests } from './manifest/validate.js';

export const manifestHash = (manifest: Manifest) =>
  createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 32);

/**
 * The connector registry as the rest of the platform sees it: every entry (built-in and custom) with its
 * effective availability and management pattern. Read on every connection operation and proxied call, so it is
 * cached in memory and reloaded when any node changes it (NOTIFY `registry_changed`).
 */
export function createRegistry(deps: { db: Db; dir?: string }) {
  let cache: Map<string, ConnectorRow> | undefined;
  let unlisten: (() => Promise<void>) | undefined;

  const load = async () => {
    const rows = await listConnectorRows(deps.db);
    cache = new Map(rows.map((r) => [r.slug, r]));
    return cache;
  };

  return {
    /** Seed built-in entries from the manifest files (validated; a bad manifest stops the start with its problems). */
    async seed(): Promise<number> {
      const manifests = loadManifests(deps.dir ?? connectorsDir);
      await upsertBuiltinConnectors(
        deps.db,
        manifests.map((manifest) => ({ manifest, hash: manifestHash(manifest) })),
      );
      cache = undefined;
      return manifests.length;
    },
    async list(): Promise<ConnectorRow[]> {
      return [...(cache ?? (await load())).values()];
    },
    async get(slug: string): Promise<ConnectorRow | undefined> {
      return (cache ?? (await load())).get(slug);
    },
    /** Inside a transaction, read the row itself (the cache may not see an uncommitted change). */
    getFresh: (q: Queryable, slug: string) => getConnectorRow(q, slug),
    async invalidate(q: Queryable): Promise<void> {
      cache = undefined;
      await deps.db.notify(q, 'registry_changed', '');
    },
    async start(): Promise<void> {
      unlisten = await deps.db.listen('registry_changed', () => {
        cache = undefined;
      });
    },
    async stop(): Promise<void> {
      await unlisten?.();
    },
  };
}

export type Registry = ReturnType<typeof createRegistry>;
